// Programs, their yearly calls, and each call's scoring rubric.
import {
	boolean,
	integer,
	jsonb,
	numeric,
	pgEnum,
	pgTable,
	primaryKey,
	text,
	timestamp,
	unique,
	uuid,
	index
} from 'drizzle-orm/pg-core';
import { stamps, users } from './auth';
import { divisions, technicalField } from './org';
import { FUNDING_MODES } from '../../src/lib/values/funding';
import { FLAG_MODES } from '../../src/lib/scoring/flags';

export const fundingMode = pgEnum('funding_mode', FUNDING_MODES);
export const callStatus = pgEnum('call_status', ['draft', 'open', 'closed']);
export const expertSelection = pgEnum('expert_selection', ['matching', 'draw']);
export const scoreAggregation = pgEnum('score_aggregation', ['mean', 'trimmedMean']);
/** How the discrepancy threshold reads: percent of a column's full marks, or points. */
export const discrepancyRule = pgEnum('discrepancy_rule', FLAG_MODES);
export const rubricForm = pgEnum('rubric_form', ['technical', 'finance']);
export const rubricRuleKind = pgEnum('rubric_rule_kind', ['deduction', 'veto']);

/** A program (计划/专项), e.g. the Innovation Fund; run by a lead division. */
export const programs = pgTable('programs', {
	id: uuid('id').primaryKey().defaultRandom(),
	code: text('code').notNull().unique(),
	name: text('name').notNull(),
	nameEn: text('name_en').notNull(),
	description: text('description').notNull().default(''),
	divisionId: uuid('division_id')
		.notNull()
		.references(() => divisions.id)
});

/** Every division that works on a program (the lead one included): their staff manage its calls. */
export const programDivisions = pgTable(
	'program_divisions',
	{
		programId: uuid('program_id')
			.notNull()
			.references(() => programs.id, { onDelete: 'cascade' }),
		divisionId: uuid('division_id')
			.notNull()
			.references(() => divisions.id, { onDelete: 'cascade' })
	},
	(t) => [primaryKey({ columns: [t.programId, t.divisionId] })]
);

/** One item of a call's intake checklist; `stage` is one of the three intake checks. */
export interface IntakeCheck {
	key: string;
	stage: 'eligibility' | 'formal' | 'content';
	label: string;
	labelEn: string;
}

/** A program's call for applications in one year (年度申报). */
export const calls = pgTable(
	'calls',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		programId: uuid('program_id')
			.notNull()
			.references(() => programs.id),
		year: integer('year').notNull(),
		/** Short code used in application numbers, e.g. IF2026. */
		code: text('code').notNull().unique(),
		title: text('title').notNull(),
		titleEn: text('title_en').notNull(),
		/** What the call supports, in a few lines (the guideline document has the details). */
		description: text('description').notNull().default(''),
		status: callStatus('status').notNull().default('draft'),
		opensAt: timestamp('opens_at', { withTimezone: true }).notNull(),
		closesAt: timestamp('closes_at', { withTimezone: true }).notNull(),
		fields: technicalField('fields').array().notNull().default([]),
		fundingModes: fundingMode('funding_modes').array().notNull().default(['grant']),
		/** Funding ceilings in 10k yuan (万元). */
		ceiling: numeric('ceiling', { precision: 12, scale: 2 }).notNull().default('100'),
		majorCeiling: numeric('major_ceiling', { precision: 12, scale: 2 }).notNull().default('200'),
		reviewersPerApplication: integer('reviewers_per_application').notNull().default(3),
		/** How many of the reviewers per application are finance experts (on the finance form). */
		financeReviewers: integer('finance_reviewers').notNull().default(1),
		/** Most active assignments one expert gets in this call. */
		maxPerExpert: integer('max_per_expert').notNull().default(10),
		/** Random draw: the least share of technical experts among an application's reviewers. */
		minTechnicalShare: numeric('min_technical_share', { precision: 4, scale: 2 }).notNull().default('0.6'),
		/** Random draw: the eligible pool must hold at least this many times the experts needed. */
		poolFactor: integer('pool_factor').notNull().default(3),
		/** Individual reviews are due by then; null means no deadline. */
		reviewDeadline: timestamp('review_deadline', { withTimezone: true }),
		selection: expertSelection('selection').notNull().default('matching'),
		aggregation: scoreAggregation('aggregation').notNull().default('mean'),
		/**
		 * Range (max − min) above which a column (item, group, total) is flagged as a
		 * discrepancy: percent of that column's full marks (relative) or points (absolute).
		 * One rule for the meeting, the dashboard and the exports ($lib/scoring/flags).
		 */
		discrepancyThreshold: numeric('discrepancy_threshold', { precision: 6, scale: 2 }).notNull().default('15'),
		discrepancyRule: discrepancyRule('discrepancy_rule').notNull().default('relative'),
		/** Whether the panel decides by secret ballot. */
		requiresBallot: boolean('requires_ballot').notNull().default(false),
		intakeChecklist: jsonb('intake_checklist').$type<IntakeCheck[]>().notNull().default([]),
		/** The call's guideline (年度指南), a shared document. */
		guidelineDocumentId: uuid('guideline_document_id'),
		createdBy: uuid('created_by').references(() => users.id),
		...stamps
	},
	(t) => [index('calls_program_idx').on(t.programId, t.year)]
);

/** A scoring form of a call: the technical form, and optionally a finance form. */
export const rubrics = pgTable(
	'rubrics',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		callId: uuid('call_id')
			.notNull()
			.references(() => calls.id, { onDelete: 'cascade' }),
		form: rubricForm('form').notNull().default('technical'),
		name: text('name').notNull(),
		nameEn: text('name_en').notNull(),
		/** A total under this mark disqualifies (the finance gate: 60). */
		passMark: numeric('pass_mark', { precision: 6, scale: 2 })
	},
	(t) => [unique('rubrics_call_form').on(t.callId, t.form)]
);

/** A weighted criterion group, e.g. 项目技术创新性 (35 points). Its weight is the sum of its items. */
export const rubricGroups = pgTable('rubric_groups', {
	id: uuid('id').primaryKey().defaultRandom(),
	rubricId: uuid('rubric_id')
		.notNull()
		.references(() => rubrics.id, { onDelete: 'cascade' }),
	key: text('key').notNull(),
	name: text('name').notNull(),
	nameEn: text('name_en').notNull(),
	sort: integer('sort').notNull().default(0)
});

/**
 * A scored item of a group. Experts score each item 0–100; `weight` is its share of the
 * 100-point total in points (创新程度 0.09 → 9), so the weighted total is Σ score × weight / 100.
 */
export const rubricItems = pgTable('rubric_items', {
	id: uuid('id').primaryKey().defaultRandom(),
	groupId: uuid('group_id')
		.notNull()
		.references(() => rubricGroups.id, { onDelete: 'cascade' }),
	key: text('key').notNull(),
	name: text('name').notNull(),
	nameEn: text('name_en').notNull(),
	weight: integer('weight').notNull(),
	guidance: text('guidance').notNull().default(''),
	sort: integer('sort').notNull().default(0)
});

/** A deduction (扣分, up to `maxPoints`) or a veto item (一票否决) of a rubric. */
export const rubricRules = pgTable('rubric_rules', {
	id: uuid('id').primaryKey().defaultRandom(),
	rubricId: uuid('rubric_id')
		.notNull()
		.references(() => rubrics.id, { onDelete: 'cascade' }),
	kind: rubricRuleKind('kind').notNull(),
	key: text('key').notNull(),
	name: text('name').notNull(),
	nameEn: text('name_en').notNull(),
	maxPoints: integer('max_points'),
	sort: integer('sort').notNull().default(0)
});
