// The checks every action starts with: who the actor is in the meeting, that the meeting is
// open, which item, that the actor is not recused from it, quorum. Each throws a RoomError.
import type { AuditActor } from '../../audit';
import type { ItemState } from '../state';
import { quorumOf } from '../view';
import type { Actor, RoomContext } from './context';
import { RoomError } from './errors';

export function roleOf(room: RoomContext, actor: Actor) {
	return room.state.members.get(actor.userId)?.role ?? null;
}

export function requireChair(room: RoomContext, actor: Actor): void {
	if (roleOf(room, actor) !== 'chair') throw new RoomError('forbidden');
}

export function requireOpen(room: RoomContext): void {
	if (room.state.meeting.status === 'closed') throw new RoomError('closed');
	if (room.state.meeting.status !== 'open') throw new RoomError('notOpen');
}

export function itemOf(room: RoomContext, itemId: string): ItemState {
	const item = room.state.items.find((i) => i.id === itemId);
	if (!item) throw new RoomError('notFound');
	return item;
}

/** The item, which must be the current one, and which the actor must not be recused from. */
export function currentItem(room: RoomContext, actor: Actor, itemId: string): ItemState {
	requireOpen(room);
	const item = itemOf(room, itemId);
	if (item.recused.has(actor.userId)) throw new RoomError('recused');
	if (room.state.meeting.currentItemId !== item.id) throw new RoomError('notCurrent');
	return item;
}

export function requireQuorum(room: RoomContext, item: ItemState): void {
	const q = quorumOf(room.state, item, room.live);
	if (!q.met) throw new RoomError({ code: 'noQuorum', present: q.present, required: q.required });
}

export function auditActor(actor: Actor): AuditActor {
	return { id: actor.userId, name: actor.name, ip: actor.ip ?? null };
}
