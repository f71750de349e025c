// What a call's settings form and rubric editor may send, parsed with localized messages.
import { FLAG_MODES } from '$lib/scoring/flags';
import { m } from '$lib/paraglide/messages';
import { checkbox, z } from '../validation';
import { fromBeijingInput } from '$lib/datetime';
import { FUNDING_MODES, TECHNICAL_FIELDS } from '$lib/values';
import { rubricProblems, type RubricInput, type RubricProblem } from '$lib/rubric';

const text = (max: number) => z.string().trim().max(max);
const many = <T extends readonly [string, ...string[]]>(values: T) =>
	z
		.union([z.string(), z.array(z.string())])
		.optional()
		.transform((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]))
		.pipe(z.array(z.enum(values)).min(1));
const number = (min: number, max: number) => z.coerce.number().min(min).max(max);
const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const dateTime = z
	.string()
	.trim()
	.transform((v, ctx) => {
		const d = fromBeijingInput(v);
		if (!d) ctx.addIssue({ code: 'custom', message: v ? m.v_invalid() : m.v_required() });
		return d as Date;
	});
const optionalDateTime = z
	.string()
	.trim()
	.optional()
	.transform((v, ctx) => {
		if (!v) return null;
		const d = fromBeijingInput(v);
		if (!d) ctx.addIssue({ code: 'custom', message: m.v_invalid() });
		return d;
	});

export const checklistItemSchema = z.object({
	key: z.string().trim().regex(/^[A-Za-z][\w-]{0,39}$/),
	stage: z.enum(['eligibility', 'formal', 'content']),
	label: text(200).min(1),
	labelEn: text(200)
});

const json = <T>(schema: z.ZodType<T>) =>
	z.string().transform((v, ctx) => {
		try {
			return schema.parse(JSON.parse(v));
		} catch {
			ctx.addIssue({ code: 'custom', message: m.v_invalid() });
			return z.NEVER;
		}
	});

export const callSettingsSchema = z
	.object({
		code: z
			.string()
			.trim()
			.toUpperCase()
			.regex(/^[A-Z][A-Z0-9-]{1,19}$/, { error: () => m.calls_v_code() }),
		year: integer(2000, 2100),
		title: text(200).min(1),
		titleEn: text(200),
		description: text(2000),
		status: z.enum(['draft', 'open', 'closed']),
		opensAt: dateTime,
		closesAt: dateTime,
		reviewDeadline: optionalDateTime,
		fields: many(TECHNICAL_FIELDS),
		fundingModes: many(FUNDING_MODES),
		ceiling: number(0.01, 1_000_000),
		majorCeiling: number(0.01, 1_000_000),
		reviewersPerApplication: integer(1, 15),
		financeReviewers: integer(0, 14),
		maxPerExpert: integer(1, 500),
		selection: z.enum(['matching', 'draw']),
		minTechnicalShare: number(0, 1),
		poolFactor: integer(1, 10),
		aggregation: z.enum(['mean', 'trimmedMean']),
		discrepancyThreshold: number(0, 100),
		discrepancyRule: z.enum(FLAG_MODES).default('relative'),
		requiresBallot: checkbox,
		checklist: json(z.array(checklistItemSchema).max(50))
	})
	.superRefine((v, ctx) => {
		if (v.opensAt && v.closesAt && v.closesAt <= v.opensAt) ctx.addIssue({ code: 'custom', path: ['closesAt'], message: m.calls_v_closes_after_opens() });
		if (v.reviewDeadline && v.closesAt && v.reviewDeadline <= v.closesAt) ctx.addIssue({ code: 'custom', path: ['reviewDeadline'], message: m.calls_v_deadline_after_close() });
		if (v.majorCeiling < v.ceiling) ctx.addIssue({ code: 'custom', path: ['majorCeiling'], message: m.calls_v_major_ceiling() });
		if (v.financeReviewers >= v.reviewersPerApplication) ctx.addIssue({ code: 'custom', path: ['financeReviewers'], message: m.calls_v_finance_reviewers() });
		if (v.selection === 'draw') {
			if (v.financeReviewers < 1) ctx.addIssue({ code: 'custom', path: ['financeReviewers'], message: m.calls_v_draw_finance() });
			const share = (v.reviewersPerApplication - v.financeReviewers) / v.reviewersPerApplication;
			if (share + 1e-9 < v.minTechnicalShare) ctx.addIssue({ code: 'custom', path: ['minTechnicalShare'], message: m.calls_v_draw_share({ share: Math.round(share * 100) }) });
		}
		const keys = new Set<string>();
		for (const item of v.checklist) {
			if (keys.has(item.key)) ctx.addIssue({ code: 'custom', path: ['checklist'], message: m.calls_v_checklist_duplicate({ key: item.key }) });
			keys.add(item.key);
		}
	});

export type CallSettings = z.infer<typeof callSettingsSchema>;

const ruleSchema = z.object({
	id: z.string().optional(),
	key: z.string().trim().regex(/^[A-Za-z][\w-]{0,39}$/),
	name: text(100),
	nameEn: text(100),
	maxPoints: z.number().int().nullable().optional()
});

export const rubricSchema = z.object({
	form: z.enum(['technical', 'finance']),
	name: text(200),
	nameEn: text(200),
	passMark: z.number().nullable(),
	groups: z
		.array(
			z.object({
				id: z.string().optional(),
				key: z.string().trim().regex(/^[A-Za-z][\w-]{0,39}$/),
				name: text(100),
				nameEn: text(100),
				items: z
					.array(
						z.object({
							id: z.string().optional(),
							key: z.string().trim().regex(/^[A-Za-z][\w-]{0,39}$/),
							name: text(100),
							nameEn: text(100),
							weight: z.number(),
							guidance: text(1000).default('')
						})
					)
					.max(40)
			})
		)
		.max(20),
	deductions: z.array(ruleSchema).max(20),
	vetoes: z.array(ruleSchema).max(20)
});

export const rubricsPayloadSchema = json(z.array(rubricSchema).max(2));

/** What is wrong with the submitted rubrics as a whole, or with one of them; translated at the edge. */
export type CallRubricProblem =
	| { code: 'invalid' }
	| { code: 'duplicateForm' }
	| { code: 'technicalRequired' }
	| { code: 'financeRequired' }
	| { code: 'inForm'; rubric: RubricInput; problem: RubricProblem };

/** Every problem of the submitted rubrics, in the order they are shown. */
export function rubricsProblems(rubrics: RubricInput[], financeNeeded: boolean): CallRubricProblem[] {
	const out: CallRubricProblem[] = [];
	const forms = new Set<string>();
	for (const r of rubrics) {
		if (forms.has(r.form)) out.push({ code: 'duplicateForm' });
		forms.add(r.form);
		for (const problem of rubricProblems(r)) out.push({ code: 'inForm', rubric: r, problem });
	}
	if (!forms.has('technical')) out.push({ code: 'technicalRequired' });
	if (financeNeeded && !forms.has('finance')) out.push({ code: 'financeRequired' });
	return out;
}
