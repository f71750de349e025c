// Sign-in, sessions and throttling against a real database (PGlite, or Postgres when
// DATABASE_URL is set).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { sessions, users } from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { hashPassword, verifyPassword } from '../../src/lib/server/auth/password';
import {
	createSession,
	invalidateSession,
	tokenFromCookieHeader,
	validateSessionToken
} from '../../src/lib/server/auth/session';
import { changePassword, registerApplicant, signIn } from '../../src/lib/server/auth/accounts';
import { resetPassword, setActive } from '../../src/lib/server/org/users';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { loadPrincipal } from '../../src/lib/server/auth/principal';
import { rows } from '../../src/lib/server/db';

let t: TestDatabase;
const meta = { ip: '10.0.0.1', userAgent: 'vitest' };
const DAY = 24 * 3600 * 1000;

beforeAll(async () => {
	t = await createTestDatabase();
	await seedDemo(t.db);
});
afterAll(async () => t?.drop());

async function userId(username: string): Promise<string> {
	const [u] = await t.db.select({ id: users.id }).from(users).where(eq(users.username, username));
	return u.id;
}

describe('passwords', () => {
	it('hashes with Argon2id and verifies only the right password', async () => {
		const hash = await hashPassword('correct horse battery');
		expect(hash.startsWith('$argon2id$')).toBe(true);
		expect(await verifyPassword(hash, 'correct horse battery')).toBe(true);
		expect(await verifyPassword(hash, 'correct horse batterx')).toBe(false);
		expect(await verifyPassword('not a hash', 'x')).toBe(false);
		expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
	});
});

describe('sessions', () => {
	it('stores only the hash of the secret and validates the token', async () => {
		const id = await userId('expert1');
		const { token, session } = await createSession(t.db, id, meta);
		const [row] = await t.db.select().from(sessions).where(eq(sessions.id, session.id));
		expect(token).toContain('.');
		expect(row.secretHash).toMatch(/^[0-9a-f]{64}$/);
		expect(row.secretHash).not.toContain(token.split('.')[1]);
		const ok = await validateSessionToken(t.db, token);
		expect(ok?.user.username).toBe('expert1');
		expect(await validateSessionToken(t.db, token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a'))).toBeNull();
		expect(await validateSessionToken(t.db, session.id)).toBeNull();
		expect(await validateSessionToken(t.db, 'garbage')).toBeNull();
	});

	it('slides the expiry when used in its second half, and expires after the period', async () => {
		const id = await userId('expert2');
		const start = new Date('2026-01-01T00:00:00Z');
		const { token, session } = await createSession(t.db, id, meta, start);
		// In use all along (the idle time is tested in signin-throttle.test.ts).
		const usedUntil = (at: number) => t.db.update(sessions).set({ lastSeenAt: new Date(at - 60_000) }).where(eq(sessions.id, session.id));
		await usedUntil(start.getTime() + 5 * DAY);
		const early = await validateSessionToken(t.db, token, new Date(start.getTime() + 5 * DAY));
		expect(early?.refreshed).toBe(false);
		await usedUntil(start.getTime() + 20 * DAY);
		const late = await validateSessionToken(t.db, token, new Date(start.getTime() + 20 * DAY));
		expect(late?.refreshed).toBe(true);
		expect(late!.session.expiresAt.getTime()).toBe(start.getTime() + 50 * DAY);
		// Past the period, however busy: gone.
		await usedUntil(start.getTime() + 81 * DAY);
		expect(await validateSessionToken(t.db, token, new Date(start.getTime() + 81 * DAY))).toBeNull();
		expect(await validateSessionToken(t.db, token, new Date(start.getTime() + 21 * DAY))).toBeNull();
	});

	it('sign-out invalidates the session', async () => {
		const id = await userId('expert3');
		const { token, session } = await createSession(t.db, id, meta);
		await invalidateSession(t.db, session.id);
		expect(await validateSessionToken(t.db, token)).toBeNull();
	});

	it('changing a password ends the other sessions but keeps the current one', async () => {
		const id = await userId('expert4');
		const a = await createSession(t.db, id, meta);
		const b = await createSession(t.db, id, meta);
		const wrong = await changePassword(t.db, id, a.session.id, 'not-the-password', 'new-password-123', meta);
		expect(wrong).toEqual({ ok: false, reason: 'wrong_current' });
		const done = await changePassword(t.db, id, a.session.id, 'demo-password', 'new-password-123', meta);
		expect(done.ok).toBe(true);
		expect(await validateSessionToken(t.db, a.token)).not.toBeNull();
		expect(await validateSessionToken(t.db, b.token)).toBeNull();
		expect((await signIn(t.db, 'expert4', 'demo-password', meta)).ok).toBe(false);
		expect((await signIn(t.db, 'expert4', 'new-password-123', meta)).ok).toBe(true);
	});

	it('an admin reset ends every session of the user', async () => {
		const id = await userId('expert5');
		const s = await createSession(t.db, id, meta);
		await resetPassword(t.db, { name: 'test' }, id, 'reset-password-1');
		expect(await validateSessionToken(t.db, s.token)).toBeNull();
	});

	it('a deactivated user is refused and their sessions end', async () => {
		const id = await userId('expert6');
		const s = await createSession(t.db, id, meta);
		await setActive(t.db, { name: 'test' }, id, false);
		expect(await validateSessionToken(t.db, s.token)).toBeNull();
		const attempt = await signIn(t.db, 'expert6', 'demo-password', meta);
		expect(attempt).toEqual({ ok: false, reason: 'inactive' });
		await setActive(t.db, { name: 'test' }, id, true);
		expect((await signIn(t.db, 'expert6', 'demo-password', meta)).ok).toBe(true);
	});

	it('reads the token from a Cookie header', () => {
		expect(tokenFromCookieHeader('a=1; panelroom_session=abc.def; b=2')).toBe('abc.def');
		expect(tokenFromCookieHeader('a=1')).toBeNull();
		expect(tokenFromCookieHeader(undefined)).toBeNull();
	});
});

describe('sign-in', () => {
	it('does not say which of name or password was wrong', async () => {
		const noUser = await signIn(t.db, 'nobody-here', 'demo-password', { ip: '10.0.0.2', userAgent: null });
		const badPassword = await signIn(t.db, 'planner', 'wrong-password', { ip: '10.0.0.2', userAgent: null });
		expect(noUser).toEqual({ ok: false, reason: 'invalid' });
		expect(badPassword).toEqual({ ok: false, reason: 'invalid' });
	});

	it('slows an account at one address after repeated failures, even with the right password', async () => {
		const ip = { ip: '10.1.0.1', userAgent: null };
		for (let i = 0; i < 5; i++) expect((await signIn(t.db, 'expert7', 'wrong', ip)).ok).toBe(false);
		const blocked = await signIn(t.db, 'expert7', 'demo-password', ip);
		expect(blocked.ok).toBe(false);
		if (!blocked.ok) expect(blocked.reason).toBe('throttled');
		if (!blocked.ok && blocked.reason === 'throttled') expect(blocked.retryAfter).toBeGreaterThan(0);
		// The same account from another address still gets in.
		expect((await signIn(t.db, 'expert7', 'demo-password', { ip: '10.1.0.2', userAgent: null })).ok).toBe(true);
	});

	it('counts concurrent failures without losing any', async () => {
		await Promise.all(Array.from({ length: 8 }, (_, i) => signIn(t.db, 'expert8', 'wrong', { ip: `10.3.0.${i}`, userAgent: null })));
		const [row] = await rows<{ failures: number }>(t.db, sql`SELECT failures FROM auth_throttle WHERE key = 'user:expert8'`);
		expect(Number(row.failures)).toBe(8);
	});

	it('registers an applicant who can then sign in and is an applicant', async () => {
		const r = await registerApplicant(
			t.db,
			{ username: 'newco', password: 'newco-password', enterpriseName: '测试科技有限公司', contactName: '王五', contactPhone: '010-1234567', contactEmail: '' },
			meta
		);
		expect(r.ok).toBe(true);
		const again = await registerApplicant(
			t.db,
			{ username: 'newco', password: 'x-password', enterpriseName: '另一家', contactName: '赵六', contactPhone: '010-7654321', contactEmail: '' },
			meta
		);
		expect(again).toEqual({ ok: false, field: 'username', reason: 'taken' });
		const s = await signIn(t.db, 'newco', 'newco-password', meta);
		expect(s.ok).toBe(true);
		if (s.ok) {
			const v = await validateSessionToken(t.db, s.token);
			const p = await loadPrincipal(t.db, v!.user, v!.session.id);
			expect(p.enterpriseId).not.toBeNull();
			expect(p.memberships).toEqual([]);
			expect(p.isAdmin).toBe(false);
		}
	});
});
