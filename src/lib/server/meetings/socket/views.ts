// The diff engine: what each person in a room was sent, and what to send them next. A socket
// gets the whole view once (on joining, or when the agenda's shape changed for it), then only
// the parts of its view that changed; nothing at all when nothing it may see changed, so
// nothing about an item a person is recused from reaches them, not even that something
// happened there. The views themselves are built in view.ts.
import type { Socket } from 'socket.io';
import type { ItemPatch, MeetingPatch, MeetingView, RoundView, ServerEvents } from '$lib/meetings/protocol';
import type { MeetingRoom } from '../room';
import { buildView, hiddenItems, itemHeader, meetingPart, membersView, mePart, roundSlots, type ItemHeader, type Viewer } from '../view';

/** The JSON of every part a socket has, by part. */
interface Sent {
	seq: number;
	meeting: string;
	me: string;
	members: string;
	/** The agenda's shape: item ids in order, recused ones marked. */
	layout: string;
	headers: Map<string, string>;
	rounds: Map<string, string>;
	/** Revealed rounds the socket has: they never change again, so they are not rebuilt. */
	sealed: Set<string>;
}

/** Parts shared by every socket in one broadcast. */
interface Memo {
	serverTime: string;
	meeting?: string;
	members: Map<string, string>;
	/** Item headers by item and the viewer's ballot participation (their only personal part). */
	headers: Map<string, { view: ItemHeader; json: string }>;
	/** Rounds without the viewer's own sheet, by round. */
	rounds: Map<string, { view: RoundView; json: string }>;
}

/** One receiving socket: who is looking, and where their events go. */
export interface Recipient {
	socket: Socket;
	viewer: Viewer;
}

/** Sends a server event with the protocol's types (the shared io server is untyped). */
export function emitTo<K extends keyof ServerEvents>(socket: Socket, event: K, ...args: Parameters<ServerEvents[K]>): void {
	socket.emit(event, ...args);
}

const roundKey = (itemId: string, round: number) => `${itemId}:${round}`;

function layoutOf(room: MeetingRoom, hidden: Set<string>): string {
	return room.state.items.map((i) => (hidden.has(i.id) ? `${i.id}!` : i.id)).join(',');
}

export class SentViews {
	/** socket id → meeting id → what the socket has. */
	private readonly sent = new Map<string, Map<string, Sent>>();

	/** The socket leaves the meeting (or all meetings): what it had is forgotten. */
	forget(socketId: string, meetingId?: string): void {
		if (meetingId === undefined) this.sent.delete(socketId);
		else this.sent.get(socketId)?.delete(meetingId);
	}

	/** Sends the whole view, and records what the socket now has. */
	sendState({ socket, viewer }: Recipient, room: MeetingRoom, serverTime: string): MeetingView {
		const bySocket = this.sent.get(socket.id) ?? new Map<string, Sent>();
		this.sent.set(socket.id, bySocket);
		const view = buildView(room.state, viewer, room.live);
		const sent: Sent = {
			seq: (bySocket.get(room.id)?.seq ?? 0) + 1,
			meeting: JSON.stringify(view.meeting),
			me: JSON.stringify(view.me),
			members: JSON.stringify(view.members),
			layout: layoutOf(room, hiddenItems(room.state, viewer)),
			headers: new Map(),
			rounds: new Map(),
			sealed: new Set()
		};
		for (const item of view.items) {
			if (item.recused) continue;
			const { rounds, ...header } = item;
			sent.headers.set(item.id, JSON.stringify(header));
			for (const r of rounds) {
				// Recorded the way patch() compares: the shared part, then the viewer's own sheet.
				const common = JSON.stringify({ ...r, mine: null });
				sent.rounds.set(roundKey(item.id, r.round), r.mine ? `${common}|${JSON.stringify(r.mine)}` : common);
				if (r.revealed) sent.sealed.add(roundKey(item.id, r.round));
			}
		}
		bySocket.set(room.id, sent);
		const full: MeetingView = { ...view, seq: sent.seq, serverTime };
		emitTo(socket, 'meeting:state', full);
		return full;
	}

	/** Sends each recipient what changed in its view since the last it got, if anything. */
	broadcast(room: MeetingRoom, recipients: Iterable<Recipient>): void {
		const memo: Memo = { serverTime: new Date().toISOString(), members: new Map(), headers: new Map(), rounds: new Map() };
		for (const r of recipients) this.patch(r, room, memo);
	}

	/** What changed for this socket since it was last sent anything; nothing is sent if nothing did. */
	private patch(recipient: Recipient, room: MeetingRoom, memo: Memo): void {
		const { socket, viewer } = recipient;
		const sent = this.sent.get(socket.id)?.get(room.id);
		if (!sent) return;
		const state = room.state;
		const hidden = hiddenItems(state, viewer);
		if (layoutOf(room, hidden) !== sent.layout) {
			this.sendState(recipient, room, memo.serverTime);
			return;
		}
		const patch: MeetingPatch = { seq: sent.seq + 1, serverTime: memo.serverTime };
		let changed = false;
		memo.meeting ??= JSON.stringify(meetingPart(state));
		if (memo.meeting !== sent.meeting) {
			patch.meeting = JSON.parse(memo.meeting);
			sent.meeting = memo.meeting;
			changed = true;
		}
		const me = JSON.stringify(mePart(state, viewer));
		if (me !== sent.me) {
			patch.me = JSON.parse(me);
			sent.me = me;
			changed = true;
		}
		const hiddenKey = [...hidden].join(',');
		let members = memo.members.get(hiddenKey);
		if (members === undefined) memo.members.set(hiddenKey, (members = JSON.stringify(membersView(state, hidden, room.live))));
		if (members !== sent.members) {
			patch.members = JSON.parse(members);
			sent.members = members;
			changed = true;
		}
		const items: ItemPatch[] = [];
		for (const item of state.items) {
			if (hidden.has(item.id)) continue;
			const slots = roundSlots(state, item, viewer);
			const ip: ItemPatch = { id: item.id, roundCount: slots.length };
			let itemChanged = false;
			const headerKey = `${item.id}:${item.ballots.map((b) => (b.voters.has(viewer.userId) ? 1 : 0)).join('')}`;
			let header = memo.headers.get(headerKey);
			if (!header) {
				const view = itemHeader(state, item, viewer, room.live);
				memo.headers.set(headerKey, (header = { view, json: JSON.stringify(view) }));
			}
			if (header.json !== sent.headers.get(item.id)) {
				ip.header = header.view;
				sent.headers.set(item.id, header.json);
				itemChanged = true;
			}
			for (const slot of slots) {
				const key = roundKey(item.id, slot.round);
				if (sent.sealed.has(key)) continue;
				// What everyone sees of the round (statistics included) is built once per change;
				// then the viewer's own sheet.
				let common = memo.rounds.get(key);
				if (!common) {
					const v = { ...slot.build(), mine: null };
					memo.rounds.set(key, (common = { view: v, json: JSON.stringify(v) }));
				}
				const mine = slot.mine();
				const view: RoundView = mine ? { ...common.view, mine } : common.view;
				const json = mine ? `${common.json}|${JSON.stringify(mine)}` : common.json;
				if (json !== sent.rounds.get(key)) {
					(ip.rounds ??= []).push(view);
					sent.rounds.set(key, json);
					itemChanged = true;
				}
				if (view.revealed) sent.sealed.add(key);
			}
			if (itemChanged) items.push(ip);
		}
		if (items.length) {
			patch.items = items;
			changed = true;
		}
		if (!changed) return;
		sent.seq = patch.seq;
		emitTo(socket, 'meeting:patch', patch);
	}
}
