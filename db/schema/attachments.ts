// Files attached to an application (申报附件): PDFs only, checked by content, kept in the
// database itself so a backup of Postgres is a backup of everything. Only a draft takes new
// attachments (a trigger refuses the rest: nothing is added to a submitted application).
import { index, integer, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { applications } from './applications';
import { bytea } from './bytea';

/** What a file is for: the proposal (申报书), financial statements, or other evidence. */
export const attachmentKind = pgEnum('attachment_kind', ['proposal', 'financials', 'other']);

/** One uploaded PDF of an application. */
export const applicationAttachments = pgTable(
	'application_attachments',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		applicationId: uuid('application_id')
			.notNull()
			.references(() => applications.id, { onDelete: 'cascade' }),
		kind: attachmentKind('kind').notNull(),
		fileName: text('file_name').notNull(),
		contentType: text('content_type').notNull().default('application/pdf'),
		size: integer('size').notNull(),
		/** SHA-256 of the content, hex: shown to reviewers so everyone knows they read the same file. */
		sha256: text('sha256').notNull(),
		pages: integer('pages'),
		data: bytea('data').notNull(),
		uploadedBy: uuid('uploaded_by').references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('application_attachments_application_idx').on(t.applicationId)]
);
