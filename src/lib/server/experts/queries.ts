// Reading the expert database (专家库): search by name or institution, filter by field,
// kind and state. Staff and admins only (guarded by the pages).
import { and, asc, desc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import { applications, assignments, calls, experts, reviews } from '$db/schema';
import type { DbOrTx } from '../db';

export interface ExpertFilter {
	q?: string;
	field?: string;
	kind?: string;
	status?: 'active' | 'inactive' | '';
}

export async function listExperts(db: DbOrTx, filter: ExpertFilter = {}) {
	const where: SQL[] = [];
	if (filter.q) {
		const like = `%${filter.q.replace(/[%_\\]/g, (c) => '\\' + c)}%`;
		where.push(or(ilike(experts.name, like), ilike(experts.institution, like), ilike(experts.title, like))!);
	}
	if (filter.field) where.push(sql`(${experts.primaryField}::text = ${filter.field} OR ${filter.field} = ANY(${experts.secondaryFields}::text[]))`);
	if (filter.kind) where.push(sql`${experts.kind}::text = ${filter.kind}`);
	if (filter.status === 'active') where.push(eq(experts.active, true));
	if (filter.status === 'inactive') where.push(eq(experts.active, false));
	return db
		.select()
		.from(experts)
		.where(where.length ? and(...where) : undefined)
		.orderBy(asc(experts.primaryField), asc(experts.name));
}

/** Active assignments per expert across open reviews, for the list's load column. */
export async function expertLoads(db: DbOrTx): Promise<Map<string, number>> {
	const rows = await db
		.select({ expertId: assignments.expertId, n: sql<number>`count(*)::int` })
		.from(assignments)
		.where(eq(assignments.status, 'active'))
		.groupBy(assignments.expertId);
	return new Map(rows.map((r) => [r.expertId, r.n]));
}

/** An expert's assignments in every call, newest first, for the staff's expert page. */
export async function expertAssignments(db: DbOrTx, expertId: string) {
	return db
		.select({
			id: assignments.id,
			status: assignments.status,
			form: assignments.form,
			endReason: assignments.endReason,
			applicationId: applications.id,
			number: applications.number,
			title: applications.title,
			callCode: calls.code,
			reviewStatus: reviews.status
		})
		.from(assignments)
		.innerJoin(applications, eq(applications.id, assignments.applicationId))
		.innerJoin(calls, eq(calls.id, assignments.callId))
		.leftJoin(reviews, eq(reviews.assignmentId, assignments.id))
		.where(eq(assignments.expertId, expertId))
		.orderBy(desc(assignments.createdAt));
}
