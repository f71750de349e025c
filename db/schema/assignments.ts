// Who reviews what: expert assignments and the runs (matching or random draw) that made
// them. A run keeps its inputs (seed, eligible pools, parameters) so anyone can re-run it and
// get the same experts.
import { index, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { users } from './auth';
import { experts } from './org';
import { applications } from './applications';
import { calls, rubricForm } from './programs';

export const assignmentSource = pgEnum('assignment_source', ['matching', 'draw', 'manual']);
/** active: the expert reviews it; declined by the expert (with a reason); removed by staff. */
export const assignmentStatus = pgEnum('assignment_status', ['active', 'declined', 'removed']);

/** Why an assignment was made, for people to read (matching, draw or manual). */
export interface AssignmentReason {
	/** primary / secondary: the application's field is the expert's primary or secondary field. */
	match: 'primary' | 'secondary' | 'none';
	field: string;
	/** The expert's number of active assignments in this call once this one was made. */
	load: number;
	maxLoad: number;
	/** The path's cost in the matching (lower is better). */
	cost?: number;
	/** For draws: the size of the eligible pool it was drawn from. */
	poolSize?: number;
	note?: string;
}

/** An application that a run could not fully staff, and why. */
export interface UnstaffedReport {
	applicationId: string;
	number: string;
	form: 'technical' | 'finance';
	needed: number;
	assigned: number;
	reason: 'noEligible' | 'poolTooSmall' | 'loadFull';
	eligible: number;
	conflicted: number;
	/** A draw's pool rule for this form: at least this many eligible (factor × needed). */
	required?: number;
}

/** One application's draw: what was drawn from, and what came out. */
export interface DrawRecord {
	applicationId: string;
	number: string;
	technicalPool: string[];
	financePool: string[];
	technicalNeeded: number;
	financeNeeded: number;
	drawn: string[];
}

/** One press of "assign automatically" or "draw": its inputs and its report. */
export const assignmentRuns = pgTable(
	'assignment_runs',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		callId: uuid('call_id')
			.notNull()
			.references(() => calls.id, { onDelete: 'cascade' }),
		method: assignmentSource('method').notNull(),
		/** The draw's seed (hex); null for matching, which involves no chance. */
		seed: text('seed'),
		params: jsonb('params').$type<Record<string, unknown>>().notNull().default({}),
		draws: jsonb('draws').$type<DrawRecord[]>().notNull().default([]),
		unstaffed: jsonb('unstaffed').$type<UnstaffedReport[]>().notNull().default([]),
		/** Figures for the record: assignments made, total cost, milliseconds. */
		stats: jsonb('stats').$type<Record<string, number>>().notNull().default({}),
		createdBy: uuid('created_by').references(() => users.id),
		createdByName: text('created_by_name'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('assignment_runs_call_idx').on(t.callId, t.createdAt)]
);

/** An expert asked to review an application on one form (technical or finance). */
export const assignments = pgTable(
	'assignments',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		callId: uuid('call_id')
			.notNull()
			.references(() => calls.id),
		applicationId: uuid('application_id')
			.notNull()
			.references(() => applications.id, { onDelete: 'cascade' }),
		expertId: uuid('expert_id')
			.notNull()
			.references(() => experts.id),
		form: rubricForm('form').notNull(),
		status: assignmentStatus('status').notNull().default('active'),
		source: assignmentSource('source').notNull(),
		runId: uuid('run_id').references(() => assignmentRuns.id),
		reason: jsonb('reason').$type<AssignmentReason>().notNull(),
		/** The expert's reason for declining, or staff's for removing. */
		endReason: text('end_reason'),
		createdBy: uuid('created_by').references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		endedBy: uuid('ended_by').references(() => users.id),
		endedAt: timestamp('ended_at', { withTimezone: true })
	},
	(t) => [
		uniqueIndex('assignments_active_pair').on(t.applicationId, t.expertId).where(sql`${t.status} = 'active'`),
		index('assignments_expert_idx').on(t.expertId, t.status),
		index('assignments_call_idx').on(t.callId, t.status)
	]
);
