// Sessions after the Lucia guide: the cookie holds `<id>.<secret>`; the table holds the id
// and the SHA-256 of the secret, compared in constant time. Expiry slides: a session used in
// its second half is extended to the full period again. Besides, a session unused for the
// idle time (PANELROOM_SESSION_IDLE_MINUTES) ends, as the agency's security review asks.
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { and, eq, lt, ne, or } from 'drizzle-orm';
import { sessions, users } from '$db/schema';
import type { DbOrTx } from '../db';
import { config } from '../config';

const DAY = 24 * 60 * 60 * 1000;
export const SESSION_COOKIE = 'panelroom_session';

export interface SessionUser {
	id: string;
	username: string;
	name: string;
	email: string | null;
	isAdmin: boolean;
	active: boolean;
	locale: string | null;
	color: string;
}

export interface Session {
	id: string;
	userId: string;
	expiresAt: Date;
	createdAt: Date;
}

export interface ValidatedSession {
	session: Session;
	user: SessionUser;
	/** True when the expiry moved and the cookie should be sent again. */
	refreshed: boolean;
}

function randomString(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

function hashSecret(secret: string): Uint8Array {
	return sha256(new TextEncoder().encode(secret));
}

function periodMs(): number {
	return config().sessionDays * DAY;
}

function idleMs(): number {
	return config().sessionIdleMinutes * 60_000;
}

/** How stale last_seen_at may get before a use writes it again: a write per minute, not per request. */
function touchEveryMs(): number {
	return Math.min(60_000, idleMs() / 10);
}

export async function createSession(
	db: DbOrTx,
	userId: string,
	meta: { ip?: string | null; userAgent?: string | null } = {},
	now = new Date()
): Promise<{ token: string; session: Session }> {
	const id = randomString();
	const secret = randomString();
	const expiresAt = new Date(now.getTime() + periodMs());
	await db.insert(sessions).values({
		id,
		secretHash: encodeHexLowerCase(hashSecret(secret)),
		userId,
		createdAt: now,
		expiresAt,
		lastSeenAt: now,
		ip: meta.ip ?? null,
		userAgent: meta.userAgent?.slice(0, 300) ?? null
	});
	return { token: `${id}.${secret}`, session: { id, userId, expiresAt, createdAt: now } };
}

/** The session a token names, if it is genuine, unexpired and its user active. */
export async function validateSessionToken(db: DbOrTx, token: string, now = new Date()): Promise<ValidatedSession | null> {
	if (typeof token !== 'string' || token.length > 200) return null;
	const dot = token.indexOf('.');
	if (dot <= 0) return null;
	const id = token.slice(0, dot);
	const secret = token.slice(dot + 1);
	if (!secret) return null;

	const [row] = await db
		.select({
			id: sessions.id,
			secretHash: sessions.secretHash,
			userId: sessions.userId,
			createdAt: sessions.createdAt,
			expiresAt: sessions.expiresAt,
			lastSeenAt: sessions.lastSeenAt,
			user: {
				id: users.id,
				username: users.username,
				name: users.name,
				email: users.email,
				isAdmin: users.isAdmin,
				active: users.active,
				locale: users.locale,
				color: users.color
			}
		})
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.where(eq(sessions.id, id))
		.limit(1);
	if (!row) return null;

	const stored = new Uint8Array(Buffer.from(row.secretHash, 'hex'));
	if (!constantTimeEqual(hashSecret(secret), stored)) return null;
	if (now.getTime() >= row.expiresAt.getTime() || now.getTime() - row.lastSeenAt.getTime() >= idleMs() || !row.user.active) {
		await db.delete(sessions).where(eq(sessions.id, id));
		return null;
	}
	let expiresAt = row.expiresAt;
	let refreshed = false;
	if (now.getTime() >= expiresAt.getTime() - periodMs() / 2) {
		expiresAt = new Date(now.getTime() + periodMs());
		refreshed = true;
		await db.update(sessions).set({ expiresAt, lastSeenAt: now }).where(eq(sessions.id, id));
	} else if (now.getTime() - row.lastSeenAt.getTime() >= touchEveryMs()) {
		await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
	}
	return {
		session: { id: row.id, userId: row.userId, createdAt: row.createdAt, expiresAt },
		user: row.user,
		refreshed
	};
}

export async function invalidateSession(db: DbOrTx, sessionId: string): Promise<void> {
	await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of a user, or every one but `exceptSessionId`. */
export async function invalidateUserSessions(db: DbOrTx, userId: string, exceptSessionId?: string): Promise<void> {
	await db
		.delete(sessions)
		.where(exceptSessionId ? and(eq(sessions.userId, userId), ne(sessions.id, exceptSessionId)) : eq(sessions.userId, userId));
}

/** Removes sessions past their lifetime or idle time (of one user, or everyone's); returns how many. */
export async function deleteExpiredSessions(db: DbOrTx, now = new Date(), userId?: string): Promise<number> {
	const over = or(lt(sessions.expiresAt, now), lt(sessions.lastSeenAt, new Date(now.getTime() - idleMs())));
	const gone = await db
		.delete(sessions)
		.where(userId ? and(eq(sessions.userId, userId), over) : over)
		.returning({ id: sessions.id });
	return gone.length;
}

const lastPurge = new WeakMap<object, number>();
const PURGE_EVERY_MS = 60_000;

/** deleteExpiredSessions at most once a minute per database (sign-in calls it each time). */
export async function purgeSessionsNow(db: DbOrTx, now = new Date()): Promise<void> {
	const last = lastPurge.get(db) ?? 0;
	if (now.getTime() - last < PURGE_EVERY_MS) return;
	lastPurge.set(db, now.getTime());
	await deleteExpiredSessions(db, now);
}

/** Purges now and then every `everyMs` until the returned function is called. */
export function scheduleSessionPurge(db: () => DbOrTx, everyMs = 10 * 60_000, onError: (err: unknown) => void = () => {}): () => void {
	const run = () => deleteExpiredSessions(db()).catch(onError);
	void run();
	const timer = setInterval(run, everyMs);
	timer.unref();
	return () => clearInterval(timer);
}

const lastTouch = new Map<string, number>();

/**
 * Marks a session as in use from a channel other than HTTP (a Socket.IO event, an edit over
 * /collab), so someone working in the meeting room or the editor is not idle. At most one
 * write a minute per session.
 */
export function touchSession(db: DbOrTx, sessionId: string, now = new Date(), onError: (err: unknown) => void = () => {}): void {
	const last = lastTouch.get(sessionId) ?? 0;
	if (now.getTime() - last < touchEveryMs()) return;
	lastTouch.set(sessionId, now.getTime());
	if (lastTouch.size > 10_000) for (const [id, t] of lastTouch) if (now.getTime() - t > touchEveryMs()) lastTouch.delete(id);
	db.update(sessions)
		.set({ lastSeenAt: now })
		.where(eq(sessions.id, sessionId))
		.then(() => {}, onError);
}

/** Cookie attributes: HttpOnly, SameSite=Lax, Secure when the app is served over https. */
export function sessionCookieOptions(secure: boolean, expiresAt: Date) {
	return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure, expires: expiresAt };
}

/** The session token in a raw Cookie header (for Socket.IO and y-websocket upgrades). */
export function tokenFromCookieHeader(header: string | undefined | null): string | null {
	if (!header) return null;
	for (const part of header.split(';')) {
		const eqAt = part.indexOf('=');
		if (eqAt < 0) continue;
		if (part.slice(0, eqAt).trim() === SESSION_COOKIE) {
			try {
				return decodeURIComponent(part.slice(eqAt + 1).trim());
			} catch {
				return null;
			}
		}
	}
	return null;
}
