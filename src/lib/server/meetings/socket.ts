// The meeting room on Socket.IO: the realtime module that validates every client event,
// checks who may do it, runs it on the meeting's room and then sends every person in the room
// the room as they may see it (view.ts). A person only receives a new state when what they
// may see changed, so nothing about an item they are recused from reaches them, not even the
// fact that something happened there.
import type { Socket } from 'socket.io';
import { db } from '../db';
import { reportDatabaseError } from '../db/health';
import { logger } from '../log';
import { emit, on } from '../events';
import type { Realtime, RealtimeModule, SocketData } from '../realtime/types';
import { m } from '$lib/paraglide/messages';
import { clientEvents, type Ack, type ClientEventName, type ErrorCode, type ItemPatch, type MeetingPatch, type MeetingView, type RoundView } from '$lib/meetings/protocol';
import { MeetingRoom, RoomError, type Actor } from './room';
import { buildView, hiddenItems, itemHeader, meetingPart, membersView, mePart, roundSlots, type ItemHeader, type Viewer } from './view';
import { refreshRecusals } from './state';
import type { Principal } from '../auth/principal';

/** Events a socket may send per second on average, and in a burst. */
const RATE = 10;
const BURST = 30;
/** A client that keeps flooding after this many refusals in a row is disconnected. */
const FLOOD_LIMIT = 200;
/** An empty room stays in memory this long before it is unloaded. */
const IDLE_MS = 60_000;

interface SocketState {
	meetings: Set<string>;
	tokens: number;
	refill: number;
	refusals: number;
	/** Per meeting: what the socket has been sent, to send only what changed. */
	sent: Map<string, Sent>;
}

type Locale = 'zh-CN' | 'en';

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
type AckFn = (a: Ack<unknown> | Ack) => void;

function errorMessage(code: ErrorCode, params: Record<string, string | number>, locale: Locale): string {
	const opts = { locale };
	if (code === 'incomplete') {
		const detail = String(params.detail ?? '');
		const text = detail.startsWith('missing:')
			? m.mtg_sheet_missing({ count: detail.slice(8) }, opts)
			: detail === 'deduction'
				? m.mtg_sheet_deduction({}, opts)
				: detail === 'veto'
					? m.mtg_sheet_veto({}, opts)
					: m.mtg_sheet_bad({}, opts);
		return m.mtg_err_incomplete({ detail: text }, opts);
	}
	const key = `mtg_err_${code}` as keyof typeof m;
	const fn = m[key] as unknown as ((inputs: Record<string, unknown>, o: { locale: Locale }) => string) | undefined;
	return fn ? fn(params, opts) : m.mtg_err_server({}, opts);
}

/** The rooms of this process. A room belongs to one process (see the README's scale-out note). */
export class MeetingRooms {
	private readonly rooms = new Map<string, Promise<MeetingRoom | null>>();
	private readonly idle = new Map<string, NodeJS.Timeout>();

	constructor(private readonly io: Realtime['io']) {}

	get(meetingId: string): Promise<MeetingRoom | null> {
		let room = this.rooms.get(meetingId);
		if (!room) {
			room = MeetingRoom.load(db, meetingId);
			this.rooms.set(meetingId, room);
			// A failed load is not remembered: the next join tries again.
			room.catch(() => this.rooms.delete(meetingId));
		}
		return room;
	}

	/** The room if it is loaded already: never loads (disconnects after a shutdown must not). */
	peek(meetingId: string): Promise<MeetingRoom | null> {
		return this.rooms.get(meetingId)?.catch(() => null) ?? Promise.resolve(null);
	}

	loaded(): Promise<MeetingRoom | null>[] {
		return [...this.rooms.values()];
	}

	/** Reloads a room's state from the database (its schedule changed), keeping presence. */
	async reload(meetingId: string): Promise<void> {
		const current = await this.rooms.get(meetingId)?.catch(() => null);
		if (!current) return;
		await current.exclusive(async () => {
			const fresh = await MeetingRoom.load(db, meetingId);
			if (fresh) Object.assign(current.state, fresh.state);
		});
		this.broadcast(current);
	}

	watchIdle(room: MeetingRoom): void {
		clearTimeout(this.idle.get(room.id));
		this.idle.delete(room.id);
		if (room.connections > 0) return;
		this.idle.set(
			room.id,
			setTimeout(() => {
				this.idle.delete(room.id);
				if (room.connections === 0) this.rooms.delete(room.id);
			}, IDLE_MS).unref()
		);
	}

	/** Sends each socket in the room what changed in its view since the last it got, if anything. */
	broadcast(room: MeetingRoom): void {
		const ids = this.io.of('/').adapter.rooms.get(channel(room.id));
		if (!ids) return;
		const memo: Memo = { serverTime: new Date().toISOString(), members: new Map(), headers: new Map(), rounds: new Map() };
		for (const sid of ids) {
			const socket = this.io.of('/').sockets.get(sid);
			if (socket) sendPatch(socket, room, memo);
		}
	}

	clear(): void {
		for (const t of this.idle.values()) clearTimeout(t);
		this.idle.clear();
		this.rooms.clear();
	}
}

const channel = (meetingId: string) => `meeting:${meetingId}`;

function stateOf(socket: Socket): SocketState {
	const data = socket.data as SocketData<Principal> & { meetingsState?: SocketState };
	data.meetingsState ??= { meetings: new Set(), tokens: BURST, refill: Date.now(), refusals: 0, sent: new Map() };
	return data.meetingsState;
}

const viewerOf = (socket: Socket): Viewer => {
	const p = (socket.data as SocketData<Principal>).principal;
	return { userId: p.user.id, isAdmin: p.isAdmin };
};

const roundKey = (itemId: string, round: number) => `${itemId}:${round}`;

function layoutOf(room: MeetingRoom, hidden: Set<string>): string {
	return room.state.items.map((i) => (hidden.has(i.id) ? `${i.id}!` : i.id)).join(',');
}

/** The whole view, and the record of what the socket now has. */
function sendState(socket: Socket, room: MeetingRoom, serverTime: string): MeetingView {
	const st = stateOf(socket);
	const viewer = viewerOf(socket);
	const view = buildView(room.state, viewer, room);
	const sent: Sent = {
		seq: (st.sent.get(room.id)?.seq ?? 0) + 1,
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
			// Recorded the way sendPatch compares: the shared part, then the viewer's own sheet.
			const common = JSON.stringify({ ...r, mine: null });
			sent.rounds.set(roundKey(item.id, r.round), r.mine ? `${common}|${JSON.stringify(r.mine)}` : common);
			if (r.revealed) sent.sealed.add(roundKey(item.id, r.round));
		}
	}
	st.sent.set(room.id, sent);
	const full: MeetingView = { ...view, seq: sent.seq, serverTime };
	socket.emit('meeting:state', full);
	return full;
}

/** What changed for this socket since it was last sent anything; nothing is sent if nothing did. */
function sendPatch(socket: Socket, room: MeetingRoom, memo: Memo): void {
	const st = stateOf(socket);
	const sent = st.sent.get(room.id);
	if (!sent) return;
	const viewer = viewerOf(socket);
	const state = room.state;
	const hidden = hiddenItems(state, viewer);
	if (layoutOf(room, hidden) !== sent.layout) {
		sendState(socket, room, memo.serverTime);
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
	if (members === undefined) memo.members.set(hiddenKey, (members = JSON.stringify(membersView(state, hidden, room))));
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
			const view = itemHeader(state, item, viewer, room);
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
	socket.emit('meeting:patch', patch);
}

function takeToken(st: SocketState): boolean {
	const now = Date.now();
	st.tokens = Math.min(BURST, st.tokens + ((now - st.refill) / 1000) * RATE);
	st.refill = now;
	if (st.tokens < 1) return false;
	st.tokens -= 1;
	return true;
}

export const meetingsModule: RealtimeModule<Principal> = {
	name: 'meetings',
	attach(rt) {
		const registry = new MeetingRooms(rt.io);
		const log = logger().child({ module: 'meetings' });

		rt.io.on('connection', (socket) => {
			const data = socket.data as SocketData<Principal>;
			const locale: Locale = data.locale;
			const st = stateOf(socket);

			const refuse = (ack: AckFn, code: ErrorCode, params: Record<string, string | number> = {}, fields?: Record<string, string>) =>
				ack({ ok: false, error: code, message: errorMessage(code, params, locale), ...(fields ? { fields } : {}) });

			socket.onAny((event: string, ...args: unknown[]) => {
				if (event in clientEvents) return;
				const ack = args.at(-1);
				if (typeof ack === 'function') {
					if (takeToken(st)) refuse(ack as AckFn, 'unknownEvent');
				}
			});

			for (const name of Object.keys(clientEvents) as ClientEventName[]) {
				socket.on(name, async (...args: unknown[]) => {
					const last = args.at(-1);
					const ack: AckFn = typeof last === 'function' ? (last as AckFn) : () => {};
					if (!takeToken(st)) {
						if (++st.refusals > FLOOD_LIMIT) {
							log.warn({ userId: data.principal.user.id, event: name }, 'meeting client flooding: disconnected');
							socket.disconnect(true);
						}
						return refuse(ack, 'rateLimited');
					}
					st.refusals = 0;
					const parsed = clientEvents[name].safeParse(args[0]);
					if (!parsed.success) {
						const fields: Record<string, string> = {};
						for (const issue of parsed.error.issues) fields[issue.path.join('.') || '_'] = issue.message;
						return refuse(ack, 'invalid', {}, fields);
					}
					try {
						await handle(name, parsed.data as never, ack);
					} catch (err) {
						if (err instanceof RoomError) return refuse(ack, err.code, err.params);
						// Nothing was written (each action is one transaction, memory follows after).
						if (reportDatabaseError(err)) return refuse(ack, 'unavailable');
						log.error({ err, event: name, userId: data.principal.user.id }, 'meeting event failed');
						refuse(ack, 'server');
					}
				});
			}

			async function handle<K extends ClientEventName>(name: K, payload: { meetingId: string } & Record<string, unknown>, ack: AckFn): Promise<void> {
				const p = data.principal;
				const actor: Actor = { userId: p.user.id, name: p.user.name, isAdmin: p.isAdmin, ip: socket.handshake.address };
				const room = await registry.get(payload.meetingId);
				if (!room) throw new RoomError('notFound');
				const member = room.state.members.has(p.user.id);

				if (name === 'meeting:join') {
					if (!member && !p.isAdmin) throw new RoomError('notFound');
					await socket.join(channel(room.id));
					st.meetings.add(room.id);
					room.join(p.user.id, socket.id, member ? undefined : { name: p.user.name, color: p.user.color });
					registry.watchIdle(room);
					await room.recordAttendance(p.user.id).catch((err) => log.warn({ err }, 'attendance not recorded'));
					// This socket gets its state in the reply (and as an event); the others get theirs by broadcast.
					const full = sendState(socket, room, new Date().toISOString());
					ack({ ok: true, data: full });
					registry.broadcast(room);
					return;
				}
				if (!room.hasTab(p.user.id, socket.id)) throw new RoomError(member || p.isAdmin ? 'notMember' : 'notFound');

				switch (name) {
					case 'meeting:leave':
						room.part(p.user.id, socket.id, false);
						st.meetings.delete(room.id);
						st.sent.delete(room.id);
						await socket.leave(channel(room.id));
						registry.watchIdle(room);
						break;
					case 'meeting:view':
						room.setTab(p.user.id, socket.id, { viewing: (payload.itemId as string | null) ?? null });
						break;
					case 'meeting:away':
						room.setTab(p.user.id, socket.id, { away: payload.away as boolean });
						break;
					default: {
						const before = recusalSignature(room);
						await room.exclusive(() => act(room, actor, name, payload));
						if (recusalSignature(room) !== before) emit('rights.changed', { userIds: [...room.state.members.keys()] });
					}
				}
				ack({ ok: true });
				registry.broadcast(room);
			}

			socket.on('disconnect', () => {
				for (const meetingId of st.meetings) {
					void registry.peek(meetingId).then((room) => {
						if (!room) return;
						if (room.part(data.principal.user.id, socket.id, true)) registry.broadcast(room);
						registry.watchIdle(room);
					});
				}
			});
		});

		const offMeeting = on('meeting.changed', ({ meetingId }) => {
			void registry.reload(meetingId).catch((err) => log.error({ err, meetingId }, 'meeting reload failed'));
		});
		const offConflicts = on('conflicts.changed', () => {
			for (const pending of registry.loaded()) {
				void pending.then(async (room) => {
					if (!room) return;
					const before = recusalSignature(room);
					await room.exclusive(() => refreshRecusals(db(), room.state));
					if (recusalSignature(room) !== before) {
						emit('rights.changed', { userIds: [...room.state.members.keys()] });
						registry.broadcast(room);
					}
				}).catch((err) => log.error({ err }, 'recusal refresh failed'));
			}
		});

		return () => {
			offMeeting();
			offConflicts();
			registry.clear();
		};
	}
};

function recusalSignature(room: MeetingRoom): string {
	return room.state.items.map((i) => `${i.id}:${[...i.recused.keys()].sort().join(',')}`).join(';');
}

async function act(room: MeetingRoom, actor: Actor, name: ClientEventName, payload: Record<string, unknown>): Promise<void> {
	const itemId = payload.itemId as string;
	switch (name) {
		case 'meeting:start':
			return room.start(actor);
		case 'meeting:goto':
			return room.goto(actor, itemId);
		case 'meeting:close':
			return room.close(actor);
		case 'score:submit':
			await room.submitScores(actor, payload as never);
			return;
		case 'round:reveal':
			return room.reveal(actor, itemId);
		case 'round:new':
			return room.newRound(actor, itemId);
		case 'ballot:open':
			return room.openBallot(actor, itemId);
		case 'ballot:vote':
			return room.vote(actor, payload as never);
		case 'ballot:close':
			return room.closeBallot(actor, itemId, payload.ballotId as string);
		case 'sheet:sign':
			return room.signSheet(actor, itemId);
		case 'summary:set':
			return room.setSummary(actor, itemId, payload.summary as string);
		case 'summary:confirm':
			return room.confirmSummary(actor, itemId, payload.dissent as string);
		case 'decision:lock':
			return room.lockDecision(actor, payload as never);
		case 'decision:reopen':
			return room.reopenDecision(actor, itemId, payload.reason as string);
		default:
			throw new RoomError('unknownEvent');
	}
}
