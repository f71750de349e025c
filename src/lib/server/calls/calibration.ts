// A call's results for staff and scripts: every submitted review sheet with its expert's
// z-score, and per application the raw aggregates (mean, median, trimmed mean) beside the
// calibrated ones (mean z, mean robust z) and the disagreement flag of the call's rule.
// The arithmetic lives in $lib/scoring (pure, shared with the browser); this file reads.
import { and, asc, eq, isNotNull } from 'drizzle-orm';
import { applications, assignments, reviews } from '$db/schema';
import type { DbOrTx } from '../db';
import { RUBRIC_TOTAL } from '$lib/rubric';
import { calibrate, rawAggregates, type CalibratedSheet, type ExpertBaseline, type NoZReason } from '$lib/scoring/calibration';
import { flagColumn, flagRuleOf, type ColumnFlag, type FlagRule } from '$lib/scoring/flags';
import type { Call } from './queries';

export interface FormResult {
	sheets: number;
	mean: number | null;
	median: number | null;
	trimmedMean: number | null;
	/** Mean of the sheets' z (robust z) over those that have one. */
	z: number | null;
	robustZ: number | null;
	withZ: number;
	withRobustZ: number;
	/** The disagreement flag of the totals (full marks 100) under the call's rule. */
	flag: ColumnFlag;
}

export interface ResultSheet {
	applicationId: string;
	expertId: string;
	form: 'technical' | 'finance';
	total: number;
	z: number | null;
	robustZ: number | null;
	reason: NoZReason | null;
	robustReason: NoZReason | null;
}

export interface CallResults {
	rule: FlagRule;
	sheets: ResultSheet[];
	/** Per application with at least one submitted sheet: each form's figures. */
	applications: Map<string, { technical: FormResult | null; finance: FormResult | null }>;
	/** Per expert: their baseline in this call (sheets, mean, sd), or why there is none. */
	experts: Map<string, ExpertBaseline & { form: 'technical' | 'finance' }>;
}

function formResult(sheets: CalibratedSheet[], calibrated: ReturnType<typeof calibrate>, applicationId: string, rule: FlagRule): FormResult | null {
	const mine = sheets.filter((s) => s.applicationId === applicationId);
	if (mine.length === 0) return null;
	const totals = mine.map((s) => s.total);
	const a = calibrated.applications.get(applicationId)!;
	return { sheets: mine.length, ...rawAggregates(totals), z: a.z, robustZ: a.robustZ, withZ: a.withZ, withRobustZ: a.withRobustZ, flag: flagColumn(totals, RUBRIC_TOTAL, rule) };
}

/**
 * Calibrates the call's submitted sheets (active assignments; vetoed sheets carry no total
 * and are left out). Each form is calibrated on its own: an expert scores on one form only,
 * and the finance form measures something else.
 */
export async function callResults(db: DbOrTx, call: Call): Promise<CallResults> {
	const rows = await db
		.select({ applicationId: reviews.applicationId, expertId: reviews.expertId, form: reviews.form, total: reviews.total })
		.from(reviews)
		.innerJoin(assignments, eq(assignments.id, reviews.assignmentId))
		.innerJoin(applications, eq(applications.id, reviews.applicationId))
		.where(and(eq(applications.callId, call.id), eq(assignments.status, 'active'), eq(reviews.status, 'submitted'), isNotNull(reviews.total)))
		.orderBy(asc(applications.number), asc(reviews.form), asc(reviews.expertId));
	const rule = flagRuleOf(call);
	const out: CallResults = { rule, sheets: [], applications: new Map(), experts: new Map() };
	const byForm = { technical: [] as CalibratedSheet[], finance: [] as CalibratedSheet[] };
	const calibrations = {} as Record<'technical' | 'finance', ReturnType<typeof calibrate>>;
	for (const form of ['technical', 'finance'] as const) {
		const c = calibrate(rows.filter((r) => r.form === form).map((r) => ({ applicationId: r.applicationId, expertId: r.expertId, total: Number(r.total) })));
		calibrations[form] = c;
		byForm[form] = c.sheets;
		for (const [id, b] of c.experts) out.experts.set(id, { ...b, form });
		for (const s of c.sheets) out.sheets.push({ applicationId: s.applicationId, expertId: s.expertId, form, total: s.total, z: s.z, robustZ: s.robustZ, reason: s.reason, robustReason: s.robustReason });
	}
	for (const id of new Set(rows.map((r) => r.applicationId))) {
		out.applications.set(id, {
			technical: formResult(byForm.technical, calibrations.technical, id, rule),
			finance: formResult(byForm.finance, calibrations.finance, id, rule)
		});
	}
	return out;
}
