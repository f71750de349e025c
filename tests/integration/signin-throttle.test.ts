// Sign-in throttling and session ends, from the attacker's side: a guesser behind the agency's
// one proxy, a burst of concurrent guesses, guessing from many addresses, a stolen session
// left idle, and expired sessions left in the table. PGlite, or Postgres with DATABASE_URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { sessions, users } from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { signIn } from '../../src/lib/server/auth/accounts';
import { createSession, deleteExpiredSessions, scheduleSessionPurge, validateSessionToken } from '../../src/lib/server/auth/session';
import { rows } from '../../src/lib/server/db';

let t: TestDatabase;
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

beforeAll(async () => {
	t = await createTestDatabase();
	await seedDemo(t.db);
}, 60_000);
afterAll(async () => t?.drop());

const at = (ip: string) => ({ ip, userAgent: 'attacker' });

async function passwordChecks(username: string): Promise<number> {
	const [row] = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.login_failed' AND details->>'username' = ${username}`);
	return Number(row.n);
}

async function userId(username: string): Promise<string> {
	const [u] = await t.db.select({ id: users.id }).from(users).where(eq(users.username, username));
	return u.id;
}

describe('sign-in throttling', () => {
	it('a burst of failures from one address (the shared proxy) locks out no other account', async () => {
		const proxy = '10.20.0.1';
		for (let i = 0; i < 25; i++) expect((await signIn(t.db, `guess${i}`, 'wrong', at(proxy))).ok).toBe(false);
		for (let i = 0; i < 8; i++) await signIn(t.db, 'planner', 'wrong', at(proxy));
		// Everyone else behind the same address still signs in with the right password.
		expect((await signIn(t.db, 'admin', 'demo-password', at(proxy))).ok).toBe(true);
		expect((await signIn(t.db, 'chair', 'demo-password', at(proxy))).ok).toBe(true);
		// The guessed account is slowed at that address only...
		const guessed = await signIn(t.db, 'planner', 'demo-password', at(proxy));
		expect(guessed.ok).toBe(false);
		if (!guessed.ok) expect(guessed.reason).toBe('throttled');
		if (!guessed.ok && guessed.reason === 'throttled') expect(guessed.retryAfter).toBeGreaterThan(0);
		// ...and its owner elsewhere gets in.
		expect((await signIn(t.db, 'planner', 'demo-password', at('10.20.0.2'))).ok).toBe(true);
	});

	it('40 concurrent wrong guesses from one address get at most the allowance (5) of password checks', async () => {
		const results = await Promise.all(Array.from({ length: 40 }, () => signIn(t.db, 'expert8', 'wrong', at('10.21.0.1'))));
		expect(await passwordChecks('expert8')).toBeLessThanOrEqual(5);
		expect(results.filter((r) => !r.ok && r.reason === 'throttled').length).toBeGreaterThanOrEqual(35);
		// Even the right password waits now, from there.
		const right = await signIn(t.db, 'expert8', 'demo-password', at('10.21.0.1'));
		expect(right.ok).toBe(false);
	});

	it('40 concurrent guesses from 40 addresses get at most the account allowance (30), then the account waits', async () => {
		await Promise.all(Array.from({ length: 40 }, (_, i) => signIn(t.db, 'expert6', 'wrong', at(`10.22.0.${i}`))));
		expect(await passwordChecks('expert6')).toBeLessThanOrEqual(30);
		const owner = await signIn(t.db, 'expert6', 'demo-password', at('10.22.1.1'));
		expect(owner.ok).toBe(false);
		if (!owner.ok) expect(owner.reason).toBe('throttled');
	});

	it('the right password hands its attempt back: a colleague who mistyped four times is not slowed after signing in', async () => {
		const ip = '10.23.0.1';
		for (let i = 0; i < 4; i++) await signIn(t.db, 'expert5', 'typo', at(ip));
		expect((await signIn(t.db, 'expert5', 'demo-password', at(ip))).ok).toBe(true);
		for (let i = 0; i < 4; i++) await signIn(t.db, 'expert5', 'typo', at(ip));
		expect((await signIn(t.db, 'expert5', 'demo-password', at(ip))).ok).toBe(true);
	});
});

describe('idle sessions', () => {
	it('a session unused for the idle time (30 min) ends, though its lifetime has days left', async () => {
		const id = await userId('expert1');
		const start = new Date(Date.now() - 3 * 60 * MIN);
		const { token } = await createSession(t.db, id, at('10.30.0.1'), start);
		const plus = (min: number) => new Date(start.getTime() + min * MIN);
		expect(await validateSessionToken(t.db, token, plus(20))).not.toBeNull();
		// Used at +20: at +45 it has been idle 25 minutes.
		expect(await validateSessionToken(t.db, token, plus(45))).not.toBeNull();
		// Unused from +45 to +80: over.
		expect(await validateSessionToken(t.db, token, plus(80))).toBeNull();
		// And gone for good, not just refused once.
		expect(await validateSessionToken(t.db, token, plus(81))).toBeNull();
	});

	it('deleteExpiredSessions removes sessions past their lifetime or idle time, and nothing else', async () => {
		const id = await userId('expert2');
		const now = new Date();
		const expired = await createSession(t.db, id, at('10.31.0.1'), new Date(now.getTime() - 31 * DAY));
		const idle = await createSession(t.db, id, at('10.31.0.1'), new Date(now.getTime() - 2 * 60 * MIN));
		const fresh = await createSession(t.db, id, at('10.31.0.1'), now);
		expect(await deleteExpiredSessions(t.db, now)).toBeGreaterThanOrEqual(2);
		const left = (await t.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, id))).map((s) => s.id);
		expect(left).toContain(fresh.session.id);
		expect(left).not.toContain(expired.session.id);
		expect(left).not.toContain(idle.session.id);
	});

	it('signing in purges the user’s ended sessions', async () => {
		const id = await userId('expert3');
		const stale = await createSession(t.db, id, at('10.32.0.1'), new Date(Date.now() - 2 * 60 * MIN));
		expect((await signIn(t.db, 'expert3', 'demo-password', at('10.32.0.1'))).ok).toBe(true);
		const [row] = await t.db.select().from(sessions).where(and(eq(sessions.userId, id), eq(sessions.id, stale.session.id)));
		expect(row).toBeUndefined();
	});

	it('the scheduled purge (run at start-up) removes ended sessions without anyone signing in', async () => {
		const id = await userId('expert4');
		const stale = await createSession(t.db, id, at('10.33.0.1'), new Date(Date.now() - 2 * 60 * MIN));
		const stop = scheduleSessionPurge(() => t.db, 60_000);
		try {
			let left = 1;
			for (let i = 0; i < 50 && left > 0; i++) {
				await new Promise((r) => setTimeout(r, 20));
				left = (await t.db.select().from(sessions).where(eq(sessions.id, stale.session.id))).length;
			}
			expect(left).toBe(0);
		} finally {
			stop();
		}
	});
});
