// The hearing's client state for the applicant (and the chair's control bar): one Socket.IO
// connection speaking only the hearing protocol, the latest view the server sent, and the
// server's clock so every screen counts the time box down alike. The server decides what is
// in the view; this only shows it.
import { io, type Socket } from 'socket.io-client';
import { m } from '$lib/paraglide/messages';
import type { ApplicantHearingView, HearingAck, HearingControlView, HearingEvent, HearingEventName, HearingServerEvents } from '$lib/hearings/protocol';

type Untyped = Socket<HearingServerEvents, Record<string, (...args: unknown[]) => void>>;

class HearingSocket {
	status = $state<'connecting' | 'live' | 'offline'>('connecting');
	error = $state<string | null>(null);
	offset = $state(0);
	now = $state(Date.now());
	protected socket: Untyped | null = null;
	#tick: ReturnType<typeof setInterval> | null = null;

	protected open(onConnect: () => void): Untyped {
		const socket: Untyped = io({ path: '/socket.io', transports: ['websocket'] });
		this.socket = socket;
		socket.on('connect', onConnect);
		socket.on('disconnect', () => (this.status = 'offline'));
		this.#tick = setInterval(() => (this.now = Date.now() + this.offset), 500);
		return socket;
	}

	protected clock(serverTime: string): void {
		this.offset = Date.parse(serverTime) - Date.now();
		this.now = Date.now() + this.offset;
	}

	send<K extends HearingEventName>(name: K, payload: HearingEvent<K>): Promise<HearingAck<unknown>> {
		const socket = this.socket;
		if (!socket?.connected) return Promise.resolve({ ok: false, error: 'server', message: m.room_error_offline() });
		return new Promise((resolve) => {
			socket.timeout(10_000).emit(name, payload, (err: Error | null, ack: HearingAck<unknown> | undefined) => {
				resolve(err || !ack ? { ok: false, error: 'server', message: m.room_error_timeout() } : ack);
			});
		});
	}

	destroy(): void {
		if (this.#tick) clearInterval(this.#tick);
		this.socket?.removeAllListeners();
		this.socket?.disconnect();
		this.socket = null;
	}
}

/** The applicant in their own item's hearing. */
export class ApplicantHearing extends HearingSocket {
	view = $state<ApplicantHearingView | null>(null);

	constructor(readonly itemId: string) {
		super();
	}

	connect(): void {
		const socket = this.open(() => void this.#join());
		socket.on('hearing:state', (v) => {
			if (v.itemId !== this.itemId) return;
			this.clock(v.serverTime);
			this.view = v;
		});
	}

	async #join(): Promise<void> {
		const ack = await this.send('hearing:join', { itemId: this.itemId });
		if (!ack.ok) {
			this.error = ack.message;
			this.status = 'offline';
			return;
		}
		this.error = null;
		this.status = 'live';
		const v = (ack as { data: ApplicantHearingView }).data;
		this.clock(v.serverTime);
		this.view = v;
	}

	/** Try again (after the secretary has checked someone in). */
	retry(): void {
		void this.#join();
	}
}

/** A member following the meeting's hearings (the chair's controls, the secretary's check-ins). */
export class HearingControl extends HearingSocket {
	view = $state<HearingControlView | null>(null);

	constructor(readonly meetingId: string) {
		super();
	}

	connect(): void {
		const socket = this.open(() => void this.#watch());
		socket.on('hearing:control', (v) => {
			if (v.meetingId !== this.meetingId) return;
			this.clock(v.serverTime);
			this.view = v;
		});
	}

	async #watch(): Promise<void> {
		const ack = await this.send('hearing:watch', { meetingId: this.meetingId });
		if (!ack.ok) {
			this.error = ack.message;
			return;
		}
		this.status = 'live';
		const v = (ack as { data: HearingControlView }).data;
		this.clock(v.serverTime);
		this.view = v;
	}
}
