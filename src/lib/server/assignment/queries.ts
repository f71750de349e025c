// What the assignment page and the draw record read: the expert pool with each expert's
// current load in the call, and one recorded run with the names of those it drew.
import { and, asc, eq, sql } from 'drizzle-orm';
import { assignmentRuns, assignments, experts } from '$db/schema';
import type { DbOrTx } from '../db';

/** Active experts, by name, each with their active assignments in the call. */
export async function assignmentPool(db: DbOrTx, callId: string) {
	const [pool, loads] = await Promise.all([
		db
			.select({ id: experts.id, name: experts.name, institution: experts.institution, kind: experts.kind, primaryField: experts.primaryField, secondaryFields: experts.secondaryFields })
			.from(experts)
			.where(eq(experts.active, true))
			.orderBy(asc(experts.name)),
		db
			.select({ expertId: assignments.expertId, n: sql<number>`count(*)::int` })
			.from(assignments)
			.where(and(eq(assignments.callId, callId), eq(assignments.status, 'active')))
			.groupBy(assignments.expertId)
	]);
	const loadOf = new Map(loads.map((l) => [l.expertId, l.n]));
	return pool.map((e) => ({ ...e, load: loadOf.get(e.id) ?? 0 }));
}

/** True when the assignment belongs to the call: ids from another call are not found. */
export async function assignmentInCall(db: DbOrTx, callId: string, assignmentId: string): Promise<boolean> {
	const [row] = await db.select({ id: assignments.id }).from(assignments).where(and(eq(assignments.id, assignmentId), eq(assignments.callId, callId)));
	return !!row;
}

/** A recorded run of the call, with expert id → name for everyone it names; null when not this call's. */
export async function runRecord(db: DbOrTx, callId: string, runId: string) {
	const [run] = await db
		.select()
		.from(assignmentRuns)
		.where(and(eq(assignmentRuns.id, runId), eq(assignmentRuns.callId, callId)));
	if (!run) return null;
	const names = new Map((await db.select({ id: experts.id, name: experts.name }).from(experts)).map((e) => [e.id, e.name]));
	return { run, names };
}
