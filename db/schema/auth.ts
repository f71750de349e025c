// Accounts, sessions and sign-in throttling (src/lib/server/auth/ works on these).
import { boolean, check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

const stamps = {
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
};

/** A person who signs in: staff, expert, applicant or admin. Never deleted, only deactivated. */
export const users = pgTable(
	'users',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** Always lower case; the sign-in name. */
		username: text('username').notNull().unique(),
		name: text('name').notNull(),
		email: text('email'),
		phone: text('phone'),
		passwordHash: text('password_hash').notNull(),
		isAdmin: boolean('is_admin').notNull().default(false),
		active: boolean('active').notNull().default(true),
		/** Preferred UI language, remembered across devices; null means the default (zh-CN). */
		locale: text('locale'),
		/** Colour of this person's caret and presence badge, as the server assigns it. */
		color: text('color').notNull().default('#2563eb'),
		passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull().defaultNow(),
		lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
		...stamps
	},
	(t) => [check('users_username_lower', sql`${t.username} = lower(${t.username})`)]
);

/**
 * A signed-in browser or script. The cookie holds `<id>.<secret>`; only the SHA-256 of the
 * secret is stored, so a copy of this table signs no one in.
 */
export const sessions = pgTable(
	'sessions',
	{
		id: text('id').primaryKey(),
		secretHash: text('secret_hash').notNull(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
		ip: text('ip'),
		userAgent: text('user_agent')
	},
	(t) => [index('sessions_user_idx').on(t.userId)]
);

/**
 * Sign-in attempts per account (`user:<name>`) and per account and address
 * (`pair:<name>|<addr>`), for slowing guessers. An attempt is counted before its password is
 * checked and handed back when it succeeds, so `failures` is the failed (or still running)
 * attempts in the current window.
 */
export const authThrottle = pgTable('auth_throttle', {
	key: text('key').primaryKey(),
	failures: integer('failures').notNull().default(0),
	lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull().defaultNow(),
	/** When the current count started: an account's window is fixed, so one slow guesser never fills it. */
	windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull().defaultNow(),
	blockedUntil: timestamp('blocked_until', { withTimezone: true })
});

export { stamps };
