// Notifications (通知): what the inbox shows each person, the mails waiting to go out, and
// each person's choice per kind (on, off, daily digest). Review-deadline extensions granted
// by a division live here too: the deadline loop and the review sheet read them.
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid, boolean } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { users } from './auth';
import { assignments } from './assignments';

/**
 * One thing one person is told. The text is rendered at read time from `kind` and `params`
 * in the reader's language, so a notification reads right after a language switch.
 */
export const notifications = pgTable(
	'notifications',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		kind: text('kind').notNull(),
		params: jsonb('params').$type<Record<string, unknown>>().notNull().default({}),
		/** A path inside Panelroom the notification opens. */
		link: text('link'),
		/** Same key for the same person → one notification (two nodes, a restart, a double click). */
		dedupeKey: text('dedupe_key'),
		/** Waiting for this person's daily digest mail. */
		digestPending: boolean('digest_pending').notNull().default(false),
		readAt: timestamp('read_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('notifications_dedupe').on(t.userId, t.dedupeKey).where(sql`${t.dedupeKey} IS NOT NULL`),
		index('notifications_user_idx').on(t.userId, t.createdAt),
		index('notifications_digest_idx').on(t.userId).where(sql`${t.digestPending}`)
	]
);

/** A person's choice for one kind: on (mail each), off (no mail), digest (one mail a day). */
export const notificationPreferences = pgTable(
	'notification_preferences',
	{
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		kind: text('kind').notNull(),
		mode: text('mode').$type<'on' | 'off' | 'digest'>().notNull(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.userId, t.kind] })]
);

/**
 * A mail to send, written in the transaction of the action that caused it and sent later by
 * the outbox loop, so a slow or broken mail server never holds up or fails the action.
 */
export const mailOutbox = pgTable(
	'mail_outbox',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		/** The notifications it tells of: one, or a day's digest. */
		notificationIds: jsonb('notification_ids').$type<string[]>().notNull(),
		digest: boolean('digest').notNull().default(false),
		/** pending (to send or retry), sent, failed (gave up; an admin may retry). */
		status: text('status').$type<'pending' | 'sent' | 'failed'>().notNull().default('pending'),
		attempts: integer('attempts').notNull().default(0),
		nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
		/** A node working on it holds it until then (another node skips it). */
		lockedUntil: timestamp('locked_until', { withTimezone: true }),
		lastError: text('last_error'),
		/** The subject as last rendered, for the admin's list. */
		subject: text('subject'),
		recipient: text('recipient'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		sentAt: timestamp('sent_at', { withTimezone: true })
	},
	(t) => [index('mail_outbox_due_idx').on(t.status, t.nextAttemptAt)]
);

/** The last digest mailed to each person, so a day's digest goes out once (also across nodes). */
export const notificationDigests = pgTable(
	'notification_digests',
	{
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		/** The Beijing date (YYYY-MM-DD) of the digest. */
		day: text('day').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.userId, t.day] })]
);

/**
 * A review deadline extended for one expert on one assignment by the division's staff: the
 * sheet may be submitted until `until`. The newest grant counts.
 */
export const reviewExtensions = pgTable(
	'review_extensions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		assignmentId: uuid('assignment_id')
			.notNull()
			.references(() => assignments.id, { onDelete: 'cascade' }),
		until: timestamp('until', { withTimezone: true }).notNull(),
		reason: text('reason').notNull(),
		grantedBy: uuid('granted_by').references(() => users.id),
		grantedByName: text('granted_by_name'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('review_extensions_assignment_idx').on(t.assignmentId, t.createdAt)]
);

/** Reminders sent from the progress page, one per expert per call per Beijing day. */
export const reviewReminders = pgTable(
	'review_reminders',
	{
		expertUserId: uuid('expert_user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		callId: uuid('call_id').notNull(),
		day: text('day').notNull(),
		sentBy: uuid('sent_by').references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.expertUserId, t.callId, t.day] })]
);
