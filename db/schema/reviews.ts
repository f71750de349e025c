// Individual reviews (个人评审): an expert's blind scoring of one assignment against the
// call's rubric. Saved as a draft, then submitted; a submitted review is final (a trigger
// refuses changes) until staff return it to the expert.
import { boolean, numeric, pgEnum, pgTable, text, timestamp, uuid, jsonb, index } from 'drizzle-orm/pg-core';
import { experts } from './org';
import { applications } from './applications';
import { rubricForm, rubrics } from './programs';
import { assignments } from './assignments';

export const reviewStatus = pgEnum('review_status', ['draft', 'submitted']);
export const recommendation = pgEnum('recommendation', ['fund', 'decline']);

/** A veto (一票否决): the rule it invokes and the expert's written reason, instead of a score. */
export interface ReviewVeto {
	ruleId: string;
	reason: string;
}

/** One expert's review of one assignment. */
export const reviews = pgTable(
	'reviews',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		assignmentId: uuid('assignment_id')
			.notNull()
			.unique()
			.references(() => assignments.id, { onDelete: 'cascade' }),
		applicationId: uuid('application_id')
			.notNull()
			.references(() => applications.id, { onDelete: 'cascade' }),
		expertId: uuid('expert_id')
			.notNull()
			.references(() => experts.id),
		rubricId: uuid('rubric_id')
			.notNull()
			.references(() => rubrics.id),
		form: rubricForm('form').notNull(),
		status: reviewStatus('status').notNull().default('draft'),
		/** rubric_items.id → score 0–100. */
		scores: jsonb('scores').$type<Record<string, number>>().notNull().default({}),
		/** rubric_rules.id (deductions) → points deducted. */
		deductions: jsonb('deductions').$type<Record<string, number>>().notNull().default({}),
		veto: jsonb('veto').$type<ReviewVeto | null>(),
		opinion: text('opinion').notNull().default(''),
		recommendation: recommendation('recommendation'),
		/** Suggested amount in 10k yuan (万元). */
		suggestedAmount: numeric('suggested_amount', { precision: 12, scale: 2 }),
		/** Σ score × weight / 100 − deductions, computed by the server; null when vetoed. */
		total: numeric('total', { precision: 6, scale: 2 }),
		/** Finance form: whether the total reaches the pass mark (60). */
		passed: boolean('passed'),
		submittedAt: timestamp('submitted_at', { withTimezone: true }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('reviews_application_idx').on(t.applicationId), index('reviews_expert_idx').on(t.expertId)]
);
