// Conflicts of interest (回避) that people state: an expert's own declaration, or one staff
// recorded. Conflicts through a shared institution are not stored: they are derived from the
// expert's and the applicant's names each time (src/lib/server/conflicts/).
import { sql } from 'drizzle-orm';
import { index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
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
		withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
		/** Only staff withdraw a conflict, and say why. */
		withdrawnBy: uuid('withdrawn_by').references(() => users.id),
		withdrawReason: text('withdraw_reason')
	},
	(t) => [index('conflicts_expert_idx').on(t.expertId), index('conflicts_application_idx').on(t.applicationId)]
);

export const institutionChangeStatus = pgEnum('institution_change_status', ['pending', 'approved', 'rejected', 'cancelled']);

/**
 * An expert's change of their own institution, which division staff approve or reject: the
 * institution decides conflicts, so an expert must not change it unreviewed. While pending,
 * both the old and the new institution count; once approved, the old one still counts for
 * meetings scheduled before the approval. Staff's own edits are recorded here as approved.
 */
export const expertInstitutionChanges = pgTable(
	'expert_institution_changes',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		expertId: uuid('expert_id')
			.notNull()
			.references(() => experts.id, { onDelete: 'cascade' }),
		oldInstitution: text('old_institution').notNull(),
		newInstitution: text('new_institution').notNull(),
		status: institutionChangeStatus('status').notNull().default('pending'),
		requestedBy: uuid('requested_by').references(() => users.id),
		requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
		decidedBy: uuid('decided_by').references(() => users.id),
		decidedAt: timestamp('decided_at', { withTimezone: true }),
		decisionNote: text('decision_note').notNull().default('')
	},
	(t) => [
		index('expert_institution_changes_expert_idx').on(t.expertId),
		uniqueIndex('expert_institution_changes_one_pending').on(t.expertId).where(sql`${t.status} = 'pending'`)
	]
);
