// Hearing clients for tests: raw socket.io-client connections carrying a session cookie, each
// recording every frame it receives (what an applicant's own script could read), speaking the
// hearing protocol or, to try, the meeting room's.
import { io, type Socket } from 'socket.io-client';
import { eq } from 'drizzle-orm';
import * as s from '../../db/schema';
import type { Db } from '../../src/lib/server/db';
import type { ApplicantHearingView, HearingControlView } from '../../src/lib/hearings/protocol';
import { sessionCookie, waitFor } from './collab';

export class HearingClient {
	readonly socket: Socket;
	readonly received: { event: string; json: string }[] = [];
	state: ApplicantHearingView | null = null;
	control: HearingControlView | null = null;

	constructor(
		readonly username: string,
		url: string,
		cookie: string
	) {
		this.socket = io(url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie }, reconnectionDelay: 100, reconnectionDelayMax: 500 });
		this.socket.onAny((event: string, ...args: unknown[]) => {
			this.received.push({ event, json: JSON.stringify(args) });
			if (event === 'hearing:state') this.state = args[0] as ApplicantHearingView;
			if (event === 'hearing:control') this.control = args[0] as HearingControlView;
		});
	}

	async connected(): Promise<void> {
		if (this.socket.connected) return;
		await new Promise<void>((resolve, reject) => {
			this.socket.once('connect', () => resolve());
			this.socket.once('connect_error', reject);
		});
	}

	/** Sends any event (the hearing's or the room's) and resolves with the acknowledgement. */
	async send(event: string, payload: unknown, timeoutMs = 10_000): Promise<{ ok: boolean; error?: string; message?: string; data?: unknown }> {
		await this.connected();
		return this.socket.timeout(timeoutMs).emitWithAck(event, payload);
	}

	async join(itemId: string) {
		const ack = await this.send('hearing:join', { itemId });
		if (ack.ok) this.state = ack.data as ApplicantHearingView;
		return ack;
	}

	async watch(meetingId: string) {
		const ack = await this.send('hearing:watch', { meetingId });
		if (ack.ok) this.control = ack.data as HearingControlView;
		return ack;
	}

	async until(check: (v: ApplicantHearingView) => boolean, what = 'state'): Promise<ApplicantHearingView> {
		await waitFor(() => !!this.state && check(this.state), 10_000, `${this.username}: ${what}`);
		return this.state!;
	}

	async untilControl(check: (v: HearingControlView) => boolean, what = 'control'): Promise<HearingControlView> {
		await waitFor(() => !!this.control && check(this.control), 10_000, `${this.username}: ${what}`);
		return this.control!;
	}

	everything(): string {
		return this.received.map((r) => `${r.event} ${r.json}`).join('\n');
	}

	close(): void {
		this.socket.disconnect();
	}
}

export async function hearingClient(db: Db, url: string, username: string): Promise<HearingClient> {
	const [user] = await db.select({ id: s.users.id }).from(s.users).where(eq(s.users.username, username));
	return new HearingClient(username, url, await sessionCookie(db, user.id));
}
