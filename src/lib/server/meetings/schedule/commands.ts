// Scheduling panel meetings (评审会), the changes: organizers (staff of the call's program,
// admins) create a meeting for a call, set its chair, secretary, expert members and observers,
// and build the ordered agenda of the call's accepted applications with a time box each. All of
// it only while the meeting is still scheduled: once the room opens, the agenda belongs to the
// chair. Every change runs in one transaction with its audit entry; bad input changes nothing.
// Refusals carry a problem code and, for forms, messages by field: the scheduling forms show
// them as they are (queries.ts reads meetings).
import { and, eq, inArray, sql } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { applications, experts, meetingItems, meetingMembers, meetings, memberships, users } from '$db/schema';
import type { Db, DbOrTx, Tx } from '../../db';
import type { Principal } from '../../auth/principal';
import { emit } from '../../events';
import { audit, type AuditActor } from '../../audit';
import { managesCall } from '../../calls/access';
import type { FieldErrors } from '../../validation';
import { parse } from '../../validation';
import type { MeetingRole } from '$lib/meetings/protocol';
import { agendaSchema, type AgendaItemInput, type MeetingDetails } from './schemas';
import { establishRecusals } from '../recusals';
import { tellMeeting } from '../../notifications/tell';
import { AGENDA_STATUSES } from './queries';

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
			await tellMeeting(tx, meetingId, 'meeting_changed', { except: actor.id });
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
			const before = new Set((await tx.select({ userId: meetingMembers.userId }).from(meetingMembers).where(eq(meetingMembers.meetingId, meetingId))).map((x) => x.userId));
			await tx.delete(meetingMembers).where(eq(meetingMembers.meetingId, meetingId));
			await tellMeeting(tx, meetingId, 'meeting_scheduled', { userIds: members.map((x) => x.userId).filter((u) => !before.has(u)), except: actor.id });
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
