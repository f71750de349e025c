// Reading the expert database (专家库): search by name or institution, filter by field,
// kind and state. Staff and admins only (guarded by the pages).
import { and, asc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import { experts } from '$db/schema';
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
