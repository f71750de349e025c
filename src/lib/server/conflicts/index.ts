// Who is conflicted with what (回避). An expert is conflicted with an application when they
// share an institution with the applicant, declared a conflict, or staff recorded one. Every
// channel (pages, API, Socket.IO, Yjs documents, exports) asks here before showing anything.
// Institution names are normalized once each and looked up in an index, so a whole call's
// conflicts (thousands of applications by hundreds of experts) take milliseconds.
// An expert's own change of institution is a request: while it is pending, both the old and
// the new institution count; for a meeting, an institution the expert left after the meeting
// was scheduled still counts (scope.formerSince).
import { and, desc, eq, gte, inArray, isNull, or, sql } from 'drizzle-orm';
import { applications, assignments, conflicts, expertInstitutionChanges, experts } from '$db/schema';
import type { DbOrTx } from '../db';
import { InstitutionIndex } from '$lib/institutions';
import { audit, type AuditActor } from '../audit';
import { syncReviewStatus } from '../assignment/status';

export type ConflictKind = 'institution' | 'declared' | 'recorded';

export interface Conflict {
	expertId: string;
	applicationId: string;
	kind: ConflictKind;
	reason: string;
}

interface NamedApplication {
	id: string;
	enterpriseName: string;
}

interface NamedExpert {
	id: string;
	institution: string;
}

interface StatedConflict {
	expertId: string;
	applicationId: string | null;
	institution: string | null;
	source: 'declared' | 'recorded';
	reason: string;
}

/** Every conflict among the given applications, experts and stated conflicts; no database. */
export function computeConflicts(apps: readonly NamedApplication[], pool: readonly NamedExpert[], stated: readonly StatedConflict[]): Conflict[] {
	const out: Conflict[] = [];
	const seen = new Set<string>();
	const add = (c: Conflict) => {
		const key = `${c.expertId}:${c.applicationId}:${c.kind}`;
		if (!seen.has(key)) {
			seen.add(key);
			out.push(c);
		}
	};
	const byEnterprise = new InstitutionIndex<NamedApplication>();
	for (const app of apps) byEnterprise.add(app.enterpriseName, app);
	for (const e of pool) {
		for (const app of byEnterprise.match(e.institution)) add({ expertId: e.id, applicationId: app.id, kind: 'institution', reason: e.institution });
	}
	const appIds = new Set(apps.map((a) => a.id));
	for (const c of stated) {
		if (c.applicationId) {
			if (appIds.has(c.applicationId)) add({ expertId: c.expertId, applicationId: c.applicationId, kind: c.source, reason: c.reason });
		} else if (c.institution) {
			for (const app of byEnterprise.match(c.institution)) add({ expertId: c.expertId, applicationId: app.id, kind: c.source, reason: c.reason });
		}
	}
	return out;
}

/** Every conflict touching the given applications (or the given experts), with its reason. */
export async function findConflicts(db: DbOrTx, scope: { applicationIds?: string[]; expertIds?: string[]; formerSince?: Date }): Promise<Conflict[]> {
	if (scope.applicationIds?.length === 0 || scope.expertIds?.length === 0) return [];
	const apps = await db
		.select({ id: applications.id, enterpriseName: applications.enterpriseName })
		.from(applications)
		.where(scope.applicationIds ? inArray(applications.id, scope.applicationIds) : undefined);
	const pool: NamedExpert[] = await db
		.select({ id: experts.id, institution: experts.institution })
		.from(experts)
		.where(scope.expertIds ? inArray(experts.id, scope.expertIds) : undefined);
	// Institutions besides the current one: a requested one (pending), and the ones left since
	// the meeting was scheduled.
	const changes = await db
		.select({ expertId: expertInstitutionChanges.expertId, old: expertInstitutionChanges.oldInstitution, new: expertInstitutionChanges.newInstitution, status: expertInstitutionChanges.status })
		.from(expertInstitutionChanges)
		.where(
			and(
				scope.expertIds ? inArray(expertInstitutionChanges.expertId, scope.expertIds) : undefined,
				scope.formerSince
					? or(eq(expertInstitutionChanges.status, 'pending'), and(eq(expertInstitutionChanges.status, 'approved'), gte(expertInstitutionChanges.decidedAt, scope.formerSince)))
					: eq(expertInstitutionChanges.status, 'pending')
			)
		);
	for (const c of changes) pool.push({ id: c.expertId, institution: c.status === 'pending' ? c.new : c.old });
	const stated = await db
		.select({ expertId: conflicts.expertId, applicationId: conflicts.applicationId, institution: conflicts.institution, source: conflicts.source, reason: conflicts.reason })
		.from(conflicts)
		.where(
			and(
				isNull(conflicts.withdrawnAt),
				scope.expertIds ? inArray(conflicts.expertId, scope.expertIds) : undefined,
				scope.applicationIds ? or(inArray(conflicts.applicationId, scope.applicationIds), isNull(conflicts.applicationId)) : undefined
			)
		);
	return computeConflicts(apps, pool, stated);
}

/** The experts who must not see anything of an application. */
export async function conflictedExpertIds(db: DbOrTx, applicationId: string): Promise<Set<string>> {
	return new Set((await findConflicts(db, { applicationIds: [applicationId] })).map((c) => c.expertId));
}

export async function isConflicted(db: DbOrTx, expertId: string, applicationId: string): Promise<boolean> {
	return (await findConflicts(db, { applicationIds: [applicationId], expertIds: [expertId] })).length > 0;
}

/** Conflicts grouped: application id → expert id → the conflicts between them. */
export async function conflictsByApplication(db: DbOrTx, scope: { applicationIds?: string[]; expertIds?: string[] }): Promise<Map<string, Map<string, Conflict[]>>> {
	const out = new Map<string, Map<string, Conflict[]>>();
	for (const c of await findConflicts(db, scope)) {
		const perApp = out.get(c.applicationId) ?? new Map<string, Conflict[]>();
		perApp.set(c.expertId, [...(perApp.get(c.expertId) ?? []), c]);
		out.set(c.applicationId, perApp);
	}
	return out;
}

/** Stated conflicts (declared or recorded), newest first, withdrawn ones included for the record. */
export async function listStatedConflicts(db: DbOrTx, scope: { expertId?: string; applicationId?: string }) {
	return db
		.select({
			id: conflicts.id,
			expertId: conflicts.expertId,
			expertName: experts.name,
			applicationId: conflicts.applicationId,
			applicationNumber: applications.number,
			applicationTitle: applications.title,
			institution: conflicts.institution,
			source: conflicts.source,
			reason: conflicts.reason,
			createdAt: conflicts.createdAt,
			withdrawnAt: conflicts.withdrawnAt,
			withdrawReason: conflicts.withdrawReason
		})
		.from(conflicts)
		.innerJoin(experts, eq(experts.id, conflicts.expertId))
		.leftJoin(applications, eq(applications.id, conflicts.applicationId))
		.where(
			and(
				scope.expertId ? eq(conflicts.expertId, scope.expertId) : undefined,
				scope.applicationId ? eq(conflicts.applicationId, scope.applicationId) : undefined
			)
		)
		.orderBy(desc(conflicts.createdAt));
}

export interface NewConflict {
	expertId: string;
	applicationId?: string | null;
	institution?: string | null;
	source: 'declared' | 'recorded';
	reason: string;
}

/**
 * States a conflict and, in the same transaction, ends every active assignment it now
 * forbids: a conflicted expert keeps nothing of that application.
 */
export async function stateConflict(db: DbOrTx, actor: AuditActor | null, input: NewConflict): Promise<{ id: string; endedAssignments: number }> {
	const [row] = await db
		.insert(conflicts)
		.values({
			expertId: input.expertId,
			applicationId: input.applicationId ?? null,
			institution: input.institution ?? null,
			source: input.source,
			reason: input.reason,
			createdBy: actor?.id ?? null
		})
		.returning({ id: conflicts.id });
	await audit(db, actor, input.source === 'declared' ? 'conflict.declared' : 'conflict.recorded', { type: 'expert', id: input.expertId }, {
		conflictId: row.id,
		applicationId: input.applicationId ?? null,
		institution: input.institution ?? null,
		reason: input.reason
	});
	const endedAssignments = await endConflictedAssignments(db, actor, input.expertId);
	return { id: row.id, endedAssignments };
}

/** Ends an expert's active assignments to applications they are now conflicted with. */
export async function endConflictedAssignments(db: DbOrTx, actor: AuditActor | null, expertId: string): Promise<number> {
	const active = await db
		.select({ id: assignments.id, applicationId: assignments.applicationId })
		.from(assignments)
		.where(and(eq(assignments.expertId, expertId), eq(assignments.status, 'active')));
	if (active.length === 0) return 0;
	const conflicted = new Set((await findConflicts(db, { applicationIds: active.map((a) => a.applicationId), expertIds: [expertId] })).map((c) => c.applicationId));
	const ending = active.filter((a) => conflicted.has(a.applicationId));
	for (const a of ending) {
		await db
			.update(assignments)
			.set({ status: 'removed', endReason: 'conflict', endedAt: sql`now()`, endedBy: actor?.id ?? null })
			.where(eq(assignments.id, a.id));
		await audit(db, actor, 'assignment.removed', { type: 'assignment', id: a.id }, { applicationId: a.applicationId, expertId, reason: 'conflict' });
	}
	if (ending.length) {
		for (const appId of new Set(ending.map((a) => a.applicationId))) await syncReviewStatus(db, actor, appId);
	}
	return ending.length;
}
