// The hearing on Socket.IO: a realtime module of its own, beside the meeting room's. An
// applicant's socket joins only its own item's channel and receives only `hearing:state`,
// built by view.ts from that item alone; it is never put in the meeting's channel (the room
// refuses it every event: it is no member). Members follow the hearings of their meeting in
// a control channel (`hearing:control`), and the chair moves a hearing on from there.
import type { Socket } from 'socket.io';
import { db } from '../../db';
import { reportDatabaseError } from '../../db/health';
import { logger } from '../../log';
import { on } from '../../events';
import type { RealtimeModule, SocketData } from '../../realtime/types';
import type { Principal } from '../../auth/principal';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import { hearingClientEvents, hearingEventNames, type HearingAck, type HearingErrorCode, type HearingEventName, type HearingServerEvents } from '$lib/hearings/protocol';
import { meetingAccess } from '../access';
import { isRecused } from '../recusals';
import { eventLimiter, FLOOD_LIMIT } from '../socket/limiter';
import { endStrandedHearings, setPhase, type HearingProblem } from './commands';
import { hearingContext, hearingsOfMeeting, isApplicantOf, representativesOf } from './queries';
import { applicantView, controlView } from './view';

const itemChannel = (itemId: string) => `hearing-item:${itemId}`;
const controlChannel = (meetingId: string) => `hearing-control:${meetingId}`;

class Refusal extends Error {
	constructor(readonly code: HearingErrorCode) {
		super(code);
	}
}

const PROBLEM_CODES: Partial<Record<HearingProblem, HearingErrorCode>> = { notOpen: 'notOpen', notCurrent: 'notCurrent', badPhase: 'badPhase', forbidden: 'forbidden', closed: 'notOpen', ended: 'badPhase' };

function message(code: HearingErrorCode, locale: Locale): string {
	const o = { locale };
	const table: Record<HearingErrorCode, () => string> = {
		invalid: () => m.hrg_err_invalid({}, o),
		rateLimited: () => m.hrg_err_rateLimited({}, o),
		notFound: () => m.hrg_err_notFound({}, o),
		forbidden: () => m.hrg_err_forbidden({}, o),
		notCheckedIn: () => m.hrg_err_notCheckedIn({}, o),
		tooMany: () => m.hrg_err_tooMany({}, o),
		notOpen: () => m.hrg_err_notOpen({}, o),
		notCurrent: () => m.hrg_err_notCurrent({}, o),
		badPhase: () => m.hrg_err_badPhase({}, o),
		unavailable: () => m.hrg_err_unavailable({}, o),
		server: () => m.hrg_err_server({}, o)
	};
	return table[code]();
}

function emitTo<K extends keyof HearingServerEvents>(socket: Socket, event: K, ...args: Parameters<HearingServerEvents[K]>): void {
	socket.emit(event, ...args);
}

/** The JSON of a view without its clock reading, to tell whether anything changed. */
const shape = (v: { serverTime: string }) => JSON.stringify({ ...v, serverTime: '' });

export const hearingsModule: RealtimeModule<Principal> = {
	name: 'hearings',
	attach(rt) {
		const limiter = eventLimiter();
		const log = logger().child({ module: 'hearings' });
		/** socket id → what it follows and what it was last sent. */
		const applicants = new Map<string, { itemId: string; meetingId: string; sent: string }>();
		const watchers = new Map<string, { meetingId: string; sent: string }>();

		const socketsIn = (room: string) => {
			const out: Socket[] = [];
			for (const sid of rt.io.of('/').adapter.rooms.get(room) ?? []) {
				const s = rt.io.of('/').sockets.get(sid);
				if (s) out.push(s);
			}
			return out;
		};
		const connected = (itemId: string) => socketsIn(itemChannel(itemId)).length;

		async function sendApplicant(socket: Socket, itemId: string): Promise<void> {
			const entry = applicants.get(socket.id);
			const view = await applicantView(db(), itemId);
			if (!entry || !view) return;
			const json = shape(view);
			if (json === entry.sent) return;
			entry.sent = json;
			emitTo(socket, 'hearing:state', view);
		}

		async function sendControl(socket: Socket, meetingId: string): Promise<void> {
			const entry = watchers.get(socket.id);
			const { principal }: SocketData<Principal> = socket.data;
			const view = await controlView(db(), meetingId, principal.user.id, connected);
			if (!entry) return;
			const json = shape(view);
			if (json === entry.sent) return;
			entry.sent = json;
			emitTo(socket, 'hearing:control', view);
		}

		/** Sends everyone following the meeting's hearings what changed for them. */
		async function refresh(meetingId: string): Promise<void> {
			for (const h of await hearingsOfMeeting(db(), meetingId)) {
				for (const s of socketsIn(itemChannel(h.hearing.itemId))) await sendApplicant(s, h.hearing.itemId);
			}
			for (const s of socketsIn(controlChannel(meetingId))) await sendControl(s, meetingId);
		}
		const refreshLogged = (meetingId: string) => void refresh(meetingId).catch((err) => log.error({ err, meetingId }, 'hearing refresh failed'));

		type Handler = (socket: Socket, p: Principal, payload: never) => Promise<unknown>;
		const handlers: Record<HearingEventName, Handler> = {
			'hearing:join': async (socket, p, { itemId }: { itemId: string }) => {
				const ctx = await hearingContext(db(), itemId);
				// Only the item's own applicant: anyone else learns nothing, not even that it exists.
				if (!ctx || !isApplicantOf(p, ctx)) throw new Refusal('notFound');
				const checkedIn = (await representativesOf(db(), [itemId])).filter((r) => r.checkedInAt).length;
				if (checkedIn === 0) throw new Refusal('notCheckedIn');
				const already = applicants.get(socket.id);
				if (already?.itemId !== itemId) {
					// One device per checked-in representative, never more than the hearing allows.
					const others = socketsIn(itemChannel(itemId)).filter((s) => s.id !== socket.id).length;
					if (others >= Math.min(checkedIn, ctx.hearing.maxRepresentatives)) throw new Refusal('tooMany');
					if (already) await socket.leave(itemChannel(already.itemId));
					await socket.join(itemChannel(itemId));
				}
				applicants.set(socket.id, { itemId, meetingId: ctx.meeting.id, sent: '' });
				const view = (await applicantView(db(), itemId))!;
				applicants.get(socket.id)!.sent = shape(view);
				for (const s of socketsIn(controlChannel(ctx.meeting.id))) await sendControl(s, ctx.meeting.id);
				return { ok: true, data: view };
			},
			'hearing:leave': async (socket, _p, { itemId }: { itemId: string }) => {
				const entry = applicants.get(socket.id);
				if (!entry || entry.itemId !== itemId) throw new Refusal('notFound');
				applicants.delete(socket.id);
				await socket.leave(itemChannel(itemId));
				refreshLogged(entry.meetingId);
				return { ok: true };
			},
			'hearing:watch': async (socket, p, { meetingId }: { meetingId: string }) => {
				const access = await meetingAccess(db(), p, meetingId);
				if (!access?.mayEnter) throw new Refusal('notFound');
				await socket.join(controlChannel(meetingId));
				watchers.set(socket.id, { meetingId, sent: '' });
				const view = await controlView(db(), meetingId, p.user.id, connected);
				watchers.get(socket.id)!.sent = shape(view);
				return { ok: true, data: view };
			},
			'hearing:phase': async (_socket, p, input: { meetingId: string; itemId: string; phase: 'presentation' | 'questions' | 'ended' }) => {
				const access = await meetingAccess(db(), p, input.meetingId);
				if (!access?.mayEnter) throw new Refusal('notFound');
				const ctx = await hearingContext(db(), input.itemId);
				if (!ctx || ctx.meeting.id !== input.meetingId) throw new Refusal('notFound');
				if (await isRecused(db(), input.meetingId, p.user.id, [ctx.application.id])) throw new Refusal('notFound');
				if (access.role !== 'chair') throw new Refusal('forbidden');
				const r = await setPhase(db(), { id: p.user.id, name: p.user.name, ip: _socket.handshake.address }, input.meetingId, input.itemId, input.phase);
				if (!r.ok) throw new Refusal(PROBLEM_CODES[r.code] ?? 'notFound');
				return { ok: true };
			}
		};

		rt.io.on('connection', (socket: Socket) => {
			const data: SocketData<Principal> = socket.data;
			let refusals = 0;
			const refuse = (reply: (ack: unknown) => void, code: HearingErrorCode) => reply({ ok: false, error: code, message: message(code, data.locale) } satisfies HearingAck);

			for (const name of hearingEventNames) {
				const schema = hearingClientEvents[name];
				const event: string = name;
				socket.on(event, async (...args: unknown[]) => {
					const last = args.at(-1);
					const reply = typeof last === 'function' ? (last as (ack: unknown) => void) : () => {};
					if (!(await limiter.take(socket.id))) {
						if (++refusals > FLOOD_LIMIT) socket.disconnect(true);
						return refuse(reply, 'rateLimited');
					}
					refusals = 0;
					const parsed = schema.safeParse(args[0]);
					if (!parsed.success) return refuse(reply, 'invalid');
					try {
						reply(await handlers[name](socket, data.principal, parsed.data as never));
					} catch (err) {
						if (err instanceof Refusal) return refuse(reply, err.code);
						if (reportDatabaseError(err)) return refuse(reply, 'unavailable');
						log.error({ err, event: name, userId: data.principal.user.id }, 'hearing event failed');
						refuse(reply, 'server');
					}
				});
			}

			socket.on('disconnect', () => {
				limiter.forget(socket.id);
				watchers.delete(socket.id);
				const entry = applicants.get(socket.id);
				applicants.delete(socket.id);
				if (entry) refreshLogged(entry.meetingId);
			});
		});

		const offs = [
			on('hearing.changed', ({ meetingId }) => refreshLogged(meetingId)),
			on('meeting.changed', ({ meetingId }) => refreshLogged(meetingId)),
			// The room moved on or closed: a hearing left running ends, and its applicants wait.
			on('meeting.acted', ({ meetingId }) => {
				void endStrandedHearings(db(), meetingId)
					.then(() => refresh(meetingId))
					.catch((err) => log.error({ err, meetingId }, 'hearing follow-up failed'));
			}),
			on('conflicts.changed', () => {
				for (const meetingId of new Set([...watchers.values()].map((w) => w.meetingId))) refreshLogged(meetingId);
			})
		];
		return () => {
			for (const off of offs) off();
		};
	}
};
