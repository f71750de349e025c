// Slows password guessing without locking out colleagues. Attempts are counted per
// (account, address) — a guesser slows only their own pair — and per account across
// addresses, with an allowance one address cannot fill alone, against guessing from many.
// There is deliberately no per-address limit: an agency reaches the app through one proxy,
// and one person's typos (or an attacker) there must not lock everyone else out.
//
// Each attempt is counted (reserved) in one atomic statement *before* its password is checked,
// and the statement refuses it while the key is blocked, so concurrent guesses cannot slip
// past the allowance; a correct password hands its reservation back. Own SQL rather than
// rate-limiter-flexible: its Postgres store wants a `pg`/Knex/Sequelize client, while the app
// runs on postgres.js and PGlite; one INSERT ... ON CONFLICT DO UPDATE ... RETURNING is all
// it takes, on both.
import { eq, inArray, sql } from 'drizzle-orm';
import { authThrottle } from '$db/schema';
import { rows, type DbOrTx } from '../db';

export interface ThrottlePolicy {
	/** Attempts with no wait; the last of them already starts a wait for the next. */
	free: number;
	baseMs: number;
	maxMs: number;
	/** A quiet period after which the count starts again. */
	resetAfterMs: number;
	/** A count also starts again this long after it began, quiet or not (null: never). */
	windowMs: number | null;
}

/** One person at one address: five tries, then waits doubling from 30 s to 15 min. */
export const PAIR_POLICY: ThrottlePolicy = { free: 5, baseMs: 30_000, maxMs: 15 * 60_000, resetAfterMs: 60 * 60_000, windowMs: null };
/**
 * One account from anywhere, per hour. The pair limit lets one address make about 13 tries in
 * an hour (5, then waits of 30 s, 1, 2, 4, 8 and 15 min...), so it takes several addresses to
 * reach 30 and slow the account for its owner too.
 */
export const ACCOUNT_POLICY: ThrottlePolicy = { free: 30, baseMs: 60_000, maxMs: 15 * 60_000, resetAfterMs: 60 * 60_000, windowMs: 60 * 60_000 };

export const accountKey = (username: string) => `user:${username.toLowerCase()}`;
export const pairKey = (username: string, ip: string | null) => `pair:${username.toLowerCase()}|${ip ?? '-'}`;

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/**
 * Counts an attempt on `key` unless the key is blocked, atomically: true when the attempt may
 * check its password. Reaching the allowance blocks the key at once (before this attempt's
 * password is even checked), so a concurrent burst stops at exactly `free`.
 */
export async function reserveAttempt(db: DbOrTx, key: string, policy: ThrottlePolicy, now = new Date()): Promise<boolean> {
	const quietBefore = new Date(now.getTime() - policy.resetAfterMs);
	const windowBefore = policy.windowMs === null ? null : new Date(now.getTime() - policy.windowMs);
	const restart = sql`(auth_throttle.last_failure_at < ${ts(quietBefore)}${windowBefore ? sql` OR auth_throttle.window_started_at < ${ts(windowBefore)}` : sql``})`;
	const count = sql`(CASE WHEN ${restart} THEN 1 ELSE auth_throttle.failures + 1 END)`;
	const blockFor = (n: ReturnType<typeof sql>) =>
		sql`CASE WHEN ${n} >= ${policy.free}::int THEN ${ts(now)} + make_interval(secs => LEAST(${policy.maxMs}::float8, ${policy.baseMs}::float8 * power(2::float8, (${n} - ${policy.free}::int)::float8)) / 1000.0) ELSE NULL END`;
	const first = sql`1`;
	const result = await rows<{ failures: number }>(
		db,
		sql`INSERT INTO auth_throttle (key, failures, last_failure_at, window_started_at, blocked_until)
			VALUES (${key}, 1, ${ts(now)}, ${ts(now)}, ${blockFor(first)})
			ON CONFLICT (key) DO UPDATE SET
				failures = ${count},
				last_failure_at = ${ts(now)},
				window_started_at = CASE WHEN ${restart} THEN ${ts(now)} ELSE auth_throttle.window_started_at END,
				blocked_until = ${blockFor(count)}
			WHERE auth_throttle.blocked_until IS NULL OR auth_throttle.blocked_until <= ${ts(now)}
			RETURNING failures`
	);
	return result.length === 1;
}

/** Hands back an attempt that turned out not to be a failure (or never checked a password). */
export async function releaseAttempt(db: DbOrTx, key: string, policy: ThrottlePolicy): Promise<void> {
	await db
		.update(authThrottle)
		.set({
			failures: sql`GREATEST(${authThrottle.failures} - 1, 0)`,
			blockedUntil: sql`CASE WHEN ${authThrottle.failures} - 1 >= ${policy.free}::int THEN ${authThrottle.blockedUntil} ELSE NULL END`
		})
		.where(eq(authThrottle.key, key));
}

/** Seconds until any of the keys may try again, or 0. */
export async function retryAfter(db: DbOrTx, keys: string[], now = new Date()): Promise<number> {
	if (keys.length === 0) return 0;
	const found = await db.select().from(authThrottle).where(inArray(authThrottle.key, keys));
	let wait = 0;
	for (const row of found) {
		if (row.blockedUntil && row.blockedUntil.getTime() > now.getTime()) {
			wait = Math.max(wait, Math.ceil((row.blockedUntil.getTime() - now.getTime()) / 1000));
		}
	}
	return wait;
}

export async function clearFailures(db: DbOrTx, key: string): Promise<void> {
	await db.delete(authThrottle).where(eq(authThrottle.key, key));
}
