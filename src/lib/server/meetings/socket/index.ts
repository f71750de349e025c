// The meeting room on Socket.IO: the realtime module that rate-limits and validates every
// client event, checks who may send it, runs its handler (handlers.ts) on the meeting's room
// and then sends every person in the room what changed in the room as they may see it
// (views.ts). The socket layer is the meeting room's edge: it alone reaches the process's
// database and translates refusals (messages.ts).
import type { Socket } from 'socket.io';
import { db } from '../../db';
import { reportDatabaseError } from '../../db/health';
import { logger } from '../../log';
import { emit, on } from '../../events';
import type { Realtime, RealtimeModule, SocketData } from '../../realtime/types';
import type { Principal } from '../../auth/principal';
import { clientEventNames, clientEventSchemas, clientEvents, type AckOf, type ClientEventName } from '$lib/meetings/protocol';
import { MeetingRoom, RoomError, type Actor, type Refusal } from '../room';
import { refreshRecusals } from '../state';
import { channel, handlers, recusalSignature, type EventContext } from './handlers';
import { eventLimiter, FLOOD_LIMIT } from './limiter';
import { refusalMessage } from './messages';
import { MeetingRooms } from './registry';
import { SentViews, type Recipient } from './views';

/** Events that move the room (its current item, its status): hearings follow them. */
const MOVES = new Set<ClientEventName>(['meeting:start', 'meeting:goto', 'meeting:close']);

const isCallback = (x: unknown): x is (ack: unknown) => void => typeof x === 'function';

/** The sockets in a meeting's channel, with who each one is. */
function recipients(io: Realtime['io'], meetingId: string): Recipient[] {
	const out: Recipient[] = [];
	for (const sid of io.of('/').adapter.rooms.get(channel(meetingId)) ?? []) {
		const socket = io.of('/').sockets.get(sid);
		if (!socket) continue;
		const { principal }: SocketData<Principal> = socket.data;
		out.push({ socket, viewer: { userId: principal.user.id, isAdmin: principal.isAdmin } });
	}
	return out;
}

export const meetingsModule: RealtimeModule<Principal> = {
	name: 'meetings',
	attach(rt) {
		const rooms = new MeetingRooms(db);
		const views = new SentViews();
		const limiter = eventLimiter();
		const log = logger().child({ module: 'meetings' });
		const broadcast = (room: MeetingRoom) => views.broadcast(room, recipients(rt.io, room.id));

		rt.io.on('connection', (socket: Socket) => {
			const data: SocketData<Principal> = socket.data;
			const joined = new Set<string>();
			let refusals = 0;

			const refuse = (reply: (ack: unknown) => void, refusal: Refusal, fields?: Record<string, string>) =>
				reply({ ok: false, error: refusal.code, message: refusalMessage(refusal, data.locale), ...(fields ? { fields } : {}) } satisfies AckOf<ClientEventName>);

			socket.onAny(async (event: string, ...args: unknown[]) => {
				// The hearing's events belong to its own module (meetings/hearings/socket.ts).
				if (event in clientEvents || event.startsWith('hearing:')) return;
				const ack = args.at(-1);
				if (isCallback(ack) && (await limiter.take(socket.id))) refuse(ack, { code: 'unknownEvent' });
			});

			/** The room of the event and who sends it, after the checks every event but joining shares. */
			async function contextOf(name: ClientEventName, meetingId: string): Promise<EventContext> {
				const p = data.principal;
				const actor: Actor = { userId: p.user.id, name: p.user.name, isAdmin: p.isAdmin, ip: socket.handshake.address };
				const room = await rooms.get(meetingId);
				if (!room) throw new RoomError('notFound');
				const member = room.state.members.has(p.user.id);
				if (name === 'meeting:join') {
					if (!member && !p.isAdmin) throw new RoomError('notFound');
				} else if (!room.live.hasTab(p.user.id, socket.id)) {
					throw new RoomError(member || p.isAdmin ? 'notMember' : 'notFound');
				}
				return { socket, principal: p, actor, room, member, rooms, views, joined, warn: (err) => log.warn({ err }, 'attendance not recorded') };
			}

			function register<K extends ClientEventName>(name: K): void {
				const schema = clientEventSchemas[name];
				const handler = handlers[name];
				// Socket.IO's own events (disconnect, ...) are typed apart; ours are plain strings to it.
				const event: string = name;
				socket.on(event, async (...args: unknown[]) => {
					const last = args.at(-1);
					const reply = isCallback(last) ? last : () => {};
					if (!(await limiter.take(socket.id))) {
						if (++refusals > FLOOD_LIMIT) {
							log.warn({ userId: data.principal.user.id, event: name }, 'meeting client flooding: disconnected');
							socket.disconnect(true);
						}
						return refuse(reply, { code: 'rateLimited' });
					}
					refusals = 0;
					const parsed = schema.safeParse(args[0]);
					if (!parsed.success) {
						const fields: Record<string, string> = {};
						for (const issue of parsed.error.issues) fields[issue.path.join('.') || '_'] = issue.message;
						return refuse(reply, { code: 'invalid' }, fields);
					}
					try {
						const c = await contextOf(name, parsed.data.meetingId);
						reply(await handler(c, parsed.data));
						broadcast(c.room);
						if (MOVES.has(name)) emit('meeting.acted', { meetingId: c.room.id });
					} catch (err) {
						if (err instanceof RoomError) return refuse(reply, err.refusal);
						// Nothing was written (each action is one transaction, memory follows after).
						if (reportDatabaseError(err)) return refuse(reply, { code: 'unavailable' });
						log.error({ err, event: name, userId: data.principal.user.id }, 'meeting event failed');
						refuse(reply, { code: 'server' });
					}
				});
			}
			for (const name of clientEventNames) register(name);

			socket.on('disconnect', () => {
				views.forget(socket.id);
				limiter.forget(socket.id);
				for (const meetingId of joined) {
					void rooms.peek(meetingId).then((room) => {
						if (!room) return;
						if (room.live.part(data.principal.user.id, socket.id, true)) broadcast(room);
						rooms.watchIdle(room);
					});
				}
			});
		});

		const offMeeting = on('meeting.changed', ({ meetingId }) => {
			void rooms
				.reload(meetingId)
				.then((room) => room && broadcast(room))
				.catch((err) => log.error({ err, meetingId }, 'meeting reload failed'));
		});
		const offConflicts = on('conflicts.changed', () => {
			for (const pending of rooms.loaded()) {
				void pending
					.then(async (room) => {
						if (!room) return;
						const before = recusalSignature(room);
						await room.exclusive(() => refreshRecusals(db(), room.state));
						if (recusalSignature(room) !== before) {
							emit('rights.changed', { userIds: [...room.state.members.keys()] });
							broadcast(room);
						}
					})
					.catch((err) => log.error({ err }, 'recusal refresh failed'));
			}
		});

		return () => {
			offMeeting();
			offConflicts();
			rooms.clear();
		};
	}
};
