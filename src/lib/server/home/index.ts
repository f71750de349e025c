// The workspace (工作台): what waits for each user, by role. Each part is computed only for
// the roles it concerns; later features add their parts here.
import { and, count, eq, gte, sql } from 'drizzle-orm';
import { auditLog, calls, experts, programs, users } from '$db/schema';
import type { Db } from '../db';
import { roles, type Principal } from '../auth/principal';
import { listApplications, statusCounts } from '../applications/queries';
import { managedProgramIds } from '../calls/access';
import { myAssignments } from '../reviews';
import { upcomingMeetingsOf } from '../meetings/schedule/queries';

export async function workspace(db: Db, p: Principal) {
	const [applicant, intake, admin, expert, meetings] = await Promise.all([
		roles.isApplicant(p) ? applicantPart(db, p) : null,
		roles.isInternal(p) ? intakePart(db, p) : null,
		p.isAdmin ? adminPart(db) : null,
		roles.isExpert(p) ? expertPart(db, p) : null,
		roles.isInternal(p) || roles.isExpert(p) ? upcomingMeetingsOf(db, p.user.id) : null
	]);
	return { applicant, intake, admin, expert, meetings };
}

async function applicantPart(db: Db, p: Principal) {
	const { rows } = await listApplications(db, p, { sort: 'updated', dir: 'desc', limit: 20 });
	const openCalls = await db
		.select({ id: calls.id, title: calls.title, titleEn: calls.titleEn, closesAt: calls.closesAt, programName: programs.name, programNameEn: programs.nameEn })
		.from(calls)
		.innerJoin(programs, eq(programs.id, calls.programId))
		.where(and(eq(calls.status, 'open'), gte(calls.closesAt, new Date())));
	return { applications: rows, openCalls };
}

async function intakePart(db: Db, p: Principal) {
	const managed = await managedProgramIds(db, p);
	if (managed !== 'all' && managed.length === 0) return { calls: [] };
	const counts = await statusCounts(db, p);
	const byCall = new Map<string, { callId: string; title: string; titleEn: string; closesAt: Date; counts: Record<string, number>; total: number }>();
	for (const row of counts) {
		const entry = byCall.get(row.callId) ?? { callId: row.callId, title: row.callTitle, titleEn: row.callTitleEn, closesAt: row.closesAt, counts: {}, total: 0 };
		entry.counts[row.status] = row.count;
		entry.total += row.count;
		byCall.set(row.callId, entry);
	}
	return { calls: [...byCall.values()] };
}

async function adminPart(db: Db) {
	const since = new Date(Date.now() - 24 * 3600 * 1000);
	const [[active], [inactive], [failed], [entries]] = await Promise.all([
		db.select({ n: count() }).from(users).where(eq(users.active, true)),
		db.select({ n: count() }).from(users).where(eq(users.active, false)),
		db
			.select({ n: count() })
			.from(auditLog)
			.where(and(eq(auditLog.action, 'auth.login_failed'), gte(auditLog.at, since))),
		db.select({ n: count() }).from(auditLog)
	]);
	return { activeUsers: active.n, inactiveUsers: inactive.n, failedLogins24h: failed.n, auditEntries: entries.n };
}

async function expertPart(db: Db, p: Principal) {
	const [profile] = await db
		.select({ name: experts.name, institution: experts.institution, title: experts.title, kind: experts.kind, primaryField: experts.primaryField, secondaryFields: experts.secondaryFields })
		.from(experts)
		.where(sql`${experts.id} = ${p.expertId}`);
	const mine = (await myAssignments(db, p.expertId!)).filter((a) => a.status === 'active');
	const pending = mine.filter((a) => a.reviewStatus !== 'submitted');
	return { profile: profile ?? null, pending: pending.slice(0, 10), pendingCount: pending.length, submittedCount: mine.length - pending.length };
}
