// Assignment of experts to a call's accepted applications: the optimal matching, the random
// draw, manual additions and removals, and an expert declining. Runs keep their inputs and
// report (assignment_runs) so a draw can be re-run by anyone and checked; each assignment
// keeps why it was made. Conflicted experts are never assigned, whichever way.
import { emit } from '../events';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { applications, assignmentRuns, assignments, calls, experts, reviews, type AssignmentReason, type DrawRecord, type UnstaffedReport } from '$db/schema';
import type { Db, DbOrTx } from '../db';
import { audit, type AuditActor } from '../audit';
import { conflictsByApplication, stateConflict } from '../conflicts';
import { newSeed } from '$lib/assignment/draw';
import { planDraw, planMatching, replayDraw, type Form, type Plan, type PlanApplication, type PlanExpert } from './plan';
import { syncReviewStatus, syncReviewStatuses } from './status';
import { IN_REVIEW_STATUSES } from '$lib/values';
import { tellAssignmentsMade, tellAssignmentWithdrawn } from '../notifications/tell';

type Call = typeof calls.$inferSelect;

/** Everything a run plans from: the call, its open slots, the pool, and who may not take what. */
export async function planningInput(db: DbOrTx, callId: string) {
	const [call] = await db.select().from(calls).where(eq(calls.id, callId));
	if (!call) return null;
	const apps = await db
		.select({ id: applications.id, number: applications.number, field: applications.field })
		.from(applications)
		.where(and(eq(applications.callId, callId), inArray(applications.status, [...IN_REVIEW_STATUSES])))
		.orderBy(asc(applications.number));
	const pool = await db
		.select({ id: experts.id, kind: experts.kind, primaryField: experts.primaryField, secondaryFields: experts.secondaryFields })
		.from(experts)
		.where(eq(experts.active, true));
	const existing = await db
		.select({ applicationId: assignments.applicationId, expertId: assignments.expertId, form: assignments.form, status: assignments.status })
		.from(assignments)
		.where(eq(assignments.callId, callId));
	const conflicts = await conflictsByApplication(db, { applicationIds: apps.map((a) => a.id) });
	const load = new Map<string, number>();
	const perApp = new Map<string, { excluded: Set<string>; technical: number; finance: number }>();
	for (const a of existing) {
		const entry = perApp.get(a.applicationId) ?? { excluded: new Set<string>(), technical: 0, finance: 0 };
		// Whoever declined or was removed is not asked again for the same application.
		entry.excluded.add(a.expertId);
		if (a.status === 'active') {
			entry[a.form]++;
			load.set(a.expertId, (load.get(a.expertId) ?? 0) + 1);
		}
		perApp.set(a.applicationId, entry);
	}
	const technicalTarget = call.reviewersPerApplication - call.financeReviewers;
	const planApps: PlanApplication[] = apps.map((a) => {
		const entry = perApp.get(a.id);
		const conflicted = new Set(conflicts.get(a.id)?.keys() ?? []);
		return {
			id: a.id,
			number: a.number,
			field: a.field,
			technicalNeeded: Math.max(0, technicalTarget - (entry?.technical ?? 0)),
			financeNeeded: Math.max(0, call.financeReviewers - (entry?.finance ?? 0)),
			excluded: new Set([...(entry?.excluded ?? []), ...conflicted]),
			conflicted
		};
	});
	const planExperts: PlanExpert[] = pool.map((e) => ({ ...e, load: load.get(e.id) ?? 0 }));
	return { call, apps: planApps, experts: planExperts };
}

export interface RunSummary {
	runId: string;
	method: 'matching' | 'draw';
	seed: string | null;
	assigned: number;
	unstaffed: UnstaffedReport[];
	/** Milliseconds planning (the algorithm alone). */
	ms: number;
	/** Milliseconds reading the call's state, and writing the assignments, statuses and audit. */
	readMs?: number;
	writeMs?: number;
}

async function applyPlan(tx: DbOrTx, actor: AuditActor, call: Call, method: 'matching' | 'draw', plan: Plan, extra: { seed?: string; draws?: DrawRecord[]; ms: number }): Promise<RunSummary> {
	const params = {
		reviewersPerApplication: call.reviewersPerApplication,
		financeReviewers: call.financeReviewers,
		maxPerExpert: call.maxPerExpert,
		...(method === 'draw' ? { poolFactor: call.poolFactor, minTechnicalShare: Number(call.minTechnicalShare) } : {})
	};
	const [run] = await tx
		.insert(assignmentRuns)
		.values({
			callId: call.id,
			method,
			seed: extra.seed ?? null,
			params,
			draws: extra.draws ?? [],
			unstaffed: plan.unstaffed,
			stats: { ...plan.stats, ms: Math.round(extra.ms * 10) / 10 },
			createdBy: actor.id ?? null,
			createdByName: actor.name ?? null
		})
		.returning({ id: assignmentRuns.id });
	const rows = plan.assignments.map((a) => ({
		callId: call.id,
		applicationId: a.applicationId,
		expertId: a.expertId,
		form: a.form,
		source: method,
		runId: run.id,
		createdBy: actor.id ?? null,
		reason: { match: a.match, field: a.field, load: plan.loads.get(a.expertId) ?? 0, maxLoad: call.maxPerExpert, cost: a.cost, poolSize: a.poolSize } satisfies AssignmentReason
	}));
	const made: string[] = [];
	for (let i = 0; i < rows.length; i += 500) made.push(...(await tx.insert(assignments).values(rows.slice(i, i + 500)).returning({ id: assignments.id })).map((r) => r.id));
	await tellAssignmentsMade(tx, made);
	await audit(tx, actor, method === 'draw' ? 'assignment.draw' : 'assignment.matching', { type: 'call', id: call.id }, {
		runId: run.id,
		seed: extra.seed ?? null,
		assigned: rows.length,
		unstaffed: plan.unstaffed.length
	});
	await syncReviewStatuses(tx, actor, [...new Set(rows.map((r) => r.applicationId))]);
	return { runId: run.id, method, seed: extra.seed ?? null, assigned: rows.length, unstaffed: plan.unstaffed, ms: extra.ms };
}

/**
 * Fills every open slot of the call's accepted applications (or of the given ones) with the
 * optimal matching.
 */
export async function runMatching(db: Db, actor: AuditActor, callId: string, only?: string[]): Promise<RunSummary | null> {
	return db.transaction(async (tx) => {
		await tx.execute(sql`SELECT pg_advisory_xact_lock(72610200, hashtext(${callId}))`);
		const t0 = performance.now();
		const input = await planningInput(tx, callId);
		if (!input) return null;
		const started = performance.now();
		const apps = only ? input.apps.filter((a) => only.includes(a.id)) : input.apps;
		const plan = planMatching(apps, input.experts, input.call.maxPerExpert);
		const planned = performance.now();
		const summary = await applyPlan(tx, actor, input.call, 'matching', plan, { ms: planned - started });
		return { ...summary, readMs: started - t0, writeMs: performance.now() - planned };
	});
}

/** Draws experts at random for every open slot; the seed (given, or fresh) is recorded. */
export async function runDraw(db: Db, actor: AuditActor, callId: string, seed?: string): Promise<RunSummary | null> {
	return db.transaction(async (tx) => {
		await tx.execute(sql`SELECT pg_advisory_xact_lock(72610200, hashtext(${callId}))`);
		const input = await planningInput(tx, callId);
		if (!input) return null;
		const useSeed = seed?.trim() || newSeed();
		const started = performance.now();
		const plan = planDraw(input.apps, input.experts, { seed: useSeed, maxLoad: input.call.maxPerExpert, poolFactor: input.call.poolFactor });
		return applyPlan(tx, actor, input.call, 'draw', plan, { seed: useSeed, draws: plan.draws, ms: performance.now() - started });
	});
}

export type Verification =
	| { ok: true; checked: number; mismatches: [] }
	/** nothingToVerify: the run drew for no application (every pool was short), so a re-run proves nothing. */
	| { ok: false; code: 'notFound' | 'nothingToVerify'; checked: 0; mismatches: [] }
	/** Applications whose replayed draw differs from the record or from the assignments made. */
	| { ok: false; code: 'mismatch'; checked: number; mismatches: string[] };

/** Re-runs a recorded draw from its seed and pools and compares with what was recorded and assigned. */
export async function verifyDraw(db: DbOrTx, runId: string): Promise<Verification> {
	const [run] = await db.select().from(assignmentRuns).where(eq(assignmentRuns.id, runId));
	if (!run || run.method !== 'draw' || !run.seed) return { ok: false, code: 'notFound', checked: 0, mismatches: [] };
	if (run.draws.length === 0) return { ok: false, code: 'nothingToVerify', checked: 0, mismatches: [] };
	const made = await db.select({ applicationId: assignments.applicationId, expertId: assignments.expertId }).from(assignments).where(eq(assignments.runId, runId));
	const mismatches: string[] = [];
	for (const record of run.draws) {
		const replayed = replayDraw(run.seed, record);
		const assigned = made.filter((a) => a.applicationId === record.applicationId).map((a) => a.expertId);
		const same = (x: string[], y: string[]) => x.length === y.length && [...x].sort().join() === [...y].sort().join();
		if (replayed.join() !== record.drawn.join() || !same(replayed, assigned)) mismatches.push(record.number);
	}
	return mismatches.length === 0 ? { ok: true, checked: run.draws.length, mismatches: [] } : { ok: false, code: 'mismatch', checked: run.draws.length, mismatches };
}

export async function listRuns(db: DbOrTx, callId: string, limit = 10) {
	return db.select().from(assignmentRuns).where(eq(assignmentRuns.callId, callId)).orderBy(desc(assignmentRuns.createdAt)).limit(limit);
}

/** The call's applications open to assignment with their assignments (all statuses) and reviews. */
export async function callAssignments(db: DbOrTx, callId: string) {
	const apps = await db
		.select({ id: applications.id, number: applications.number, title: applications.title, enterpriseName: applications.enterpriseName, field: applications.field, status: applications.status })
		.from(applications)
		.where(and(eq(applications.callId, callId), inArray(applications.status, [...IN_REVIEW_STATUSES, 'decided'])))
		.orderBy(asc(applications.number));
	const list = await db
		.select({
			id: assignments.id,
			applicationId: assignments.applicationId,
			expertId: assignments.expertId,
			expertName: experts.name,
			institution: experts.institution,
			form: assignments.form,
			status: assignments.status,
			source: assignments.source,
			reason: assignments.reason,
			endReason: assignments.endReason,
			createdAt: assignments.createdAt,
			reviewId: reviews.id,
			reviewStatus: reviews.status,
			total: reviews.total,
			vetoed: sql<boolean>`${reviews.veto} IS NOT NULL`,
			passed: reviews.passed
		})
		.from(assignments)
		.innerJoin(experts, eq(experts.id, assignments.expertId))
		.leftJoin(reviews, eq(reviews.assignmentId, assignments.id))
		.where(eq(assignments.callId, callId))
		.orderBy(asc(assignments.createdAt));
	return apps.map((a) => ({ ...a, assignments: list.filter((x) => x.applicationId === a.id) }));
}

export type ManualResult = { ok: true; id: string } | { ok: false; problem: 'notFound' | 'notAssignable' | 'conflicted' | 'already' | 'inactive' | 'loadFull' };

/** Adds one expert by hand, with the same conflict guard as the automatic ways. */
export async function addAssignment(db: Db, actor: AuditActor, applicationId: string, expertId: string, note?: string): Promise<ManualResult> {
	return db.transaction(async (tx) => {
		const [app] = await tx.select().from(applications).where(eq(applications.id, applicationId)).for('update');
		if (!app) return { ok: false, problem: 'notFound' } as const;
		if (!(IN_REVIEW_STATUSES as readonly string[]).includes(app.status)) return { ok: false, problem: 'notAssignable' } as const;
		const [expert] = await tx.select().from(experts).where(eq(experts.id, expertId));
		if (!expert) return { ok: false, problem: 'notFound' } as const;
		if (!expert.active) return { ok: false, problem: 'inactive' } as const;
		const conflicts = (await conflictsByApplication(tx, { applicationIds: [applicationId], expertIds: [expertId] })).get(applicationId);
		if (conflicts?.size) return { ok: false, problem: 'conflicted' } as const;
		const [active] = await tx
			.select({ id: assignments.id })
			.from(assignments)
			.where(and(eq(assignments.applicationId, applicationId), eq(assignments.expertId, expertId), eq(assignments.status, 'active')));
		if (active) return { ok: false, problem: 'already' } as const;
		const [call] = await tx.select().from(calls).where(eq(calls.id, app.callId));
		const [{ n }] = await tx
			.select({ n: sql<number>`count(*)::int` })
			.from(assignments)
			.where(and(eq(assignments.callId, app.callId), eq(assignments.expertId, expertId), eq(assignments.status, 'active')));
		if (n >= call.maxPerExpert) return { ok: false, problem: 'loadFull' } as const;
		const match = expert.primaryField === app.field ? 'primary' : expert.secondaryFields.includes(app.field) ? 'secondary' : 'none';
		const [row] = await tx
			.insert(assignments)
			.values({
				callId: app.callId,
				applicationId,
				expertId,
				form: expert.kind,
				source: 'manual',
				createdBy: actor.id ?? null,
				reason: { match, field: app.field, load: n + 1, maxLoad: call.maxPerExpert, note: note || undefined }
			})
			.returning({ id: assignments.id });
		await audit(tx, actor, 'assignment.added', { type: 'assignment', id: row.id }, { applicationId, number: app.number, expertId, expertName: expert.name, form: expert.kind });
		await tellAssignmentsMade(tx, [row.id]);
		await syncReviewStatus(tx, actor, applicationId);
		return { ok: true, id: row.id } as const;
	});
}

export type EndResult = { ok: true } | { ok: false; problem: 'notFound' | 'reviewSubmitted' };

/** Staff take an expert off an application; a submitted review must be returned first. */
export async function removeAssignment(db: Db, actor: AuditActor, assignmentId: string, reason: string): Promise<EndResult> {
	return db.transaction(async (tx) => {
		const ended = await endAssignment(tx, actor, assignmentId, 'removed', reason);
		return ended.ok ? { ok: true } : ended;
	});
}

async function endAssignment(tx: DbOrTx, actor: AuditActor, assignmentId: string, status: 'removed' | 'declined', reason: string, expertId?: string): Promise<EndResult & { applicationId?: string }> {
	const [a] = await tx
		.select()
		.from(assignments)
		.where(and(eq(assignments.id, assignmentId), eq(assignments.status, 'active'), expertId ? eq(assignments.expertId, expertId) : undefined))
		.for('update');
	if (!a) return { ok: false, problem: 'notFound' };
	const [review] = await tx.select({ status: reviews.status }).from(reviews).where(eq(reviews.assignmentId, assignmentId));
	if (review?.status === 'submitted') return { ok: false, problem: 'reviewSubmitted' };
	await tx
		.update(assignments)
		.set({ status, endReason: reason, endedAt: sql`now()`, endedBy: actor.id ?? null })
		.where(eq(assignments.id, assignmentId));
	await audit(tx, actor, status === 'declined' ? 'assignment.declined' : 'assignment.removed', { type: 'assignment', id: assignmentId }, {
		applicationId: a.applicationId,
		expertId: a.expertId,
		reason
	});
	await syncReviewStatus(tx, actor, a.applicationId);
	if (status === 'removed') await tellAssignmentWithdrawn(tx, assignmentId, reason);
	return { ok: true, applicationId: a.applicationId };
}

/**
 * The expert declines an assignment with a reason. Declining for a conflict of interest also
 * records the declared conflict, so no later run assigns it again.
 */
export async function declineAssignment(db: Db, actor: AuditActor, expertId: string, assignmentId: string, reason: string, conflict: boolean): Promise<EndResult> {
	const result = await db.transaction(async (tx): Promise<EndResult> => {
		const ended = await endAssignment(tx, actor, assignmentId, 'declined', reason, expertId);
		if (ended.ok && conflict) await stateConflict(tx, actor, { expertId, applicationId: ended.applicationId, source: 'declared', reason });
		return ended.ok ? { ok: true } : ended;
	});
	// After the commit: live meeting rooms recompute who must step out.
	if (result.ok && conflict) emit('conflicts.changed', {});
	return result;
}

export type { Form };
