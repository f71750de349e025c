// Individual reviews (个人评审), blind: an expert sees their own assignments and scores each
// against the call's rubric; the weighted total is computed here, never taken from the
// browser. No function here gives an expert anyone else's review: staff read all of them,
// and the panel meeting reveals them to members when the chair decides.
import { and, asc, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import { applications, assignments, calls, experts, programs, reviews, rubrics, type ReviewVeto } from '$db/schema';
import type { Db, DbOrTx } from '../db';
import { audit, type AuditActor } from '../audit';
import { isConflicted } from '../conflicts';
import { loadRubrics, type LoadedRubric } from '../calls/queries';
import { listAttachments } from '../applications/drafts';
import { scoreSheet, type ScoringRubric } from '$lib/rubric';
import { OPINION_MIN, reviewProblems, type ReviewProblem } from '$lib/reviews/check';
import { syncReviewStatus } from '../assignment/status';
import { effectiveDeadline } from '../notifications/deadlines';

/** An expert's assignments: the active ones to do, and the ones they declined, newest call first. */
export async function myAssignments(db: DbOrTx, expertId: string) {
	return db
		.select({
			id: assignments.id,
			status: assignments.status,
			form: assignments.form,
			endReason: assignments.endReason,
			createdAt: assignments.createdAt,
			applicationId: applications.id,
			number: applications.number,
			title: applications.title,
			field: applications.field,
			callTitle: calls.title,
			callTitleEn: calls.titleEn,
			reviewDeadline: calls.reviewDeadline,
			reviewStatus: reviews.status,
			total: reviews.total,
			vetoed: sql<boolean>`${reviews.veto} IS NOT NULL`,
			submittedAt: reviews.submittedAt,
			updatedAt: reviews.updatedAt
		})
		.from(assignments)
		.innerJoin(applications, eq(applications.id, assignments.applicationId))
		.innerJoin(calls, eq(calls.id, assignments.callId))
		.leftJoin(reviews, eq(reviews.assignmentId, assignments.id))
		.where(and(eq(assignments.expertId, expertId), ne(assignments.status, 'removed')))
		.orderBy(desc(calls.year), asc(applications.number));
}

export function toScoring(r: LoadedRubric): ScoringRubric {
	return {
		items: r.groups.flatMap((g) => g.items.map((i) => ({ id: i.id, weight: i.weight }))),
		rules: [...r.deductions.map((d) => ({ id: d.id, kind: 'deduction' as const, maxPoints: d.maxPoints ?? null })), ...r.vetoes.map((v) => ({ id: v.id, kind: 'veto' as const, maxPoints: null }))],
		passMark: r.passMark
	};
}

/**
 * Everything an expert needs to review one assignment, or null when it is not theirs, no
 * longer active, or they are conflicted with the application: callers answer 404.
 */
export async function reviewContext(db: DbOrTx, expertId: string, assignmentId: string) {
	const [row] = await db
		.select({ assignment: assignments, application: applications, call: calls, programName: programs.name, programNameEn: programs.nameEn })
		.from(assignments)
		.innerJoin(applications, eq(applications.id, assignments.applicationId))
		.innerJoin(calls, eq(calls.id, assignments.callId))
		.innerJoin(programs, eq(programs.id, calls.programId))
		.where(and(eq(assignments.id, assignmentId), eq(assignments.expertId, expertId), eq(assignments.status, 'active')));
	if (!row) return null;
	if (await isConflicted(db, expertId, row.application.id)) return null;
	const rubric = (await loadRubrics(db, row.call.id)).find((r) => r.form === row.assignment.form) ?? null;
	const [review] = await db.select().from(reviews).where(eq(reviews.assignmentId, assignmentId));
	return { ...row, rubric, review: review ?? null, attachments: await listAttachments(db, row.application.id) };
}

/** True when the expert may read the application (and its files): an active, unconflicted assignment. */
export async function expertMayRead(db: DbOrTx, expertId: string, applicationId: string): Promise<boolean> {
	const [a] = await db
		.select({ id: assignments.id })
		.from(assignments)
		.where(and(eq(assignments.expertId, expertId), eq(assignments.applicationId, applicationId), eq(assignments.status, 'active')))
		.limit(1);
	return !!a && !(await isConflicted(db, expertId, applicationId));
}

export interface ReviewInput {
	scores: Record<string, number>;
	deductions: Record<string, number>;
	veto: ReviewVeto | null;
	opinion: string;
	recommendation: 'fund' | 'decline' | null;
	suggestedAmount: number | null;
}

export type { ReviewProblem };

export type SaveReviewResult = { ok: true; total: number | null; passed: boolean | null; submitted: boolean } | { ok: false; problem: 'notFound' | 'submitted' } | { ok: false; problem: 'invalid'; problems: ReviewProblem[] };

export { OPINION_MIN };

/** Saves the expert's draft, or submits it when `submit` is set and everything is complete. */
export async function saveReview(db: Db, actor: AuditActor, expertId: string, assignmentId: string, input: ReviewInput, submit: boolean, now = new Date()): Promise<SaveReviewResult> {
	return db.transaction(async (tx) => {
		const ctx = await reviewContext(tx, expertId, assignmentId);
		if (!ctx) return { ok: false, problem: 'notFound' } as const;
		if (ctx.review?.status === 'submitted') return { ok: false, problem: 'submitted' } as const;
		if (!ctx.rubric) return { ok: false, problem: 'invalid', problems: [{ code: 'noRubric' }] } as const;
		const scoring = toScoring(ctx.rubric);
		// Empty deductions are no deduction; only what the rubric has is kept.
		const deductions = Object.fromEntries(Object.entries(input.deductions).filter(([, v]) => v !== 0));
		const sheet = { scores: input.scores, deductions, veto: input.veto };
		const ceiling = Number(ctx.application.isMajor ? ctx.call.majorCeiling : ctx.call.ceiling);
		// The same checks the score sheet runs in the browser.
		const problems: ReviewProblem[] = reviewProblems(scoring, { ...sheet, opinion: input.opinion, recommendation: input.recommendation, suggestedAmount: input.suggestedAmount }, { submit, ceiling });
		// After the deadline only an extension the division granted this expert lets the sheet in.
		if (submit) {
			const due = await effectiveDeadline(tx, assignmentId, ctx.call.reviewDeadline);
			if (due && now > due) problems.push({ code: 'deadline' });
		}
		if (problems.length) return { ok: false, problem: 'invalid', problems } as const;
		const result = scoreSheet(scoring, sheet);
		const values = {
			scores: input.scores,
			deductions,
			veto: input.veto,
			opinion: input.opinion,
			// A veto ends the review: the recommendation can only be to decline.
			recommendation: input.veto ? ('decline' as const) : input.recommendation,
			suggestedAmount: input.veto || input.recommendation !== 'fund' || input.suggestedAmount === null ? null : String(input.suggestedAmount),
			total: result.total === null ? null : String(result.total),
			passed: result.passed,
			status: submit ? ('submitted' as const) : ('draft' as const),
			submittedAt: submit ? now : null,
			updatedAt: now
		};
		if (ctx.review) {
			await tx.update(reviews).set(values).where(eq(reviews.id, ctx.review.id));
		} else {
			await tx.insert(reviews).values({ assignmentId, applicationId: ctx.application.id, expertId, rubricId: ctx.rubric.id, form: ctx.assignment.form, ...values });
		}
		if (submit) {
			await audit(tx, actor, 'review.submitted', { type: 'assignment', id: assignmentId }, {
				applicationId: ctx.application.id,
				number: ctx.application.number,
				form: ctx.assignment.form,
				total: result.total,
				vetoed: result.vetoed,
				passed: result.passed
			});
			await syncReviewStatus(tx, actor, ctx.application.id);
		}
		return { ok: true, total: result.total, passed: result.passed, submitted: submit } as const;
	});
}

/** Staff return a submitted review to its expert for correction, with a reason (audited). */
export async function returnReview(db: Db, actor: AuditActor, reviewId: string, reason: string, assignmentId?: string): Promise<{ ok: boolean }> {
	return db.transaction(async (tx) => {
		const [review] = await tx
			.select()
			.from(reviews)
			.where(and(eq(reviews.id, reviewId), assignmentId ? eq(reviews.assignmentId, assignmentId) : undefined))
			.for('update');
		if (!review || review.status !== 'submitted') return { ok: false };
		await tx.update(reviews).set({ status: 'draft', submittedAt: null, updatedAt: new Date() }).where(eq(reviews.id, reviewId));
		await audit(tx, actor, 'review.returned', { type: 'assignment', id: review.assignmentId }, { reviewId, applicationId: review.applicationId, reason });
		await syncReviewStatus(tx, actor, review.applicationId);
		return { ok: true };
	});
}

/** Every review of some applications, for staff (never for experts: reviews are blind). */
export async function reviewsForStaff(db: DbOrTx, applicationIds: string[]) {
	if (applicationIds.length === 0) return [];
	return db
		.select({
			id: reviews.id,
			assignmentId: reviews.assignmentId,
			applicationId: reviews.applicationId,
			expertId: reviews.expertId,
			expertName: experts.name,
			form: reviews.form,
			status: reviews.status,
			total: reviews.total,
			passed: reviews.passed,
			veto: reviews.veto,
			opinion: reviews.opinion,
			recommendation: reviews.recommendation,
			suggestedAmount: reviews.suggestedAmount,
			submittedAt: reviews.submittedAt,
			rubricName: rubrics.name,
			rubricNameEn: rubrics.nameEn
		})
		.from(reviews)
		.innerJoin(experts, eq(experts.id, reviews.expertId))
		.innerJoin(rubrics, eq(rubrics.id, reviews.rubricId))
		.innerJoin(assignments, eq(assignments.id, reviews.assignmentId))
		.where(and(inArray(reviews.applicationId, applicationIds), eq(assignments.status, 'active')))
		.orderBy(asc(reviews.form), asc(experts.name));
}

/** Pending reviews of an expert (active assignments without a submitted review), for the home page. */
export async function pendingReviews(db: DbOrTx, expertId: string) {
	const mine = await myAssignments(db, expertId);
	return mine.filter((a) => a.status === 'active' && a.reviewStatus !== 'submitted');
}
