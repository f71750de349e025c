// Reading applications, with the visibility rule applied in the query itself: admins see
// all, staff the calls of their programs, applicants their own enterprise's. Experts see
// applications only through their assignments (reviews/).
import { and, asc, desc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import { applicationAttachments, applications, calls, programs } from '$db/schema';
import type { DbOrTx } from '../db';
import type { Principal } from '../auth/principal';
import { managedProgramIds } from '../calls/access';
import { fetchPage } from '../paging';
import type { PageRequest } from '$lib/paging';

export interface ApplicationFilter {
	q?: string;
	callId?: string;
	status?: string;
	field?: string;
	/** Submitted on or after / before, as instants. */
	from?: Date | null;
	to?: Date | null;
	sort?: 'number' | 'submitted' | 'amount' | 'updated' | 'title';
	dir?: 'asc' | 'desc';
	/** Rows at most (200 if not given); null for the whole list, as exports want it. */
	limit?: number | null;
	offset?: number;
}

/**
 * The SQL condition limiting applications to what the principal may see, or null for none.
 * Drafts are the applicant's own work: staff and admins never see them.
 */
export async function visibilityCondition(db: DbOrTx, p: Principal): Promise<SQL | null> {
	const managed = await managedProgramIds(db, p);
	const parts: SQL[] = [];
	const notDraft = sql`${applications.status} <> 'draft'`;
	if (managed === 'all') parts.push(notDraft);
	else if (managed.length) parts.push(and(inArray(calls.programId, managed), notDraft)!);
	if (p.enterpriseId) parts.push(eq(applications.enterpriseId, p.enterpriseId));
	if (parts.length === 0) return null;
	return parts.length === 1 ? parts[0] : or(...parts)!;
}

const columns = {
	id: applications.id,
	number: applications.number,
	title: applications.title,
	enterpriseName: applications.enterpriseName,
	field: applications.field,
	fundingMode: applications.fundingMode,
	requestedAmount: applications.requestedAmount,
	status: applications.status,
	rejectionReason: applications.rejectionReason,
	submittedAt: applications.submittedAt,
	updatedAt: applications.updatedAt,
	callId: applications.callId,
	callTitle: calls.title,
	callTitleEn: calls.titleEn,
	callCode: calls.code,
	creditCode: applications.creditCode,
	contactName: applications.contactName,
	contactPhone: applications.contactPhone,
	isMajor: applications.isMajor,
	programName: programs.name,
	programNameEn: programs.nameEn
};

export async function listApplications(db: DbOrTx, p: Principal, filter: ApplicationFilter = {}) {
	const visible = await visibilityCondition(db, p);
	if (visible === null) return { rows: [], total: 0 };
	const where: SQL[] = [visible];
	if (filter.callId) where.push(eq(applications.callId, filter.callId));
	if (filter.status) where.push(sql`${applications.status}::text = ${filter.status}`);
	if (filter.field) where.push(sql`${applications.field}::text = ${filter.field}`);
	if (filter.from) where.push(sql`${applications.submittedAt} >= ${filter.from}`);
	if (filter.to) where.push(sql`${applications.submittedAt} < ${filter.to}`);
	if (filter.q) {
		const like = `%${filter.q.replace(/[%_\\]/g, (c) => '\\' + c)}%`;
		where.push(or(ilike(applications.title, like), ilike(applications.enterpriseName, like), ilike(applications.number, like))!);
	}
	const order = filter.dir === 'asc' ? asc : desc;
	const sortColumn =
		filter.sort === 'submitted'
			? applications.submittedAt
			: filter.sort === 'amount'
				? applications.requestedAmount
				: filter.sort === 'updated'
					? applications.updatedAt
					: filter.sort === 'title'
						? applications.title
						: applications.number;
	const condition = where.length ? and(...where) : undefined;
	const query = db
		.select(columns)
		.from(applications)
		.innerJoin(calls, eq(calls.id, applications.callId))
		.innerJoin(programs, eq(programs.id, calls.programId))
		.where(condition)
		// The id last: pages need a total order, or a row could show on two pages and another on none.
		.orderBy(filter.sort ? order(sortColumn) : asc(applications.number), asc(applications.number), asc(applications.id))
		.offset(filter.offset ?? 0)
		.$dynamic();
	const rows = await (filter.limit === null ? query : query.limit(filter.limit ?? 200));
	const [{ total }] = await db
		.select({ total: sql<number>`count(*)::int` })
		.from(applications)
		.innerJoin(calls, eq(calls.id, applications.callId))
		.where(condition);
	return { rows, total };
}

/** One page of the list, with the count of the whole filtered list. */
export async function pageOfApplications(db: DbOrTx, p: Principal, filter: Omit<ApplicationFilter, 'limit' | 'offset'>, request: PageRequest) {
	return fetchPage(request, (limit, offset) => listApplications(db, p, { ...filter, limit, offset }));
}

/** One application if the principal may see it, else null (callers answer 404, never 403, to leak nothing). */
export async function getVisibleApplication(db: DbOrTx, p: Principal, id: string) {
	const visible = await visibilityCondition(db, p);
	if (visible === null) return null;
	const [row] = await db
		.select({ application: applications, callTitle: calls.title, callTitleEn: calls.titleEn, callCode: calls.code, programName: programs.name, programNameEn: programs.nameEn })
		.from(applications)
		.innerJoin(calls, eq(calls.id, applications.callId))
		.innerJoin(programs, eq(programs.id, calls.programId))
		.where(and(eq(applications.id, id), visible));
	return row ?? null;
}

/** Counts by status for the calls the principal manages: the home page's intake summary. */
export async function statusCounts(db: DbOrTx, p: Principal) {
	const visible = await visibilityCondition(db, p);
	if (visible === null) return [];
	return db
		.select({ callId: calls.id, callTitle: calls.title, callTitleEn: calls.titleEn, closesAt: calls.closesAt, status: applications.status, count: sql<number>`count(*)::int` })
		.from(applications)
		.innerJoin(calls, eq(calls.id, applications.callId))
		.where(visible)
		.groupBy(calls.id, calls.title, calls.titleEn, calls.closesAt, applications.status);
}

/** One attachment of an application (the caller has checked the reader may see the application). */
export async function getAttachment(db: DbOrTx, applicationId: string, attachmentId: string) {
	const [file] = await db
		.select()
		.from(applicationAttachments)
		.where(and(eq(applicationAttachments.id, attachmentId), eq(applicationAttachments.applicationId, applicationId)));
	return file ?? null;
}
