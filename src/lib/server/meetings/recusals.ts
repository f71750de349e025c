// Recusal (回避) in a meeting is a fact once established. Whoever a conflict made recused from
// an agenda item (at scheduling, at the start, as the room reaches the item, or declared during
// the meeting) has a row in meeting_recusals, and stays recused for that meeting whatever then
// happens to the conflict: an institution changed, a declaration withdrawn, the agenda
// rebuilt, the server restarted. Only the secretary or an admin lifts a recusal, with a written
// reason, and only once no conflict holds now (an institution the member left after the meeting
// was scheduled counts there until such a lift). Every channel asks here: the room's state, the
// meeting pages, and the notes and minutes documents.
import { and, eq, inArray, isNotNull, isNull, ne, sql } from 'drizzle-orm';
import { experts, meetingItems, meetingMembers, meetingRecusals, meetings, users } from '$db/schema';
import type { DbOrTx } from '../db';
import { audit, type AuditActor } from '../audit';
import { findConflicts, type Conflict } from '../conflicts';
import type { Principal } from '../auth/principal';
import type { MeetingAccess } from './access';

export interface Recusal {
	applicationId: string;
	userId: string;
	source: string;
	reason: string;
}

/**
 * Live conflicts of the meeting's members (or the given users) with its agenda. With `former`,
 * also through an institution a member left after the meeting was scheduled (it still counts
 * there), except where the secretary or an admin has lifted that recusal.
 */
async function liveRecusals(db: DbOrTx, meetingId: string, scope: { userIds?: string[]; applicationIds?: string[] }, former = true): Promise<Recusal[]> {
	const [meeting] = await db.select({ createdAt: meetings.createdAt }).from(meetings).where(eq(meetings.id, meetingId));
	if (!meeting) return [];
	const pool = await db
		.select({ expertId: experts.id, userId: meetingMembers.userId })
		.from(meetingMembers)
		.innerJoin(experts, eq(experts.userId, meetingMembers.userId))
		.where(and(eq(meetingMembers.meetingId, meetingId), scope.userIds ? inArray(meetingMembers.userId, scope.userIds) : undefined));
	const items = await db
		.select({ applicationId: meetingItems.applicationId })
		.from(meetingItems)
		.where(and(eq(meetingItems.meetingId, meetingId), scope.applicationIds ? inArray(meetingItems.applicationId, scope.applicationIds) : undefined));
	if (pool.length === 0 || items.length === 0) return [];
	const userOf = new Map(pool.map((p) => [p.expertId, p.userId]));
	const query = { applicationIds: items.map((i) => i.applicationId), expertIds: [...userOf.keys()] };
	const toRecusal = (c: Conflict): Recusal => ({ applicationId: c.applicationId, userId: userOf.get(c.expertId)!, source: c.kind, reason: c.reason });
	const current = (await findConflicts(db, query)).map(toRecusal);
	if (!former) return current;
	const key = (r: { applicationId: string; userId: string }) => `${r.applicationId}:${r.userId}`;
	const have = new Set(current.map(key));
	const formerOnly = (await findConflicts(db, { ...query, formerSince: meeting.createdAt })).map(toRecusal).filter((r) => !have.has(key(r)));
	if (formerOnly.length === 0) return current;
	const lifted = new Set(
		(
			await db
				.select({ applicationId: meetingRecusals.applicationId, userId: meetingRecusals.userId })
				.from(meetingRecusals)
				.where(and(eq(meetingRecusals.meetingId, meetingId), isNotNull(meetingRecusals.liftedAt)))
		).map(key)
	);
	return [...current, ...formerOnly.filter((r) => !lifted.has(key(r)))];
}

async function establishedRows(db: DbOrTx, meetingId: string, scope: { userIds?: string[]; applicationIds?: string[] }): Promise<Recusal[]> {
	return db
		.select({ applicationId: meetingRecusals.applicationId, userId: meetingRecusals.userId, source: meetingRecusals.source, reason: meetingRecusals.reason })
		.from(meetingRecusals)
		.where(
			and(
				eq(meetingRecusals.meetingId, meetingId),
				isNull(meetingRecusals.liftedAt),
				scope.userIds ? inArray(meetingRecusals.userId, scope.userIds) : undefined,
				scope.applicationIds ? inArray(meetingRecusals.applicationId, scope.applicationIds) : undefined
			)
		);
}

/**
 * Who is recused from what in the meeting: the established recusals and every live conflict,
 * as application id → user id → reason. Reading establishes nothing (see establishRecusals).
 */
export async function recusalsOf(db: DbOrTx, meetingId: string, scope: { userIds?: string[]; applicationIds?: string[] } = {}): Promise<Map<string, Map<string, string>>> {
	if (scope.userIds?.length === 0 || scope.applicationIds?.length === 0) return new Map();
	const out = new Map<string, Map<string, string>>();
	const add = (r: Recusal) => {
		const per = out.get(r.applicationId) ?? new Map<string, string>();
		if (!per.has(r.userId)) per.set(r.userId, r.reason);
		out.set(r.applicationId, per);
	};
	for (const r of await establishedRows(db, meetingId, scope)) add(r);
	for (const r of await liveRecusals(db, meetingId, scope)) add(r);
	return out;
}

/** Whether the user is recused from any of these applications (or any item) of the meeting. */
export async function isRecused(db: DbOrTx, meetingId: string, userId: string, applicationIds?: string[]): Promise<boolean> {
	return (await recusalsOf(db, meetingId, { userIds: [userId], applicationIds })).size > 0;
}

/**
 * Records a recusal for every live conflict of the meeting not yet established. Meetings that
 * are closed are left as they are. Returns how many were established.
 */
export async function establishRecusals(db: DbOrTx, meetingId: string, scope: { userIds?: string[] } = {}): Promise<number> {
	const [meeting] = await db.select({ status: meetings.status }).from(meetings).where(eq(meetings.id, meetingId));
	if (!meeting || meeting.status === 'closed') return 0;
	const live = await liveRecusals(db, meetingId, scope);
	if (live.length === 0) return 0;
	const have = new Set((await establishedRows(db, meetingId, scope)).map((r) => `${r.applicationId}:${r.userId}`));
	const fresh = new Map<string, Recusal>();
	for (const r of live) {
		const key = `${r.applicationId}:${r.userId}`;
		if (!have.has(key) && !fresh.has(key)) fresh.set(key, r);
	}
	if (fresh.size === 0) return 0;
	// A concurrent establishment of the same recusal is not an error: one row stays in force.
	const rows = await db
		.insert(meetingRecusals)
		.values([...fresh.values()].map((r) => ({ meetingId, ...r })))
		.onConflictDoNothing()
		.returning({ id: meetingRecusals.id });
	return rows.length;
}

/**
 * Establishes an expert's recusals in every meeting not yet closed they belong to, before
 * something that could end a conflict (an institution change approved, a declaration
 * withdrawn): what made them recused there stays in force.
 */
export async function establishRecusalsOfExpert(db: DbOrTx, expertId: string): Promise<void> {
	const [expert] = await db.select({ userId: experts.userId }).from(experts).where(eq(experts.id, expertId));
	if (!expert?.userId) return;
	const rows = await db
		.select({ meetingId: meetingMembers.meetingId })
		.from(meetingMembers)
		.innerJoin(meetings, eq(meetings.id, meetingMembers.meetingId))
		.where(and(eq(meetingMembers.userId, expert.userId), ne(meetings.status, 'closed')));
	for (const r of rows) await establishRecusals(db, r.meetingId, { userIds: [expert.userId] });
}

export interface RecusalRow {
	id: string;
	applicationId: string;
	number: string | null;
	title: string | null;
	position: number | null;
	userId: string;
	name: string;
	source: string;
	reason: string;
	establishedAt: Date;
	liftedAt: Date | null;
	liftedByName: string | null;
	liftReason: string | null;
	/** A conflict still holds: lifting would not change anything. */
	stillConflicted: boolean;
}

/** The meeting's recusals, lifted ones included, for the secretary's and admins' page. */
export async function listRecusals(db: DbOrTx, meetingId: string): Promise<RecusalRow[]> {
	const lifter = sql<string | null>`(SELECT u.name FROM ${users} u WHERE u.id = ${meetingRecusals.liftedBy})`;
	const rows = await db
		.select({
			id: meetingRecusals.id,
			applicationId: meetingRecusals.applicationId,
			number: sql<string | null>`(SELECT a.number FROM applications a WHERE a.id = ${meetingRecusals.applicationId})`,
			title: sql<string | null>`(SELECT a.title FROM applications a WHERE a.id = ${meetingRecusals.applicationId})`,
			position: meetingItems.position,
			userId: meetingRecusals.userId,
			name: users.name,
			source: meetingRecusals.source,
			reason: meetingRecusals.reason,
			establishedAt: meetingRecusals.establishedAt,
			liftedAt: meetingRecusals.liftedAt,
			liftedByName: lifter,
			liftReason: meetingRecusals.liftReason
		})
		.from(meetingRecusals)
		.innerJoin(users, eq(users.id, meetingRecusals.userId))
		.leftJoin(meetingItems, and(eq(meetingItems.meetingId, meetingRecusals.meetingId), eq(meetingItems.applicationId, meetingRecusals.applicationId)))
		.where(eq(meetingRecusals.meetingId, meetingId))
		.orderBy(sql`${meetingItems.position} NULLS LAST`, users.name, meetingRecusals.establishedAt);
	const live = new Set((await liveRecusals(db, meetingId, {}, false)).map((r) => `${r.applicationId}:${r.userId}`));
	return rows.map((r) => ({ ...r, stillConflicted: live.has(`${r.applicationId}:${r.userId}`) }));
}

export type LiftResult = 'ok' | 'notFound' | 'stillConflicted' | 'closed';

/**
 * The secretary's or an admin's lifting of a recusal, with the reason (checked by the caller).
 * A recusal whose conflict still holds is not lifted: the room would recuse again at once.
 */
export async function liftRecusal(db: DbOrTx, actor: AuditActor, input: { meetingId: string; recusalId: string; reason: string }): Promise<LiftResult> {
	const [row] = await db
		.select({ id: meetingRecusals.id, applicationId: meetingRecusals.applicationId, userId: meetingRecusals.userId, status: meetings.status })
		.from(meetingRecusals)
		.innerJoin(meetings, eq(meetings.id, meetingRecusals.meetingId))
		.where(and(eq(meetingRecusals.id, input.recusalId), eq(meetingRecusals.meetingId, input.meetingId), isNull(meetingRecusals.liftedAt)));
	if (!row) return 'notFound';
	if (row.status === 'closed') return 'closed';
	// Only a conflict that holds now prevents it; an institution left since is the lift's to override.
	const live = await liveRecusals(db, input.meetingId, { userIds: [row.userId], applicationIds: [row.applicationId] }, false);
	if (live.length) return 'stillConflicted';
	const done = await db
		.update(meetingRecusals)
		.set({ liftedAt: sql`now()`, liftedBy: actor.id ?? null, liftReason: input.reason })
		.where(and(eq(meetingRecusals.id, row.id), isNull(meetingRecusals.liftedAt)))
		.returning({ id: meetingRecusals.id });
	if (done.length === 0) return 'notFound';
	await audit(db, actor, 'meeting.recusal_lifted', { type: 'meeting', id: input.meetingId }, { recusalId: row.id, applicationId: row.applicationId, userId: row.userId, reason: input.reason });
	return 'ok';
}

/** Organizers and the secretary see who is recused from what. */
export function maySeeRecusals(p: Principal, access: MeetingAccess): boolean {
	return p.isAdmin || access.organizer || access.role === 'secretary';
}

/** Only the secretary and admins lift a recusal. */
export function mayLiftRecusals(p: Principal, access: MeetingAccess): boolean {
	return p.isAdmin || access.role === 'secretary';
}
