// Who is conflicted with what (回避). An expert is conflicted with an application when they
// share an institution with the applicant, declared a conflict, or staff recorded one. Every
// channel (pages, API, Socket.IO, Yjs documents, exports) asks here before showing anything.
import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import { applications, conflicts, experts } from '$db/schema';
import type { DbOrTx } from '../db';
import { sameInstitution } from '$lib/institutions';

export type ConflictKind = 'institution' | 'declared' | 'recorded';

export interface Conflict {
	expertId: string;
	applicationId: string;
	kind: ConflictKind;
	reason: string;
}

/** Every conflict touching the given applications (or the given experts), with its reason. */
export async function findConflicts(db: DbOrTx, scope: { applicationIds?: string[]; expertIds?: string[] }): Promise<Conflict[]> {
	const appWhere = scope.applicationIds ? inArray(applications.id, scope.applicationIds) : undefined;
	if (scope.applicationIds?.length === 0 || scope.expertIds?.length === 0) return [];
	const apps = await db.select({ id: applications.id, enterpriseName: applications.enterpriseName }).from(applications).where(appWhere);
	const pool = await db
		.select({ id: experts.id, institution: experts.institution })
		.from(experts)
		.where(scope.expertIds ? inArray(experts.id, scope.expertIds) : undefined);
	const stated = await db
		.select()
		.from(conflicts)
		.where(
			and(
				isNull(conflicts.withdrawnAt),
				scope.expertIds ? inArray(conflicts.expertId, scope.expertIds) : undefined,
				scope.applicationIds ? or(inArray(conflicts.applicationId, scope.applicationIds), isNull(conflicts.applicationId)) : undefined
			)
		);

	const out: Conflict[] = [];
	const seen = new Set<string>();
	const add = (c: Conflict) => {
		const key = `${c.expertId}:${c.applicationId}:${c.kind}`;
		if (!seen.has(key)) {
			seen.add(key);
			out.push(c);
		}
	};
	for (const app of apps) {
		for (const e of pool) {
			if (sameInstitution(e.institution, app.enterpriseName)) {
				add({ expertId: e.id, applicationId: app.id, kind: 'institution', reason: e.institution });
			}
		}
	}
	const appIds = new Set(apps.map((a) => a.id));
	for (const c of stated) {
		const kind: ConflictKind = c.source;
		if (c.applicationId) {
			if (appIds.has(c.applicationId)) add({ expertId: c.expertId, applicationId: c.applicationId, kind, reason: c.reason });
		} else if (c.institution) {
			for (const app of apps) {
				if (sameInstitution(c.institution, app.enterpriseName)) add({ expertId: c.expertId, applicationId: app.id, kind, reason: c.reason });
			}
		}
	}
	return out;
}

/** The experts who must not see anything of an application. */
export async function conflictedExpertIds(db: DbOrTx, applicationId: string): Promise<Set<string>> {
	return new Set((await findConflicts(db, { applicationIds: [applicationId] })).map((c) => c.expertId));
}

export async function isConflicted(db: DbOrTx, expertId: string, applicationId: string): Promise<boolean> {
	return (await findConflicts(db, { applicationIds: [applicationId], expertIds: [expertId] })).length > 0;
}

export async function expertIdForUser(db: DbOrTx, userId: string): Promise<string | null> {
	const [row] = await db.select({ id: experts.id }).from(experts).where(eq(experts.userId, userId));
	return row?.id ?? null;
}
