// The meeting room's client state (LiveMeeting; the server's room is MeetingRoom): one
// Socket.IO connection per tab, typed by the protocol's events, the latest MeetingView the
// server sent, the connection's health, which item this tab is looking at, and the
// server's clock (so every screen counts a time box down the same way).
//
// The server is the only source of truth: nothing here changes the view by itself; actions
// go out with `send` and come back as a `meeting:patch` (what changed in this person's view)
// or, on joining and when the agenda's shape changes, a whole `meeting:state`.
import { getContext, setContext } from 'svelte';
import { io, type Socket } from 'socket.io-client';
import { m } from '$lib/paraglide/messages';
import { applyPatch, type AckOf, type AgendaItemView, type ClientEvent, type ClientEventName, type ClientEvents, type ItemView, type MeetingPatch, type MeetingView, type ServerEvents, type ServerStatus } from '$lib/meetings/protocol';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

/** How long an action may wait for the server's acknowledgement. */
const ACK_TIMEOUT_MS = 10_000;
/** Failed reconnection attempts after which we say "offline" rather than "reconnecting". */
const OFFLINE_AFTER_ATTEMPTS = 3;

export const isItem = (item: AgendaItemView | null | undefined): item is ItemView => !!item && !item.recused;

export class LiveMeeting {
	view = $state<MeetingView | null>(null);
	status = $state<ConnectionStatus>('connecting');
	/** The server cannot save (its database is away): actions are refused until it can. */
	savingPaused = $state(false);
	/** Why the room could not be joined (already localized by the server), if it could not. */
	joinError = $state<string | null>(null);
	/** The item the person chose to look at; null while following the chair's current item. */
	browsingId = $state<string | null>(null);
	/** Server clock minus this machine's clock, in ms. */
	offset = $state(0);
	/** The current item before the latest move, to tell who may come back in. */
	previousCurrentId = $state<string | null>(null);
	/** The last refused action's message (localized by the server), shown until dismissed. */
	notice = $state<{ tone: 'success' | 'error'; text: string } | null>(null);
	/** Events waiting for their acknowledgement, by name: buttons show they are busy. */
	pending = $state<Record<string, number>>({});

	readonly meetingId: string;
	#socket: Socket<ServerEvents, ClientEvents> | null = null;
	#failedAttempts = 0;
	#offsetSamples = 0;
	#lastViewSent: string | null | undefined = undefined;
	/** The server numbers states per connection: a new connection starts again from 1. */
	#seq = 0;

	readonly currentItemId = $derived(this.view?.meeting.currentItemId ?? null);
	readonly items = $derived([...(this.view?.items ?? [])].sort((a, b) => a.position - b.position));
	/** What the centre shows: the item being browsed, else the current one, else the first. */
	readonly viewedItemId = $derived(
		this.browsingId && this.items.some((i) => i.id === this.browsingId) ? this.browsingId : (this.currentItemId ?? this.items[0]?.id ?? null)
	);
	readonly viewedItem = $derived(this.items.find((i) => i.id === this.viewedItemId) ?? null);
	readonly currentItem = $derived(this.items.find((i) => i.id === this.currentItemId) ?? null);
	/** The person looks at something other than the chair's current item. */
	readonly detached = $derived(this.currentItemId !== null && this.viewedItemId !== this.currentItemId);

	constructor(meetingId: string) {
		this.meetingId = meetingId;
	}

	connect(): void {
		if (this.#socket) return;
		const socket: Socket<ServerEvents, ClientEvents> = io({ path: '/socket.io', transports: ['websocket'] });
		this.#socket = socket;

		// Socket.IO reconnects by itself; the room membership does not survive, so join again.
		socket.on('connect', () => {
			this.#failedAttempts = 0;
			this.#offsetSamples = 0;
			this.#lastViewSent = undefined;
			this.#seq = 0;
			void this.#join();
		});
		socket.on('disconnect', (reason) => {
			this.status = reason === 'io client disconnect' ? 'offline' : 'reconnecting';
		});
		// The first connection reports failures on the socket, later ones on its manager.
		const failed = () => {
			this.#failedAttempts++;
			this.status = this.#failedAttempts >= OFFLINE_AFTER_ATTEMPTS || !navigator.onLine ? 'offline' : 'reconnecting';
		};
		socket.on('connect_error', failed);
		socket.io.on('reconnect_error', failed);
		socket.on('server:status', (s: ServerStatus) => {
			this.savingPaused = s.saving === 'paused';
		});
		socket.on('meeting:state', (view: MeetingView) => {
			if (view.meeting.id !== this.meetingId) return;
			// An acknowledgement and a broadcast may cross: never go back to an older state.
			if (view.seq < this.#seq) return;
			this.#accept(view, Date.now());
		});
		socket.on('meeting:patch', (patch: MeetingPatch) => {
			if (!this.view || patch.seq <= this.#seq) return;
			const next = applyPatch(this.view, patch);
			// A patch that does not follow what we hold (a state was missed): start over.
			if (!next) void this.#join();
			else this.#accept(next, Date.now());
		});
	}

	destroy(): void {
		document.removeEventListener('visibilitychange', this.#onVisibility);
		this.#socket?.removeAllListeners();
		this.#socket?.disconnect();
		this.#socket = null;
	}

	async #join(): Promise<void> {
		const sent = Date.now();
		const ack = await this.send('meeting:join', { meetingId: this.meetingId });
		if (!ack.ok) {
			this.joinError = ack.message;
			this.status = 'offline';
			return;
		}
		this.joinError = null;
		this.status = 'live';
		const view = ack.data;
		if (view.seq >= this.#seq) this.#accept(view, (sent + Date.now()) / 2, true);
		document.removeEventListener('visibilitychange', this.#onVisibility);
		document.addEventListener('visibilitychange', this.#onVisibility);
		if (document.hidden) void this.send('meeting:away', { meetingId: this.meetingId, away: true });
		this.syncViewing();
	}

	#accept(view: MeetingView, receivedAt: number, reset = false): void {
		// Latency only ever makes the server look behind, so the largest sample since the
		// (re)connection is the best estimate of the offset.
		const sample = Date.parse(view.serverTime) - receivedAt;
		if (reset || this.#offsetSamples === 0 || sample > this.offset) this.offset = sample;
		this.#offsetSamples++;
		this.#seq = view.seq;
		const before = this.view?.meeting.currentItemId ?? null;
		if (before !== view.meeting.currentItemId && before !== null) this.previousCurrentId = before;
		this.view = view;
		// Arriving at the item one was browsing means following again.
		if (this.browsingId === view.meeting.currentItemId) this.browsingId = null;
	}

	#onVisibility = () => {
		void this.send('meeting:away', { meetingId: this.meetingId, away: document.hidden });
	};

	/** Tells the server which item this tab shows, when that changed. */
	syncViewing(): void {
		const itemId = this.viewedItemId;
		if (!this.view || this.status !== 'live' || itemId === this.#lastViewSent) return;
		this.#lastViewSent = itemId;
		void this.send('meeting:view', { meetingId: this.meetingId, itemId });
	}

	browse(itemId: string): void {
		this.browsingId = itemId === this.currentItemId ? null : itemId;
	}

	follow(): void {
		this.browsingId = null;
	}

	/** Now, by the server's clock. */
	serverNow(): number {
		return Date.now() + this.offset;
	}

	/**
	 * Sends an action and reports a refusal in the room's notice. Resolves true when accepted.
	 * Success needs no message: everybody's screen changes with the next state.
	 */
	async act<K extends ClientEventName>(name: K, payload: ClientEvent<K>, done?: string): Promise<boolean> {
		this.pending[name] = (this.pending[name] ?? 0) + 1;
		const ack = await this.send(name, payload);
		this.pending[name]--;
		this.notice = ack.ok ? (done ? { tone: 'success', text: done } : null) : { tone: 'error', text: ack.message };
		return ack.ok;
	}

	busy(name: ClientEventName): boolean {
		return (this.pending[name] ?? 0) > 0;
	}

	/** Sends an event and resolves with the server's acknowledgement (or a local failure). */
	send<K extends ClientEventName>(name: K, payload: ClientEvent<K>): Promise<AckOf<K>> {
		const socket = this.#socket;
		// Socket.IO would buffer the event until reconnection; an action taken then may no longer
		// make sense (a round revealed meanwhile), so refuse it now and say why.
		if (!socket?.connected) return Promise.resolve({ ok: false, error: 'server', message: m.room_error_offline() });
		// The events' types are checked by this method's signature; Socket.IO's own typing of
		// acknowledgements cannot follow a generic event name.
		const untyped: Socket<ServerEvents, Record<string, (...args: unknown[]) => void>> = socket;
		return new Promise((resolve) => {
			untyped.timeout(ACK_TIMEOUT_MS).emit(name, payload, (err: Error | null, ack: AckOf<K> | undefined) => {
				if (err) resolve({ ok: false, error: 'server', message: m.room_error_timeout() });
				else resolve(ack ?? { ok: false, error: 'server', message: m.room_error_timeout() });
			});
		});
	}
}

const ROOM = Symbol('room');
export const setRoom = (room: LiveMeeting) => setContext(ROOM, room);
export const getRoom = () => getContext<LiveMeeting>(ROOM);
