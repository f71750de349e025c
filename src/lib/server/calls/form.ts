// The call form on the server: reading what it posts (settings, checklist, rubrics), the
// values it starts from for a new call (last year's call of the program, or the Innovation
// Fund's own forms), and the values of an existing call.
import { desc, eq } from 'drizzle-orm';
import { calls } from '$db/schema';
import type { DbOrTx } from '../db';
import { parse, type FieldErrors } from '../validation';
import { toBeijingInput } from '$lib/datetime';
import type { RubricInput } from '$lib/rubric';
import { callSettingsSchema, rubricsPayloadSchema, rubricsProblems, type CallRubricProblem, type CallSettings } from './schemas';
import { loadRubrics, type Call } from './queries';
import { IF2026_CHECKLIST, IF_FINANCE_RUBRIC, IF_TECHNICAL_RUBRIC, newCallDefaults } from './templates';

export type CallFormValues = Record<string, string | string[] | undefined>;

export type ParsedCallForm =
	| { ok: true; settings: CallSettings; rubrics: RubricInput[] | null }
	| { ok: false; errors: FieldErrors; rubricProblems: CallRubricProblem[] };

/** Reads the posted form; `rubrics` is null when the form did not send them (a frozen rubric). */
export function parseCallForm(fields: Record<string, string | string[]>): ParsedCallForm {
	const settings = parse(callSettingsSchema, fields);
	let rubrics: RubricInput[] | null = null;
	const rubricErrors: CallRubricProblem[] = [];
	if (typeof fields.rubrics === 'string') {
		const parsed = parse(rubricsPayloadSchema, fields.rubrics);
		if (!parsed.ok) rubricErrors.push({ code: 'invalid' });
		else rubrics = parsed.data.map((r) => ({ ...r, groups: r.groups.map((g) => ({ ...g, items: g.items.map((i) => ({ ...i, guidance: i.guidance ?? '' })) })) }));
		if (rubrics && settings.ok) rubricErrors.push(...rubricsProblems(rubrics, settings.data.financeReviewers > 0));
		else if (rubrics) rubricErrors.push(...rubricsProblems(rubrics, false));
	}
	if (!settings.ok || rubricErrors.length) {
		return { ok: false, errors: settings.ok ? {} : settings.errors, rubricProblems: rubricErrors };
	}
	return { ok: true, settings: settings.data, rubrics };
}

export function callValues(call: Call): CallFormValues {
	return {
		code: call.code,
		year: String(call.year),
		title: call.title,
		titleEn: call.titleEn,
		description: call.description,
		status: call.status,
		opensAt: toBeijingInput(call.opensAt),
		closesAt: toBeijingInput(call.closesAt),
		reviewDeadline: toBeijingInput(call.reviewDeadline),
		fields: call.fields,
		fundingModes: call.fundingModes,
		ceiling: String(Number(call.ceiling)),
		majorCeiling: String(Number(call.majorCeiling)),
		reviewersPerApplication: String(call.reviewersPerApplication),
		financeReviewers: String(call.financeReviewers),
		maxPerExpert: String(call.maxPerExpert),
		selection: call.selection,
		minTechnicalShare: String(Number(call.minTechnicalShare)),
		poolFactor: String(call.poolFactor),
		aggregation: call.aggregation,
		discrepancyThreshold: String(Number(call.discrepancyThreshold)),
		discrepancyRule: call.discrepancyRule,
		requiresBallot: call.requiresBallot ? 'on' : ''
	};
}

function templateRubric(r: typeof IF_TECHNICAL_RUBRIC | typeof IF_FINANCE_RUBRIC, form: 'technical' | 'finance'): RubricInput {
	return {
		form,
		name: r.name,
		nameEn: r.nameEn,
		passMark: 'passMark' in r ? Number(r.passMark) : null,
		groups: r.groups.map((g) => ({ key: g.key, name: g.name, nameEn: g.nameEn, items: g.items.map((i) => ({ key: i.key, name: i.name, nameEn: i.nameEn, weight: i.weight, guidance: '' })) })),
		deductions: r.deductions.map((d) => ({ key: d.key, name: d.name, nameEn: d.nameEn, maxPoints: d.maxPoints })),
		vetoes: r.vetoes.map((v) => ({ key: v.key, name: v.name, nameEn: v.nameEn }))
	};
}

/** What a new call of a program starts from: its latest call a year on, or the fund's forms. */
export async function newCallStart(db: DbOrTx, programId: string | null) {
	const [latest] = programId ? await db.select().from(calls).where(eq(calls.programId, programId)).orderBy(desc(calls.year)).limit(1) : [];
	const year = new Date().getFullYear() + 1;
	if (latest) {
		const shift = (d: Date | null) => (d ? new Date(d.getTime() + 365 * 24 * 3600 * 1000) : null);
		const values = callValues({ ...latest, opensAt: shift(latest.opensAt)!, closesAt: shift(latest.closesAt)!, reviewDeadline: shift(latest.reviewDeadline) });
		const code = latest.code.replace(/\d{4}/, String(latest.year + 1));
		return {
			values: { ...values, programId, year: String(latest.year + 1), code: code === latest.code ? '' : code, status: 'draft' },
			checklist: latest.intakeChecklist,
			rubrics: (await loadRubrics(db, latest.id)).map(({ form, name, nameEn, passMark, groups, deductions, vetoes }) => ({
				form,
				name,
				nameEn,
				passMark,
				groups: groups.map((g) => ({ key: g.key, name: g.name, nameEn: g.nameEn, items: g.items.map((i) => ({ key: i.key, name: i.name, nameEn: i.nameEn, weight: i.weight, guidance: i.guidance })) })),
				deductions: deductions.map((d) => ({ key: d.key, name: d.name, nameEn: d.nameEn, maxPoints: d.maxPoints })),
				vetoes: vetoes.map((v) => ({ key: v.key, name: v.name, nameEn: v.nameEn }))
			})) as RubricInput[]
		};
	}
	return {
		values: {
			programId: programId ?? '',
			year: String(year),
			code: '',
			status: 'draft',
			...newCallDefaults(year)
		} as CallFormValues,
		checklist: IF2026_CHECKLIST,
		rubrics: [templateRubric(IF_TECHNICAL_RUBRIC, 'technical'), templateRubric(IF_FINANCE_RUBRIC, 'finance')]
	};
}
