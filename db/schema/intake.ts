// Formal review (形式审查) at intake: the outcome of each item of the call's checklist for an
// application, who checked it and when. Accepting needs every item passed.
import { boolean, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { applications } from './applications';

/** The three intake checks the center runs: eligibility, formal completeness, content. */
export const intakeStage = pgEnum('intake_stage', ['eligibility', 'formal', 'content']);

/** One checklist item's outcome for one application. */
export const intakeChecks = pgTable(
	'intake_checks',
	{
		applicationId: uuid('application_id')
			.notNull()
			.references(() => applications.id, { onDelete: 'cascade' }),
		/** The item's key in calls.intake_checklist. */
		key: text('key').notNull(),
		stage: intakeStage('stage').notNull(),
		passed: boolean('passed').notNull(),
		note: text('note').notNull().default(''),
		checkedBy: uuid('checked_by').references(() => users.id),
		checkedByName: text('checked_by_name'),
		checkedAt: timestamp('checked_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.applicationId, t.key] })]
);
