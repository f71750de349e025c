// The meeting's course: the chair opens the room (notes documents created, round 1 of the first
// item opened), moves from item to item, and closes it (the minutes drafted). Attendance is
// recorded for the minutes.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { meetingAttendance, meetingItems, meetingRounds, meetings } from '$db/schema';
import { audit } from '../../audit';
import { loadRoomState, refreshRecusals, type ItemState } from '../state';
import { createNotes, draftMinutes } from '../documents';
import type { Actor, RoomContext, RoomTx } from './context';
import { RoomError } from './errors';
import { auditActor, itemOf, requireChair, requireOpen } from './guards';

/** Records that a member attended (for the minutes); once per member, refreshed on rejoin. */
export async function recordAttendance(room: RoomContext, userId: string): Promise<void> {
	if (room.state.meeting.status !== 'open' || !room.state.members.has(userId)) return;
	await room
		.db()
		.insert(meetingAttendance)
		.values({ meetingId: room.id, userId })
		.onConflictDoUpdate({ target: [meetingAttendance.meetingId, meetingAttendance.userId], set: { lastSeenAt: sql`now()` } });
}

export async function start(room: RoomContext, actor: Actor): Promise<void> {
	requireChair(room, actor);
	const { state } = room;
	if (state.meeting.status === 'closed') throw new RoomError('closed');
	if (state.meeting.status === 'open') throw new RoomError('alreadyStarted');
	// The schedule may have changed a moment ago: start from what the database holds.
	const fresh = await loadRoomState(room.db(), room.id);
	if (!fresh) throw new RoomError('notFound');
	Object.assign(state, fresh);
	const first = state.items[0];
	if (!first) throw new RoomError('emptyAgenda');
	const now = new Date();
	const notes = await room.db().transaction(async (tx) => {
		const changed = await tx
			.update(meetings)
			.set({ status: 'open', startedAt: now, currentItemId: first.id, updatedAt: now })
			.where(and(eq(meetings.id, room.id), eq(meetings.status, 'scheduled')))
			.returning({ id: meetings.id });
		if (changed.length === 0) throw new RoomError('alreadyStarted');
		const notes = await createNotes(tx, state, actor.userId);
		await beginItem(tx, first, now);
		await audit(tx, auditActor(actor), 'meeting.started', { type: 'meeting', id: room.id }, { title: state.meeting.title });
		return notes;
	});
	for (const item of state.items) item.notesDocumentId = notes.get(item.id) ?? item.notesDocumentId;
	Object.assign(state.meeting, { status: 'open', startedAt: now, currentItemId: first.id });
	markBegun(first, now);
	for (const userId of room.live.users()) await recordAttendance(room, userId);
}

/** The first time the room comes to an item: its time box starts and round 1 opens. */
async function beginItem(tx: RoomTx, item: ItemState, now: Date): Promise<void> {
	if (item.startedAt) return;
	await tx.update(meetingItems).set({ startedAt: now }).where(and(eq(meetingItems.id, item.id), isNull(meetingItems.startedAt)));
	await tx.insert(meetingRounds).values({ itemId: item.id, round: item.round, openedAt: now }).onConflictDoNothing();
}

function markBegun(item: ItemState, now: Date): void {
	if (item.startedAt) return;
	item.startedAt = now;
	if (!item.rounds.has(item.round)) item.rounds.set(item.round, { round: item.round, openedAt: now, revealedAt: null, revealedBy: null, sheets: new Map() });
}

export async function goto(room: RoomContext, actor: Actor, itemId: string): Promise<void> {
	requireChair(room, actor);
	requireOpen(room);
	const item = itemOf(room, itemId);
	if (room.state.meeting.currentItemId === item.id) return;
	const now = new Date();
	await room.db().transaction(async (tx) => {
		await tx.update(meetings).set({ currentItemId: item.id, updatedAt: now }).where(eq(meetings.id, room.id));
		await beginItem(tx, item, now);
	});
	room.state.meeting.currentItemId = item.id;
	markBegun(item, now);
	// Conflicts declared since the room loaded take effect as the room reaches the item.
	await refreshRecusals(room.db(), room.state);
}

export async function close(room: RoomContext, actor: Actor): Promise<void> {
	requireChair(room, actor);
	requireOpen(room);
	const now = new Date();
	const minutesId = await room.db().transaction(async (tx) => {
		const changed = await tx
			.update(meetings)
			.set({ status: 'closed', closedAt: now, currentItemId: null, updatedAt: now })
			.where(and(eq(meetings.id, room.id), eq(meetings.status, 'open')))
			.returning({ id: meetings.id });
		if (changed.length === 0) throw new RoomError('notOpen');
		const id = await draftMinutes(tx, room.state, actor.userId, now);
		await tx.update(meetings).set({ minutesDocumentId: id }).where(eq(meetings.id, room.id));
		await audit(tx, auditActor(actor), 'meeting.closed', { type: 'meeting', id: room.id }, { minutesDocumentId: id });
		return id;
	});
	Object.assign(room.state.meeting, { status: 'closed', closedAt: now, currentItemId: null, minutesDocumentId: minutesId });
}
