// The meeting room on Socket.IO: the realtime module that validates every client event,
// checks who may do it, runs it on the meeting's room and then sends every person in the room
// the room as they may see it (view.ts). A person only receives a new state when what they
// may see changed, so nothing about an item they are recused from reaches them, not even the
// fact that something happened there.
import type { Socket } from 'socket.io';
import { db } from '../db';
import { logger } from '../log';
import { emit, on } from '../events';
import { slot } from '../runtime';
import type { Realtime, RealtimeModule, SocketData } from '../realtime/types';
import { m } from '$lib/paraglide/messages';
import { clientEvents, type Ack, type ClientEventName, type ErrorCode, type MeetingView } from '$lib/meetings/protocol';
import { MeetingRoom, RoomError, type Actor } from './room';
import { buildView } from './view';
import { refreshRecusals } from './state';
import { registerMeetingDocuments } from './documents';

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
	/** Per meeting: the last state sent (to skip unchanged ones) and its sequence number. */
	sent: Map<string, { json: string; seq: number }>;
}

type Locale = 'zh-CN' | 'en';
type AckFn = (a: Ack<unknown> | Ack) => void;

function errorMessage(code: RoomError['code'], params: Record<string, string | number>, locale: Locale): string {
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

	/** Sends each socket in the room its view, when it changed since the last one it got. */
	broadcast(room: MeetingRoom): void {
		const ids = this.io.of('/').adapter.rooms.get(channel(room.id));
		if (!ids) return;
		const byUser = new Map<string, ReturnType<typeof buildView>>();
		const now = new Date().toISOString();
		for (const sid of ids) {
			const socket = this.io.of('/').sockets.get(sid);
			if (!socket) continue;
			const data = socket.data as SocketData & { meetingsState?: SocketState };
			const p = data.principal;
			let view = byUser.get(p.user.id);
			if (!view) byUser.set(p.user.id, (view = buildView(room.state, { userId: p.user.id, isAdmin: p.isAdmin }, room)));
			send(socket, room.id, view, now);
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
	const data = socket.data as SocketData & { meetingsState?: SocketState };
	data.meetingsState ??= { meetings: new Set(), tokens: BURST, refill: Date.now(), refusals: 0, sent: new Map() };
	return data.meetingsState;
}

function send(socket: Socket, meetingId: string, view: ReturnType<typeof buildView>, serverTime: string, force = false): MeetingView | null {
	const st = stateOf(socket);
	const json = JSON.stringify(view);
	const last = st.sent.get(meetingId);
	if (!force && last?.json === json) return null;
	const seq = (last?.seq ?? 0) + 1;
	st.sent.set(meetingId, { json, seq });
	const full: MeetingView = { ...view, seq, serverTime };
	socket.emit('meeting:state', full);
	return full;
}

function takeToken(st: SocketState): boolean {
	const now = Date.now();
	st.tokens = Math.min(BURST, st.tokens + ((now - st.refill) / 1000) * RATE);
	st.refill = now;
	if (st.tokens < 1) return false;
	st.tokens -= 1;
	return true;
}

const rooms = slot<MeetingRooms>('meetings.rooms');

/** The live rooms of this process (for tests and benchmarks). */
export function meetingRooms(): MeetingRooms | undefined {
	return rooms.get();
}

export const meetingsModule: RealtimeModule = {
	name: 'meetings',
	attach(rt) {
		const unregister = registerMeetingDocuments();
		const registry = new MeetingRooms(rt.io);
		rooms.set(registry);
		const log = logger().child({ module: 'meetings' });

		rt.io.on('connection', (socket) => {
			const data = socket.data as SocketData;
			const locale: Locale = data.locale;
			const st = stateOf(socket);

			const refuse = (ack: AckFn, code: RoomError['code'], params: Record<string, string | number> = {}, fields?: Record<string, string>) =>
				ack({ ok: false, error: code as ErrorCode, message: errorMessage(code, params, locale), ...(fields ? { fields } : {}) });

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
					const parsed = clientEvents[name].safeParse(typeof last === 'function' ? args[0] : args[0]);
					if (!parsed.success) {
						const fields: Record<string, string> = {};
						for (const issue of parsed.error.issues) fields[issue.path.join('.') || '_'] = issue.message;
						return refuse(ack, 'invalid', {}, fields);
					}
					try {
						await handle(name, parsed.data as never, ack);
					} catch (err) {
						if (err instanceof RoomError) return refuse(ack, err.code, err.params);
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
					room.join(p.user.id, socket.id);
					registry.watchIdle(room);
					await room.recordAttendance(p.user.id).catch((err) => log.warn({ err }, 'attendance not recorded'));
					// This socket gets its state in the reply; the others get theirs by broadcast.
					const view = buildView(room.state, { userId: p.user.id, isAdmin: p.isAdmin }, room);
					const full = send(socket, room.id, view, new Date().toISOString(), true)!;
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
			unregister();
			registry.clear();
			rooms.set(undefined);
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
