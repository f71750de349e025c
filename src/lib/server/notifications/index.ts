// Notifications: `notify` writes what each person is told inside the transaction of the action
// that causes it (so it is as durable as the action, and gone if the action rolls back), and
// queues its mail in the outbox the mail loop works (mail.ts). The text is rendered when read
// (render.ts), in the reader's language.
//
// Opt-out: a person's "off" for a kind stops its mail, never its inbox entry. The inbox is the
// record of what concerned them (a deadline, a rejection's reason); hiding it would lose that.
import { and, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { mailOutbox, notificationPreferences, notifications, users } from '$db/schema';
import type { DbOrTx } from '../db';
import { emit } from '../events';
import { slot } from '../runtime';
import { DEFAULT_MODE, isKind, NOTIFICATION_KINDS, NOTIFICATION_MODES, type NotificationKind, type NotificationMode, type NotificationParams } from '$lib/notifications/kinds';

export type { NotificationKind, NotificationParams, NotificationMode };

const mailQueue = slot<boolean>('notifications.mailQueue');

/**
 * Whether notify queues mail at all. Start-up turns it off without SMTP_URL, so an
 * installation that sets SMTP up later does not send a backlog of old news. On by default
 * (tests of the outbox run without start-up).
 */
export function queueMailWhen(enabled: boolean): void {
	mailQueue.set(enabled);
}

export interface NotifyInput<K extends NotificationKind> {
	userIds: string[];
	kind: K;
	params: NotificationParams[K];
	/** A path inside Panelroom, e.g. /reviews/<id>. */
	link?: string | null;
	/** The same key for the same person gives one notification, however often this runs. */
	dedupeKey?: string;
}

/**
 * Tells some people something, in the caller's transaction. Returns the ids of the
 * notifications made (a person already told under the same dedupeKey gets none).
 */
export async function notify<K extends NotificationKind>(tx: DbOrTx, input: NotifyInput<K>): Promise<string[]> {
	const userIds = [...new Set(input.userIds.filter(Boolean))];
	if (userIds.length === 0) return [];
	const prefs = await tx
		.select({ userId: notificationPreferences.userId, mode: notificationPreferences.mode })
		.from(notificationPreferences)
		.where(and(inArray(notificationPreferences.userId, userIds), eq(notificationPreferences.kind, input.kind)));
	const modeOf = new Map(prefs.map((p) => [p.userId, p.mode]));
	const mailable = (mailQueue.get() ?? true)
		? await tx
				.select({ id: users.id })
				.from(users)
				.where(and(inArray(users.id, userIds), eq(users.active, true), sql`coalesce(${users.email}, '') <> ''`))
		: [];
	const withMail = new Set(mailable.map((u) => u.id));
	const made = await tx
		.insert(notifications)
		.values(
			userIds.map((userId) => ({
				userId,
				kind: input.kind,
				params: input.params as unknown as Record<string, unknown>,
				link: input.link ?? null,
				dedupeKey: input.dedupeKey ?? null,
				digestPending: withMail.has(userId) && (modeOf.get(userId) ?? DEFAULT_MODE) === 'digest'
			}))
		)
		.onConflictDoNothing()
		.returning({ id: notifications.id, userId: notifications.userId });
	const mails = made.filter((n) => withMail.has(n.userId) && (modeOf.get(n.userId) ?? DEFAULT_MODE) === 'on');
	if (mails.length) await tx.insert(mailOutbox).values(mails.map((n) => ({ userId: n.userId, notificationIds: [n.id] })));
	// The socket layer waits until these rows are visible (the transaction committed) before
	// telling the browsers; a rolled-back action's notifications never show up.
	if (made.length) emit('notifications.created', { ids: made.map((n) => n.id), userIds: [...new Set(made.map((n) => n.userId))] });
	return made.map((n) => n.id);
}

export async function unreadCount(db: DbOrTx, userId: string): Promise<number> {
	const [row] = await db
		.select({ n: count() })
		.from(notifications)
		.where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
	return row?.n ?? 0;
}

export type NotificationRow = typeof notifications.$inferSelect;

/** One page of a person's notifications, newest first. */
export async function listNotifications(db: DbOrTx, userId: string, opts: { unreadOnly?: boolean; limit: number; offset: number }) {
	const where = and(eq(notifications.userId, userId), opts.unreadOnly ? isNull(notifications.readAt) : undefined);
	const rows = await db.select().from(notifications).where(where).orderBy(desc(notifications.createdAt), desc(notifications.id)).limit(opts.limit).offset(opts.offset);
	const [{ n }] = await db.select({ n: count() }).from(notifications).where(where);
	return { rows, total: n };
}

/** Marks some of the person's own notifications read (others' ids are ignored). */
export async function markRead(db: DbOrTx, userId: string, ids: string[]): Promise<number> {
	if (ids.length === 0) return 0;
	const done = await db
		.update(notifications)
		.set({ readAt: new Date() })
		.where(and(eq(notifications.userId, userId), inArray(notifications.id, ids), isNull(notifications.readAt)))
		.returning({ id: notifications.id });
	if (done.length) emit('notifications.read', { userId });
	return done.length;
}

export async function markAllRead(db: DbOrTx, userId: string): Promise<number> {
	const done = await db
		.update(notifications)
		.set({ readAt: new Date() })
		.where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
		.returning({ id: notifications.id });
	emit('notifications.read', { userId });
	return done.length;
}

/** A notification of the person, or null (someone else's reads as not found). */
export async function ownNotification(db: DbOrTx, userId: string, id: string): Promise<NotificationRow | null> {
	const [row] = await db
		.select()
		.from(notifications)
		.where(and(eq(notifications.id, id), eq(notifications.userId, userId)));
	return row ?? null;
}

/** The person's mail choice for every kind (defaults filled in). */
export async function preferences(db: DbOrTx, userId: string): Promise<Record<NotificationKind, NotificationMode>> {
	const rows = await db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, userId));
	const chosen = new Map(rows.map((r) => [r.kind, r.mode]));
	return Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, chosen.get(k) ?? DEFAULT_MODE])) as Record<NotificationKind, NotificationMode>;
}

export type SetPreferencesResult = { ok: true } | { ok: false; code: 'invalid' };

export async function setPreferences(db: DbOrTx, userId: string, choices: Record<string, string>): Promise<SetPreferencesResult> {
	const entries = Object.entries(choices);
	if (entries.some(([k, v]) => !isKind(k) || !(NOTIFICATION_MODES as readonly string[]).includes(v))) return { ok: false, code: 'invalid' };
	if (entries.length === 0) return { ok: true };
	await db
		.insert(notificationPreferences)
		.values(entries.map(([kind, mode]) => ({ userId, kind, mode: mode as NotificationMode })))
		.onConflictDoUpdate({ target: [notificationPreferences.userId, notificationPreferences.kind], set: { mode: sql`excluded.mode`, updatedAt: sql`now()` } });
	return { ok: true };
}

/** The user's email and language, for the preferences page and the mail. */
export async function recipient(db: DbOrTx, userId: string) {
	const [u] = await db.select({ id: users.id, name: users.name, email: users.email, locale: users.locale, active: users.active }).from(users).where(eq(users.id, userId));
	return u ?? null;
}
