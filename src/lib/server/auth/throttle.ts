// Slows password guessing: per account and per address, each failure past a free allowance
// doubles the wait. Kept in the database so every server process sees the same counts.
import { eq, inArray, sql } from 'drizzle-orm';
import { authThrottle } from '$db/schema';
import type { DbOrTx } from '../db';

export interface ThrottlePolicy {
	/** Failures allowed before any wait. */
	free: number;
	baseMs: number;
	maxMs: number;
	/** A quiet period after which the count starts again. */
	resetAfterMs: number;
}

export const ACCOUNT_POLICY: ThrottlePolicy = { free: 5, baseMs: 30_000, maxMs: 15 * 60_000, resetAfterMs: 60 * 60_000 };
export const ADDRESS_POLICY: ThrottlePolicy = { free: 20, baseMs: 60_000, maxMs: 30 * 60_000, resetAfterMs: 60 * 60_000 };

export const accountKey = (username: string) => `user:${username.toLowerCase()}`;
export const addressKey = (ip: string) => `ip:${ip}`;

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

/** Counts a failure atomically (concurrent guesses all count) and sets the wait it earns. */
export async function recordFailure(db: DbOrTx, key: string, policy: ThrottlePolicy, now = new Date()): Promise<void> {
	const staleBefore = new Date(now.getTime() - policy.resetAfterMs);
	const [row] = await db
		.insert(authThrottle)
		.values({ key, failures: 1, lastFailureAt: now })
		.onConflictDoUpdate({
			target: authThrottle.key,
			set: {
				failures: sql`CASE WHEN ${authThrottle.lastFailureAt} < ${staleBefore.toISOString()}::timestamptz THEN 1 ELSE ${authThrottle.failures} + 1 END`,
				lastFailureAt: now
			}
		})
		.returning({ failures: authThrottle.failures });
	const over = (row?.failures ?? 1) - policy.free;
	if (over > 0) {
		const until = new Date(now.getTime() + Math.min(policy.maxMs, policy.baseMs * 2 ** (over - 1)));
		await db
			.update(authThrottle)
			.set({ blockedUntil: sql`GREATEST(coalesce(${authThrottle.blockedUntil}, ${until.toISOString()}::timestamptz), ${until.toISOString()}::timestamptz)` })
			.where(eq(authThrottle.key, key));
	}
}

export async function clearFailures(db: DbOrTx, key: string): Promise<void> {
	await db.delete(authThrottle).where(eq(authThrottle.key, key));
}
