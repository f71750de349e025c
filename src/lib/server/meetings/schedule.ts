// Scheduling panel meetings (评审会): organizers (staff of the call's program, admins) create a
// meeting for a call, set its chair, secretary, expert members and observers, and build the
// ordered agenda of the call's accepted applications with a time box each. All of it only
// while the meeting is still scheduled: once the room opens, the agenda belongs to the chair.
// Every change runs in one transaction with its audit entry; bad input changes nothing.
import { and, asc, eq, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { applications, calls, divisions, experts, meetingItems, meetingMembers, meetingRecusals, meetings, memberships, programs, users } from '$db/schema';
import type { Db, DbOrTx, Tx } from '../db';
import type { Principal } from '../auth/principal';
import { emit } from '../events';
import { audit, type AuditActor } from '../audit';
import { managedProgramIds, managesCall } from '../calls/access';
import { findConflicts, type ConflictKind } from '../conflicts';
import type { FieldErrors } from '../validation';
import { parse } from '../validation';
import type { MeetingRole } from '$lib/meetings/protocol';
import type { MeetingAccess } from './access';
import { agendaSchema, type AgendaItemInput, type MeetingDetails } from './schedule-schemas';
import { establishRecusals, recusalsOf } from './recusals';

/** Applications that may go on an agenda: accepted by intake and not yet decided. */
export const AGENDA_STATUSES = ['accepted', 'assigned', 'reviewed'] as const;

export type ScheduleProblem = 'notFound' | 'forbidden' | 'notScheduled' | 'invalid';
export type Refusal = { ok: false; problem: ScheduleProblem; errors: FieldErrors; message: string };
export type Result<T = object> = ({ ok: true } & T) | Refusal;

function refuse(problem: ScheduleProblem, errors: FieldErrors = {}): Refusal {
	const message = { notFound: m.not_found, forbidden: m.error_forbidden, notScheduled: m.meetings_not_scheduled, invalid: m.v_form_errors }[problem]();
	return { ok: false, problem, errors, message };
}

/** Raised inside a transaction to roll it back and answer with the refusal. */
class Refused extends Error {
	constructor(readonly refusal: Refusal) {
		super(refusal.message);
	}
}

async function refusing<T>(work: () => Promise<T>): Promise<T | Refusal> {
	try {
		return await work();
	} catch (e) {
		if (e instanceof Refused) return e.refusal;
		throw e;
	}
}

/**
 * The meeting, locked for this transaction, if it is still scheduled: the room's start takes
 * the same row lock, so an agenda cannot change under a meeting that has just opened.
 */
async function lockScheduled(tx: Tx, meetingId: string) {
	const [row] = await tx.select({ id: meetings.id, callId: meetings.callId, title: meetings.title, status: meetings.status }).from(meetings).where(eq(meetings.id, meetingId)).for('update');
	if (!row) throw new Refused(refuse('notFound'));
	if (row.status !== 'scheduled') throw new Refused(refuse('notScheduled'));
	return row;
}

function detailsRow(d: MeetingDetails) {
	return { title: d.title, startsAt: d.startsAt, place: d.place, videoLink: d.videoLink, quorum: d.quorum.toFixed(3), ballotThreshold: d.ballotThreshold.toFixed(3) };
}

// ---- changes ---------------------------------------------------------------------------

/**
 * Schedules a meeting for a call the principal manages. A staff member who schedules it is
 * its secretary to begin with (the organizer usually is); the members page changes that.
 */
export async function createMeeting(db: Db, p: Principal, actor: AuditActor, callId: string, details: MeetingDetails): Promise<Result<{ id: string }>> {
	if (!(await managesCall(db, p, callId))) return refuse('forbidden', { callId: m.v_choice() });
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(meetings)
			.values({ callId, createdBy: p.user.id, ...detailsRow(details) })
			.returning({ id: meetings.id });
		if (p.memberships.length > 0) await tx.insert(meetingMembers).values({ meetingId: row.id, userId: p.user.id, role: 'secretary' });
		await audit(tx, actor, 'meeting.created', { type: 'meeting', id: row.id }, { callId, title: details.title, startsAt: details.startsAt.toISOString() });
		return { ok: true, id: row.id } as const;
	});
}

async function updateMeetingRow(db: Db, actor: AuditActor, meetingId: string, details: MeetingDetails): Promise<Result> {
	return refusing(() =>
		db.transaction(async (tx) => {
			await lockScheduled(tx, meetingId);
			await tx
				.update(meetings)
				.set({ ...detailsRow(details), updatedAt: sql`now()` })
				.where(eq(meetings.id, meetingId));
			await audit(tx, actor, 'meeting.updated', { type: 'meeting', id: meetingId }, { title: details.title, startsAt: details.startsAt.toISOString(), place: details.place, videoLink: details.videoLink });
			return { ok: true } as const;
		})
	);
}

async function deleteMeetingRow(db: Db, actor: AuditActor, meetingId: string): Promise<Result> {
	return refusing(() =>
		db.transaction(async (tx) => {
			const row = await lockScheduled(tx, meetingId);
			await tx.delete(meetings).where(eq(meetings.id, meetingId));
			await audit(tx, actor, 'meeting.deleted', { type: 'meeting', id: meetingId }, { callId: row.callId, title: row.title });
			return { ok: true } as const;
		})
	);
}

export interface MemberInput {
	userId: string;
	role: MeetingRole;
}

/** The form's fields as one list of members with roles. */
export function membersFromForm(f: { chairId: string; secretaryId: string; expertIds: string[]; observerIds: string[] }): MemberInput[] {
	return [
		{ userId: f.chairId, role: 'chair' as const },
		{ userId: f.secretaryId, role: 'secretary' as const },
		...f.expertIds.map((userId) => ({ userId, role: 'expert' as const })),
		...f.observerIds.map((userId) => ({ userId, role: 'observer' as const }))
	];
}

const roleField: Record<MeetingRole, string> = { chair: 'chairId', secretary: 'secretaryId', expert: 'expertIds', observer: 'observerIds' };

/**
 * What each person may be in a meeting: the chair is an expert with an account or a division
 * head (or deputy); the secretary and observers are staff; expert members are active experts
 * with an account. Deactivated accounts may be none of these.
 */
async function eligibility(db: DbOrTx, userIds: string[]) {
	if (userIds.length === 0) return new Map<string, { expert: boolean; staff: boolean; head: boolean }>();
	// Drizzle leaves columns unqualified in a one-table query, which a subquery would read as
	// its own; hence users.id spelled out.
	const rows = await db
		.select({
			id: users.id,
			expert: sql<boolean>`EXISTS (SELECT 1 FROM ${experts} e WHERE e.user_id = "users"."id" AND e.active)`,
			staff: sql<boolean>`EXISTS (SELECT 1 FROM ${memberships} ms WHERE ms.user_id = "users"."id")`,
			head: sql<boolean>`EXISTS (SELECT 1 FROM ${memberships} ms WHERE ms.user_id = "users"."id" AND ms.role IN ('head', 'deputy'))`
		})
		.from(users)
		.where(and(inArray(users.id, userIds), eq(users.active, true)));
	return new Map(rows.map((r) => [r.id, { expert: !!r.expert, staff: !!r.staff, head: !!r.head }]));
}

/** Problems with a list of members, by form field; empty when it is a valid panel. */
export async function memberProblems(db: DbOrTx, members: MemberInput[]): Promise<FieldErrors> {
	const errors: FieldErrors = {};
	const add = (field: string, message: string) => (errors[field] ??= message);
	const count = (role: MeetingRole) => members.filter((x) => x.role === role).length;
	if (count('chair') !== 1) add('chairId', m.meetings_v_one_chair());
	if (count('secretary') !== 1) add('secretaryId', m.meetings_v_one_secretary());
	if (count('expert') + count('chair') < 2) add('expertIds', m.meetings_v_few_experts());
	const seen = new Map<string, MeetingRole>();
	for (const x of members) {
		const before = seen.get(x.userId);
		if (before) add(roleField[x.role], m.meetings_v_one_role());
		seen.set(x.userId, x.role);
	}
	const who = await eligibility(db, [...seen.keys()]);
	for (const x of members) {
		const e = who.get(x.userId);
		const ok = !!e && (x.role === 'chair' ? e.expert || e.head : x.role === 'expert' ? e.expert : e.staff);
		if (!ok) add(roleField[x.role], { chair: m.meetings_v_chair, secretary: m.meetings_v_secretary, expert: m.meetings_v_expert, observer: m.meetings_v_observer }[x.role]());
	}
	return errors;
}

/** Replaces the meeting's members; refuses the whole list if any of it is wrong. */
async function setMembersRows(db: Db, actor: AuditActor, meetingId: string, members: MemberInput[]): Promise<Result> {
	return refusing(() =>
		db.transaction(async (tx) => {
			await lockScheduled(tx, meetingId);
			const errors = await memberProblems(tx, members);
			if (Object.keys(errors).length) throw new Refused(refuse('invalid', errors));
			await tx.delete(meetingMembers).where(eq(meetingMembers.meetingId, meetingId));
			await tx.insert(meetingMembers).values(members.map((x) => ({ meetingId, userId: x.userId, role: x.role })));
			await audit(tx, actor, 'meeting.members_set', { type: 'meeting', id: meetingId }, { members: members.map((x) => ({ userId: x.userId, role: x.role })) });
			// Scheduling establishes recusal: what makes a member recused now stays so for this meeting.
			await establishRecusals(tx, meetingId);
			return { ok: true } as const;
		})
	);
}

/**
 * Replaces the agenda with the given ordered list. Each item is an accepted, not yet decided
 * application of the meeting's call, at most once, with a time box of 5 to 180 minutes.
 * Items that stay keep their id (and so anything already attached to them).
 */
async function setAgendaRows(db: Db, actor: AuditActor, meetingId: string, input: unknown): Promise<Result> {
	const parsed = parse(agendaSchema, input);
	if (!parsed.ok) return refuse('invalid', { agenda: agendaMessage(parsed.errors) });
	const items: AgendaItemInput[] = parsed.data;
	return refusing(() =>
		db.transaction(async (tx) => {
			const meeting = await lockScheduled(tx, meetingId);
			const ids = items.map((i) => i.applicationId);
			if (new Set(ids).size !== ids.length) throw new Refused(refuse('invalid', { agenda: m.meetings_v_duplicate_item() }));
			const eligible = ids.length
				? await tx
						.select({ id: applications.id })
						.from(applications)
						.where(and(inArray(applications.id, ids), eq(applications.callId, meeting.callId), inArray(applications.status, [...AGENDA_STATUSES])))
				: [];
			if (eligible.length !== ids.length) throw new Refused(refuse('invalid', { agenda: m.meetings_v_not_eligible() }));

			const existing = await tx.select({ id: meetingItems.id, applicationId: meetingItems.applicationId }).from(meetingItems).where(eq(meetingItems.meetingId, meetingId));
			const keep = new Map(existing.map((e) => [e.applicationId, e.id]));
			const removed = existing.filter((e) => !ids.includes(e.applicationId));
			if (removed.length) await tx.delete(meetingItems).where(inArray(meetingItems.id, removed.map((r) => r.id)));
			for (const [i, item] of items.entries()) {
				const id = keep.get(item.applicationId);
				if (id) await tx.update(meetingItems).set({ position: i + 1, timeboxMinutes: item.timeboxMinutes }).where(eq(meetingItems.id, id));
				else await tx.insert(meetingItems).values({ meetingId, applicationId: item.applicationId, position: i + 1, timeboxMinutes: item.timeboxMinutes });
			}
			await audit(tx, actor, 'meeting.agenda_set', { type: 'meeting', id: meetingId }, {
				items: items.map((i) => [i.applicationId, i.timeboxMinutes]),
				added: items.filter((i) => !keep.has(i.applicationId)).length,
				removed: removed.length
			});
			await establishRecusals(tx, meetingId);
			return { ok: true } as const;
		})
	);
}

function agendaMessage(errors: FieldErrors): string {
	const timebox = Object.keys(errors).some((k) => k.endsWith('timeboxMinutes'));
	return timebox ? m.meetings_v_timebox() : m.v_invalid();
}

// ---- reading ---------------------------------------------------------------------------

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
	const [members, agenda] = await Promise.all([meetingMembersOf(db, access.meetingId), agendaOf(db, access.meetingId)]);
	if (access.organizer) {
		const conflicts = await agendaConflicts(db, access.meetingId);
		return { ...found, members, agenda: agenda.map((a) => ({ ...a, recused: false as const, conflicts: conflicts.filter((c) => c.applicationId === a.applicationId) })) };
	}
	// Established recusals count as well as live conflicts: a recusal is never undone by a change of the conflict.
	const mine = new Set((await recusalsOf(db, access.meetingId, { userIds: [p.user.id] })).keys());
	return {
		...found,
		members,
		agenda: agenda.map((a) =>
			mine.has(a.applicationId)
				? { id: a.id, position: a.position, timeboxMinutes: a.timeboxMinutes, startedAt: a.startedAt, recused: true as const }
				: { ...a, recused: false as const, conflicts: [] as MemberConflict[] }
		)
	};
}

/** A successful change reaches a live room at once (it reloads its state). */
async function announced(meetingId: string, result: Promise<Result>): Promise<Result> {
	const r = await result;
	if (r.ok) emit('meeting.changed', { meetingId });
	return r;
}

export const updateMeeting = (db: Db, actor: AuditActor, meetingId: string, details: MeetingDetails) => announced(meetingId, updateMeetingRow(db, actor, meetingId, details));
export const deleteMeeting = (db: Db, actor: AuditActor, meetingId: string) => announced(meetingId, deleteMeetingRow(db, actor, meetingId));
export const setMembers = (db: Db, actor: AuditActor, meetingId: string, members: MemberInput[]) => announced(meetingId, setMembersRows(db, actor, meetingId, members));
export const setAgenda = (db: Db, actor: AuditActor, meetingId: string, input: unknown) => announced(meetingId, setAgendaRows(db, actor, meetingId, input));
