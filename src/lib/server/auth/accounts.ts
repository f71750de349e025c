// Signing in and out, registering an applicant, changing a password: the account actions
// every channel (pages, the JSON API, tests) goes through.
import { desc, eq } from 'drizzle-orm';
import { enterprises, sessions, users } from '$db/schema';
import type { Db } from '../db';
import { audit, type AuditActor } from '../audit';
import { burnVerification, hashPassword, verifyPassword } from './password';
import { createSession, deleteExpiredSessions, invalidateUserSessions, purgeSessionsNow, type Session } from './session';
import { ACCOUNT_POLICY, PAIR_POLICY, accountKey, clearFailures, pairKey, releaseAttempt, reserveAttempt, retryAfter } from './throttle';
import { colorFor } from './colors';
import { emit } from '../events';

export interface ClientMeta {
	ip: string | null;
	userAgent: string | null;
}

export type SignInResult =
	| { ok: true; token: string; session: Session; userId: string; locale: string | null }
	| { ok: false; reason: 'invalid' | 'inactive' }
	| { ok: false; reason: 'throttled'; retryAfter: number };

export async function signIn(db: Db, username: string, password: string, meta: ClientMeta): Promise<SignInResult> {
	const name = username.trim().toLowerCase();
	const pair = pairKey(name, meta.ip);
	const account = accountKey(name);
	await purgeSessionsNow(db);
	// Counted before the password is checked (throttle.ts): a burst of concurrent guesses gets
	// no more password checks than the allowance.
	let allowed = await reserveAttempt(db, pair, PAIR_POLICY);
	if (allowed && !(await reserveAttempt(db, account, ACCOUNT_POLICY))) {
		await releaseAttempt(db, pair, PAIR_POLICY);
		allowed = false;
	}
	if (!allowed) {
		const wait = Math.max(1, await retryAfter(db, [pair, account]));
		await audit(db, { name, ip: meta.ip }, 'auth.login_throttled', null, { username: name });
		return { ok: false, reason: 'throttled', retryAfter: wait };
	}

	const [user] = await db.select().from(users).where(eq(users.username, name)).limit(1);
	const valid = user ? await verifyPassword(user.passwordHash, password) : (await burnVerification(password), false);
	if (!user || !valid) {
		await audit(db, { id: user?.id, name, ip: meta.ip }, 'auth.login_failed', null, { username: name });
		return { ok: false, reason: 'invalid' };
	}
	// The right password: this attempt was no failure. The pair starts afresh; the account
	// count only loses this attempt, so its owner signing in does not wipe the trace of others
	// guessing from elsewhere.
	await clearFailures(db, pair);
	await releaseAttempt(db, account, ACCOUNT_POLICY);
	if (!user.active) {
		await audit(db, { id: user.id, name: user.name, ip: meta.ip }, 'auth.login_refused_inactive', { type: 'user', id: user.id });
		return { ok: false, reason: 'inactive' };
	}

	await deleteExpiredSessions(db, new Date(), user.id);
	const { token, session } = await createSession(db, user.id, meta);
	await db.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, user.id));
	await audit(db, { id: user.id, name: user.name, ip: meta.ip }, 'auth.login', { type: 'user', id: user.id });
	return { ok: true, token, session, userId: user.id, locale: user.locale };
}

export async function signOut(db: Db, sessionId: string, userId: string, actor: AuditActor): Promise<void> {
	const { invalidateSession } = await import('./session');
	await invalidateSession(db, sessionId);
	await audit(db, actor, 'auth.logout', { type: 'user', id: userId });
}

export interface Registration {
	username: string;
	password: string;
	enterpriseName: string;
	contactName: string;
	contactPhone: string;
	contactEmail: string;
}

export type RegisterResult = { ok: true; userId: string } | { ok: false; field: 'username'; reason: 'taken' };

/** An enterprise registers its own applicant account. */
export async function registerApplicant(db: Db, input: Registration, meta: ClientMeta): Promise<RegisterResult> {
	const passwordHash = await hashPassword(input.password);
	return db.transaction(async (tx) => {
		const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.username, input.username)).limit(1);
		if (taken) return { ok: false as const, field: 'username' as const, reason: 'taken' as const };
		const [user] = await tx
			.insert(users)
			.values({
				username: input.username,
				name: input.contactName,
				email: input.contactEmail || null,
				phone: input.contactPhone,
				passwordHash,
				color: colorFor(input.username)
			})
			.returning({ id: users.id });
		await tx.insert(enterprises).values({
			userId: user.id,
			name: input.enterpriseName,
			contactName: input.contactName,
			contactPhone: input.contactPhone,
			contactEmail: input.contactEmail || null
		});
		await audit(tx, { id: user.id, name: input.contactName, ip: meta.ip }, 'auth.register', { type: 'user', id: user.id }, {
			enterprise: input.enterpriseName
		});
		return { ok: true as const, userId: user.id };
	});
}

export type ChangePasswordResult = { ok: true } | { ok: false; reason: 'wrong_current' };

/** Changes one's own password; every other session of the user ends. */
export async function changePassword(
	db: Db,
	userId: string,
	currentSessionId: string,
	current: string,
	next: string,
	meta: ClientMeta
): Promise<ChangePasswordResult> {
	const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
	if (!user || !(await verifyPassword(user.passwordHash, current))) return { ok: false, reason: 'wrong_current' };
	const passwordHash = await hashPassword(next);
	await db.transaction(async (tx) => {
		await tx.update(users).set({ passwordHash, passwordChangedAt: new Date(), updatedAt: new Date() }).where(eq(users.id, userId));
		await invalidateUserSessions(tx, userId, currentSessionId);
		await audit(tx, { id: userId, name: user.name, ip: meta.ip }, 'auth.password_changed', { type: 'user', id: userId });
	});
	emit('sessions.revoked', { userId, exceptSessionId: currentSessionId });
	return { ok: true };
}

export async function setLocale(db: Db, userId: string, locale: string): Promise<void> {
	await db.update(users).set({ locale }).where(eq(users.id, userId));
}

export async function listSessions(db: Db, userId: string) {
	return db
		.select({ id: sessions.id, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, ip: sessions.ip, userAgent: sessions.userAgent })
		.from(sessions)
		.where(eq(sessions.userId, userId))
		.orderBy(desc(sessions.lastSeenAt));
}

/** Ends every session of the user but the current one. */
export async function signOutOthers(db: Db, userId: string, currentSessionId: string, meta: ClientMeta & { name: string }): Promise<void> {
	await invalidateUserSessions(db, userId, currentSessionId);
	await audit(db, { id: userId, name: meta.name, ip: meta.ip }, 'auth.signed_out_others', { type: 'user', id: userId });
	emit('sessions.revoked', { userId, exceptSessionId: currentSessionId });
}
