// An upload checked by an import preview, kept on the server until its owner confirms it:
// confirming names this row, so what is imported is exactly what was checked and capped.
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { calls } from './programs';

export const importUploads = pgTable(
	'import_uploads',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** Only this user may confirm it. */
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		/** 'experts' or 'applications'. */
		kind: text('kind').notNull(),
		/** The call an application import goes into; null for experts. */
		callId: uuid('call_id').references(() => calls.id, { onDelete: 'cascade' }),
		/** The file as CSV text (a workbook already converted). */
		text: text('text').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull()
	},
	(t) => [index('import_uploads_user_idx').on(t.userId), index('import_uploads_expires_idx').on(t.expiresAt)]
);
