// What each client event does, typed from the protocol: the handler of `K` receives the event
// as its schema parsed it (ClientPayload<K>) and answers with AckOf<K>. The checks common to
// all (rate, schema, room, membership) run before, in dispatch (index.ts); a refusal is thrown
// as a RoomError and answered there.
import type { Socket } from 'socket.io';
import type { Principal } from '../../auth/principal';
import { emit } from '../../events';
import type { AckOf, ClientEventName, ClientPayload } from '$lib/meetings/protocol';
import type { Actor, MeetingRoom } from '../room';
import type { MeetingRooms } from './registry';
import type { SentViews } from './views';

/** Everything a handler works with: the socket, who sent the event, and the event's room. */
export interface EventContext {
	socket: Socket;
	principal: Principal;
	actor: Actor;
	room: MeetingRoom;
	/** The sender is a member of the meeting (not an admin watching). */
	member: boolean;
	rooms: MeetingRooms;
	views: SentViews;
	/** The meetings this socket joined. */
	joined: Set<string>;
	/** Attendance could not be recorded (the join goes on). */
	warn(err: unknown): void;
}

export type Handlers = { [K in ClientEventName]: (c: EventContext, payload: ClientPayload<K>) => Promise<AckOf<K>> };

export const channel = (meetingId: string) => `meeting:${meetingId}`;

const OK = { ok: true } as const;

/** Who is recused from what, as one string: a change sends everyone's rights again. */
export function recusalSignature(room: MeetingRoom): string {
	return room.state.items.map((i) => `${i.id}:${[...i.recused.keys()].sort().join(',')}`).join(';');
}

/** An action on the room: one at a time per meeting; a recusal it changed changes rights. */
async function action(c: EventContext, run: () => Promise<unknown>): Promise<typeof OK> {
	const before = recusalSignature(c.room);
	await c.room.exclusive(run);
	if (recusalSignature(c.room) !== before) emit('rights.changed', { userIds: [...c.room.state.members.keys()] });
	return OK;
}

export const handlers: Handlers = {
	async 'meeting:join'(c) {
		const { socket, room, principal: p } = c;
		await socket.join(channel(room.id));
		c.joined.add(room.id);
		room.live.join(p.user.id, socket.id, c.member ? undefined : { name: p.user.name, color: p.user.color });
		c.rooms.watchIdle(room);
		await room.recordAttendance(p.user.id).catch(c.warn);
		// This socket gets its state in the reply (and as an event); the others get theirs by broadcast.
		const full = c.views.sendState({ socket, viewer: { userId: p.user.id, isAdmin: p.isAdmin } }, room, new Date().toISOString());
		return { ok: true, data: full };
	},
	async 'meeting:leave'(c) {
		c.room.live.part(c.principal.user.id, c.socket.id, false);
		c.joined.delete(c.room.id);
		c.views.forget(c.socket.id, c.room.id);
		await c.socket.leave(channel(c.room.id));
		c.rooms.watchIdle(c.room);
		return OK;
	},
	async 'meeting:view'(c, p) {
		c.room.live.setTab(c.principal.user.id, c.socket.id, { viewing: p.itemId });
		return OK;
	},
	async 'meeting:away'(c, p) {
		c.room.live.setTab(c.principal.user.id, c.socket.id, { away: p.away });
		return OK;
	},
	'meeting:start': (c) => action(c, () => c.room.start(c.actor)),
	'meeting:goto': (c, p) => action(c, () => c.room.goto(c.actor, p.itemId)),
	'meeting:close': (c) => action(c, () => c.room.close(c.actor)),
	'score:submit': (c, p) => action(c, () => c.room.submitScores(c.actor, p)),
	'round:reveal': (c, p) => action(c, () => c.room.reveal(c.actor, p.itemId)),
	'round:new': (c, p) => action(c, () => c.room.newRound(c.actor, p.itemId)),
	'ballot:open': (c, p) => action(c, () => c.room.openBallot(c.actor, p.itemId)),
	'ballot:vote': (c, p) => action(c, () => c.room.vote(c.actor, p)),
	'ballot:close': (c, p) => action(c, () => c.room.closeBallot(c.actor, p.itemId, p.ballotId)),
	'sheet:sign': (c, p) => action(c, () => c.room.signSheet(c.actor, p.itemId)),
	'summary:set': (c, p) => action(c, () => c.room.setSummary(c.actor, p.itemId, p.summary)),
	'summary:confirm': (c, p) => action(c, () => c.room.confirmSummary(c.actor, p.itemId, p.dissent)),
	'decision:lock': (c, p) => action(c, () => c.room.lockDecision(c.actor, p)),
	'decision:reopen': (c, p) => action(c, () => c.room.reopenDecision(c.actor, p.itemId, p.reason))
};
