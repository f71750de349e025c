// Scheduling panel meetings (评审会), the reading: the meetings a person organizes or belongs
// to, one meeting's members and agenda, who is conflicted with which item (organizers only),
// the candidates for the agenda and the panel, and the overview as each person may see it
// (commands.ts changes meetings).
import { and, asc, eq, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import { IN_REVIEW_STATUSES } from '$lib/values';
import { applications, calls, divisions, documents, experts, meetingDecisionReopens, meetingDecisions, meetingItems, meetingMembers, meetingRecusals, meetings, memberships, programs, users } from '$db/schema';
import type { DbOrTx } from '../../db';
import type { Principal } from '../../auth/principal';
import { managedProgramIds } from '../../calls/access';
import { findConflicts, type ConflictKind } from '../../conflicts';
import type { MeetingRole } from '$lib/meetings/protocol';
import type { MeetingAccess } from '../access';
import { recusalsOf } from '../recusals';

/** Applications that may go on an agenda: accepted by intake and not yet decided. */
/** Applications a meeting may put on its agenda: accepted and not yet decided. */
export const AGENDA_STATUSES = IN_REVIEW_STATUSES;

const chairName = sql<string | null>`(SELECT u.name FROM ${meetingMembers} mm JOIN ${users} u ON u.id = mm.user_id WHERE mm.meeting_id = ${meetings.id} AND mm.role = 'chair')`;
const itemCount = sql<number>`(SELECT count(*)::int FROM ${meetingItems} mi WHERE mi.meeting_id = ${meetings.id})`;

/** Meetings the principal organizes (their programs') or belongs to, soonest first within each state. */
export async function listMeetings(db: DbOrTx, p: Principal) {
	const managed = await managedProgramIds(db, p);
	const mine = sql`EXISTS (SELECT 1 FROM ${meetingMembers} mm WHERE mm.meeting_id = ${meetings.id} AND mm.user_id = ${p.user.id})`;
	const organized = managed === 'all' ? sql`true` : managed.length ? inArray(calls.programId, managed) : sql`false`;
	const rows = await db
		.select({
			id: meetings.id,
			title: meetings.title,
			startsAt: meetings.startsAt,
			place: meetings.place,
			videoLink: meetings.videoLink,
			status: meetings.status,
			callId: calls.id,
			callCode: calls.code,
			callTitle: calls.title,
			callTitleEn: calls.titleEn,
			programId: calls.programId,
			chairName,
			itemCount,
			role: sql<MeetingRole | null>`(SELECT mm.role FROM ${meetingMembers} mm WHERE mm.meeting_id = ${meetings.id} AND mm.user_id = ${p.user.id})`
		})
		.from(meetings)
		.innerJoin(calls, eq(calls.id, meetings.callId))
		.where(or(organized, mine))
		.orderBy(asc(meetings.startsAt));
	return rows.map(({ programId, ...r }) => ({ ...r, organizer: managed === 'all' || managed.includes(programId) }));
}

/** Scheduled and open meetings the user belongs to, for the workspace. */
export async function upcomingMeetingsOf(db: DbOrTx, userId: string, limit = 5) {
	return db
		.select({ id: meetings.id, title: meetings.title, startsAt: meetings.startsAt, place: meetings.place, videoLink: meetings.videoLink, status: meetings.status, role: meetingMembers.role, itemCount })
		.from(meetingMembers)
		.innerJoin(meetings, eq(meetings.id, meetingMembers.meetingId))
		.where(and(eq(meetingMembers.userId, userId), inArray(meetings.status, ['scheduled', 'open'])))
		.orderBy(sql`${meetings.status} = 'open' DESC`, asc(meetings.startsAt))
		.limit(limit);
}

export async function getMeeting(db: DbOrTx, meetingId: string) {
	const [row] = await db
		.select({ meeting: meetings, callCode: calls.code, callTitle: calls.title, callTitleEn: calls.titleEn, programName: programs.name, programNameEn: programs.nameEn })
		.from(meetings)
		.innerJoin(calls, eq(calls.id, meetings.callId))
		.innerJoin(programs, eq(programs.id, calls.programId))
		.where(eq(meetings.id, meetingId));
	return row ?? null;
}

const ROLE_ORDER: Record<MeetingRole, number> = { chair: 0, secretary: 1, expert: 2, observer: 3 };

export async function meetingMembersOf(db: DbOrTx, meetingId: string) {
	const rows = await db
		.select({
			userId: users.id,
			name: users.name,
			role: meetingMembers.role,
			expertId: experts.id,
			institution: experts.institution,
			title: experts.title,
			division: sql<string | null>`(SELECT d.name FROM ${memberships} ms JOIN ${divisions} d ON d.id = ms.division_id WHERE ms.user_id = ${users.id} ORDER BY d.sort LIMIT 1)`,
			divisionEn: sql<string | null>`(SELECT d.name_en FROM ${memberships} ms JOIN ${divisions} d ON d.id = ms.division_id WHERE ms.user_id = ${users.id} ORDER BY d.sort LIMIT 1)`
		})
		.from(meetingMembers)
		.innerJoin(users, eq(users.id, meetingMembers.userId))
		.leftJoin(experts, eq(experts.userId, users.id))
		.where(eq(meetingMembers.meetingId, meetingId));
	return rows.sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.name.localeCompare(b.name, 'zh-CN'));
}

export async function agendaOf(db: DbOrTx, meetingId: string) {
	return db
		.select({
			id: meetingItems.id,
			position: meetingItems.position,
			timeboxMinutes: meetingItems.timeboxMinutes,
			startedAt: meetingItems.startedAt,
			applicationId: applications.id,
			number: applications.number,
			title: applications.title,
			enterpriseName: applications.enterpriseName,
			field: applications.field,
			status: applications.status,
			requestedAmount: applications.requestedAmount
		})
		.from(meetingItems)
		.innerJoin(applications, eq(applications.id, meetingItems.applicationId))
		.where(eq(meetingItems.meetingId, meetingId))
		.orderBy(asc(meetingItems.position));
}

export interface MemberConflict {
	applicationId: string;
	userId: string;
	name: string;
	kind: ConflictKind;
	reason: string;
}

/**
 * Which of these people (user ids) are conflicted with which of these applications, and why.
 * Only people with an expert record can be: conflicts are the expert database's.
 */
export async function conflictsAmong(db: DbOrTx, applicationIds: string[], userIds: string[]): Promise<MemberConflict[]> {
	if (applicationIds.length === 0 || userIds.length === 0) return [];
	const pool = await db
		.select({ expertId: experts.id, userId: experts.userId, name: experts.name })
		.from(experts)
		.where(and(inArray(experts.userId, userIds), isNotNull(experts.userId)));
	if (pool.length === 0) return [];
	const byExpert = new Map(pool.map((x) => [x.expertId, x]));
	const found = await findConflicts(db, { applicationIds, expertIds: pool.map((x) => x.expertId) });
	return found.map((c) => {
		const x = byExpert.get(c.expertId)!;
		return { applicationId: c.applicationId, userId: x.userId!, name: x.name, kind: c.kind, reason: c.reason };
	});
}

/** The meeting's members conflicted with its agenda items, by application. */
export async function agendaConflicts(db: DbOrTx, meetingId: string): Promise<MemberConflict[]> {
	const [items, members] = await Promise.all([
		db.select({ applicationId: meetingItems.applicationId }).from(meetingItems).where(eq(meetingItems.meetingId, meetingId)),
		db.select({ userId: meetingMembers.userId }).from(meetingMembers).where(eq(meetingMembers.meetingId, meetingId))
	]);
	const live = await conflictsAmong(
		db,
		items.map((i) => i.applicationId),
		members.map((x) => x.userId)
	);
	return withEstablished(db, meetingId, live);
}

/** Adds the meeting's recusals in force whose conflict is gone: they still send the member out. */
export async function withEstablished(db: DbOrTx, meetingId: string, conflicts: MemberConflict[]): Promise<MemberConflict[]> {
	const have = new Set(conflicts.map((c) => `${c.applicationId}:${c.userId}`));
	const rows = await db
		.select({ applicationId: meetingRecusals.applicationId, userId: meetingRecusals.userId, name: users.name, source: meetingRecusals.source, reason: meetingRecusals.reason })
		.from(meetingRecusals)
		.innerJoin(users, eq(users.id, meetingRecusals.userId))
		.where(and(eq(meetingRecusals.meetingId, meetingId), isNull(meetingRecusals.liftedAt)));
	const extra = rows
		.filter((r) => !have.has(`${r.applicationId}:${r.userId}`))
		.map((r) => ({ applicationId: r.applicationId, userId: r.userId, name: r.name, kind: r.source as ConflictKind, reason: r.reason }));
	return [...conflicts, ...extra];
}

/** The applications of a call that may go on an agenda. */
export async function agendaCandidates(db: DbOrTx, callId: string) {
	return db
		.select({ applicationId: applications.id, number: applications.number, title: applications.title, enterpriseName: applications.enterpriseName, field: applications.field, status: applications.status })
		.from(applications)
		.where(and(eq(applications.callId, callId), inArray(applications.status, [...AGENDA_STATUSES])))
		.orderBy(asc(applications.number));
}

/** People who may be members: active experts with an account, and staff (with whether they head a division). */
export async function memberCandidates(db: DbOrTx) {
	const [expertRows, staffRows] = await Promise.all([
		db
			.select({ userId: users.id, name: experts.name, institution: experts.institution, title: experts.title, kind: experts.kind, primaryField: experts.primaryField, secondaryFields: experts.secondaryFields })
			.from(experts)
			.innerJoin(users, eq(users.id, experts.userId))
			.where(and(eq(experts.active, true), eq(users.active, true)))
			.orderBy(asc(experts.name)),
		db
			.select({ userId: users.id, name: users.name, division: divisions.name, divisionEn: divisions.nameEn, role: memberships.role, sort: divisions.sort })
			.from(memberships)
			.innerJoin(users, eq(users.id, memberships.userId))
			.innerJoin(divisions, eq(divisions.id, memberships.divisionId))
			.where(eq(users.active, true))
			.orderBy(asc(divisions.sort), asc(users.name))
	]);
	// One row per person: their first division.
	const staff = [...new Map(staffRows.map((r) => [r.userId, r])).values()].map((r) => ({ userId: r.userId, name: r.name, division: r.division, divisionEn: r.divisionEn, role: r.role }));
	return { experts: expertRows, staff };
}

/** Meetings the principal may schedule for: the calls they manage. */
export async function schedulableCalls(db: DbOrTx, p: Principal) {
	const managed = await managedProgramIds(db, p);
	if (managed !== 'all' && managed.length === 0) return [];
	return db
		.select({ id: calls.id, code: calls.code, title: calls.title, titleEn: calls.titleEn, year: calls.year })
		.from(calls)
		.where(managed === 'all' ? undefined : inArray(calls.programId, managed))
		.orderBy(sql`${calls.year} DESC`, asc(calls.code));
}

/**
 * The meeting's overview as this person may see it. Organizers see everything, conflicts
 * included. A member sees the agenda, except that an item they are conflicted with shows
 * only its place and time box: a recused expert learns nothing of that application here
 * either. Nobody but organizers sees who else is conflicted with what.
 */
export async function meetingOverview(db: DbOrTx, p: Principal, access: MeetingAccess) {
	const found = await getMeeting(db, access.meetingId);
	if (!found) return null;
	const [members, agenda, awaiting, addenda] = await Promise.all([
		meetingMembersOf(db, access.meetingId),
		agendaOf(db, access.meetingId),
		awaitingRedecisionOf(db, access.meetingId),
		minutesAddendaOf(db, found.meeting.id, found.meeting.minutesDocumentId)
	]);
	const after = { addendumDocumentIds: addenda };
	if (access.organizer) {
		const conflicts = await agendaConflicts(db, access.meetingId);
		return {
			...found,
			...after,
			members,
			agenda: agenda.map((a) => ({ ...a, recused: false as const, awaitingDecision: awaiting.has(a.id), conflicts: conflicts.filter((c) => c.applicationId === a.applicationId) }))
		};
	}
	// Established recusals count as well as live conflicts: a recusal is never undone by a change of the conflict.
	const mine = new Set((await recusalsOf(db, access.meetingId, { userIds: [p.user.id] })).keys());
	return {
		...found,
		...after,
		members,
		agenda: agenda.map((a) =>
			mine.has(a.applicationId)
				? { id: a.id, position: a.position, timeboxMinutes: a.timeboxMinutes, startedAt: a.startedAt, recused: true as const }
				: { ...a, recused: false as const, awaitingDecision: awaiting.has(a.id), conflicts: [] as MemberConflict[] }
		)
	};
}

/** Items whose latest decision an admin reopened: they wait for the chair to decide again. */
async function awaitingRedecisionOf(db: DbOrTx, meetingId: string): Promise<Set<string>> {
	const rows = await db
		.select({ itemId: meetingDecisions.itemId, version: meetingDecisions.version, reopened: meetingDecisionReopens.decisionId })
		.from(meetingDecisions)
		.innerJoin(meetingItems, eq(meetingItems.id, meetingDecisions.itemId))
		.leftJoin(meetingDecisionReopens, eq(meetingDecisionReopens.decisionId, meetingDecisions.id))
		.where(eq(meetingItems.meetingId, meetingId));
	const latest = new Map<string, { version: number; reopened: boolean }>();
	for (const r of rows) if ((latest.get(r.itemId)?.version ?? 0) < r.version) latest.set(r.itemId, { version: r.version, reopened: !!r.reopened });
	return new Set([...latest].filter(([, v]) => v.reopened).map(([id]) => id));
}

/** The meeting's other minutes documents: the addenda written after the minutes were locked. */
async function minutesAddendaOf(db: DbOrTx, meetingId: string, minutesId: string | null): Promise<string[]> {
	if (!minutesId) return [];
	const rows = await db
		.select({ id: documents.id })
		.from(documents)
		.where(and(eq(documents.meetingId, meetingId), eq(documents.kind, 'minutes'), sql`${documents.id} <> ${minutesId}`))
		.orderBy(asc(documents.createdAt));
	return rows.map((r) => r.id);
}
