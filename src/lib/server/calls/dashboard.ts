// A call's dashboard for staff: applications by status and field, review progress per
// expert and per application, and the distribution of submitted scores. Staff see scores
// here; experts never do (reviews are blind until the meeting reveals them).
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { applications, assignments, experts, reviews } from '$db/schema';
import type { DbOrTx } from '../db';
import { aggregate } from '$lib/rubric';
import type { Call } from './queries';
import { callResults } from './calibration';
import { flagLimit } from '$lib/scoring/flags';
import { RUBRIC_TOTAL } from '$lib/rubric';

export const SCORE_BINS = 10;

export async function callDashboard(db: DbOrTx, call: Call) {
	const apps = await db
		.select({ id: applications.id, number: applications.number, title: applications.title, enterpriseName: applications.enterpriseName, field: applications.field, status: applications.status, requestedAmount: applications.requestedAmount })
		.from(applications)
		.where(and(eq(applications.callId, call.id), ne(applications.status, 'draft')))
		.orderBy(asc(applications.number));
	const work = await db
		.select({
			applicationId: assignments.applicationId,
			expertId: assignments.expertId,
			expertName: experts.name,
			institution: experts.institution,
			kind: experts.kind,
			form: assignments.form,
			status: assignments.status,
			reviewStatus: reviews.status,
			total: reviews.total,
			vetoed: sql<boolean>`${reviews.veto} IS NOT NULL`,
			passed: reviews.passed,
			recommendation: reviews.recommendation
		})
		.from(assignments)
		.innerJoin(experts, eq(experts.id, assignments.expertId))
		.leftJoin(reviews, eq(reviews.assignmentId, assignments.id))
		.where(eq(assignments.callId, call.id));

	const byStatus: Record<string, number> = {};
	const byField: Record<string, Record<string, number>> = {};
	for (const a of apps) {
		byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
		byField[a.field] ??= {};
		byField[a.field][a.status] = (byField[a.field][a.status] ?? 0) + 1;
	}

	const experts_ = new Map<string, { expertId: string; name: string; institution: string; kind: string; active: number; submitted: number; declined: number; totals: number[] }>();
	for (const w of work) {
		const e = experts_.get(w.expertId) ?? { expertId: w.expertId, name: w.expertName, institution: w.institution, kind: w.kind, active: 0, submitted: 0, declined: 0, totals: [] };
		if (w.status === 'active') {
			e.active++;
			if (w.reviewStatus === 'submitted') {
				e.submitted++;
				if (w.total !== null) e.totals.push(Number(w.total));
			}
		} else if (w.status === 'declined') e.declined++;
		experts_.set(w.expertId, e);
	}
	const perExpert = [...experts_.values()]
		.map((e) => ({ ...e, pending: e.active - e.submitted, mean: aggregate(e.totals, 'mean') }))
		.sort((a, b) => b.pending - a.pending || a.name.localeCompare(b.name, 'zh-CN'));

	// Raw and calibrated aggregates and the flag: the same figures as the results API and the exports.
	const results = await callResults(db, call);
	const needed = call.reviewersPerApplication;
	const perApplication = apps
		.filter((a) => a.status !== 'submitted' && a.status !== 'rejected' && a.status !== 'withdrawn')
		.map((a) => {
			const mine = work.filter((w) => w.applicationId === a.id && w.status === 'active');
			const done = mine.filter((w) => w.reviewStatus === 'submitted');
			const technical = done.filter((w) => w.form === 'technical' && w.total !== null).map((w) => Number(w.total));
			const finance = done.filter((w) => w.form === 'finance');
			const calibrated = results.applications.get(a.id)?.technical ?? null;
			const spread = technical.length >= 2 ? (calibrated?.flag.range ?? null) : null;
			return {
				...a,
				assigned: mine.length,
				needed,
				submitted: done.length,
				vetoes: done.filter((w) => w.vetoed).length,
				technicalScore: aggregate(technical, call.aggregation),
				financePassed: finance.length === 0 ? null : finance.every((w) => w.passed === true),
				financeScore: aggregate(
					finance.filter((w) => w.total !== null).map((w) => Number(w.total)),
					'mean'
				),
				spread,
				discrepancy: calibrated?.flag.flagged ?? false,
				/** Raw mean, median, trimmed mean and the calibrated z of the technical sheets. */
				calibrated
			};
		});

	const bins = (totals: number[]) => {
		const counts = Array.from({ length: SCORE_BINS }, () => 0);
		for (const t of totals) counts[Math.min(SCORE_BINS - 1, Math.floor(t / (100 / SCORE_BINS)))]++;
		return counts;
	};
	const submitted = work.filter((w) => w.status === 'active' && w.reviewStatus === 'submitted');
	const technicalTotals = submitted.filter((w) => w.form === 'technical' && w.total !== null).map((w) => Number(w.total));
	const financeTotals = submitted.filter((w) => w.form === 'finance' && w.total !== null).map((w) => Number(w.total));

	const active = work.filter((w) => w.status === 'active');
	return {
		totals: {
			applications: apps.length,
			assignments: active.length,
			submittedReviews: submitted.length,
			pendingReviews: active.length - submitted.length,
			unassigned: perApplication.filter((a) => a.assigned === 0).length,
			discrepancies: perApplication.filter((a) => a.discrepancy).length
		},
		byStatus,
		byField,
		perExpert: perExpert.map((e) => ({ ...e, baseline: results.experts.get(e.expertId) ?? null })),
		/** The flag rule as computed: the limit on the 100-point total. */
		rule: { ...results.rule, totalLimit: flagLimit(results.rule, RUBRIC_TOTAL) },
		perApplication,
		distribution: { technical: bins(technicalTotals), finance: bins(financeTotals), vetoes: submitted.filter((w) => w.vetoed).length }
	};
}

export type Dashboard = Awaited<ReturnType<typeof callDashboard>>;
