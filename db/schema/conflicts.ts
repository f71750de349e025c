// Conflicts of interest (回避) that people state: an expert's own declaration, or one staff
// recorded. Conflicts through a shared institution are not stored: they are derived from the
// expert's and the applicant's names each time (src/lib/server/conflicts/).
import { index, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { experts } from './org';
import { applications } from './applications';

export const conflictSource = pgEnum('conflict_source', ['declared', 'recorded']);

/** A stated conflict: with one application, or with every application of an institution. */
export const conflicts = pgTable(
	'conflicts',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		expertId: uuid('expert_id')
			.notNull()
			.references(() => experts.id, { onDelete: 'cascade' }),
		applicationId: uuid('application_id').references(() => applications.id, { onDelete: 'cascade' }),
		/** An institution (enterprise) name the expert must not review; compared after normalizing. */
		institution: text('institution'),
		source: conflictSource('source').notNull(),
		reason: text('reason').notNull(),
		createdBy: uuid('created_by').references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		/** Withdrawn conflicts stay for the record. */
		withdrawnAt: timestamp('withdrawn_at', { withTimezone: true })
	},
	(t) => [index('conflicts_expert_idx').on(t.expertId), index('conflicts_application_idx').on(t.applicationId)]
);
