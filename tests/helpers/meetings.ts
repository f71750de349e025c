// Meeting-room clients for tests: real socket.io-client connections carrying a session cookie,
// each logging every event it receives, against the real realtime server (Socket.IO and the
// collaboration endpoint) attached in-process to the test database; and a meeting fixture.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { eq } from 'drizzle-orm';
import * as s from '../../db/schema';
import type { Db } from '../../src/lib/server/db';
import type { Realtime } from '../../src/lib/server/realtime';
import { attachApp } from '../../src/lib/server/app';
import { applyPatch, type Ack, type ClientEvent, type ClientEventName, type MeetingPatch, type MeetingView } from '../../src/lib/meetings/protocol';
import { sessionCookie, waitFor } from './collab';
import { applicationByNumber, callByCode } from './factories';

export interface RealtimeServer {
	url: string;
	rt: Realtime;
	close(): Promise<void>;
}

/** The app's realtime server (Socket.IO + /collab) on a free port, on the installed test database. */
export async function startRealtime(port = 0): Promise<RealtimeServer> {
	const server = http.createServer((_req, res) => {
		res.statusCode = 404;
		res.end();
	});
	const rt = await attachApp(server);
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	const actual = (server.address() as AddressInfo).port;
	return {
		url: `http://127.0.0.1:${actual}`,
		rt,
		async close() {
			await rt.close();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
}

export class RoomClient {
	readonly socket: Socket;
	/** Every event received, in order, as JSON text (what a raw client could read). */
	readonly received: { event: string; json: string }[] = [];
	state: MeetingView | null = null;
	/** Patches that did not follow the state held (must stay 0). */
	gaps = 0;

	constructor(
		readonly username: string,
		url: string,
		cookie: string,
		readonly meetingId: string
	) {
		this.socket = io(url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie }, reconnectionDelay: 100, reconnectionDelayMax: 500 });
		this.socket.onAny((event: string, ...args: unknown[]) => {
			this.received.push({ event, json: JSON.stringify(args) });
			if (event === 'meeting:state') this.state = args[0] as MeetingView;
			if (event === 'meeting:patch') {
				const next = this.state ? applyPatch(this.state, args[0] as MeetingPatch) : null;
				if (!next) this.gaps++;
				else this.state = next;
			}
		});
	}

	send<K extends ClientEventName>(name: K, payload: Omit<ClientEvent<K>, 'meetingId'> & { meetingId?: string }, timeoutMs = 10_000): Promise<Ack<MeetingView>> {
		return this.socket.timeout(timeoutMs).emitWithAck(name, { meetingId: this.meetingId, ...payload });
	}

	async join(): Promise<MeetingView> {
		if (!this.socket.connected) await new Promise<void>((resolve, reject) => {
			this.socket.once('connect', () => resolve());
			this.socket.once('connect_error', reject);
		});
		const ack = await this.send('meeting:join', {});
		if (!ack.ok) throw new Error(`${this.username} could not join: ${ack.error} ${ack.message}`);
		return ack.data;
	}

	/** Waits until the latest state satisfies the check. */
	async until(check: (v: MeetingView) => boolean, what = 'state'): Promise<MeetingView> {
		await waitFor(() => !!this.state && check(this.state), 10_000, `${this.username}: ${what}`);
		return this.state!;
	}

	item(position: number) {
		return this.state!.items.find((i) => i.position === position)!;
	}

	everything(): string {
		return this.received.map((r) => r.json).join('\n');
	}

	close(): void {
		this.socket.disconnect();
	}
}

export async function roomClient(db: Db, url: string, username: string, meetingId: string): Promise<RoomClient> {
	const [user] = await db.select({ id: s.users.id }).from(s.users).where(eq(s.users.username, username));
	return new RoomClient(username, url, await sessionCookie(db, user.id), meetingId);
}

export interface MeetingFixture {
	meetingId: string;
	items: { id: string; number: string; title: string }[];
}

/**
 * A scheduled meeting of the demo call: chair `chair`, secretary `intake`, experts expert1,
 * expert2 and expert6 (who works at the applicant of IF2026-0004 and is recused from it).
 */
export async function meetingFixture(
	db: Db,
	options: { numbers?: string[]; experts?: string[]; requiresBallot?: boolean; quorum?: string } = {}
): Promise<MeetingFixture> {
	const call = await callByCode(db, 'IF2026');
	if (options.requiresBallot !== undefined) await db.update(s.calls).set({ requiresBallot: options.requiresBallot }).where(eq(s.calls.id, call.id));
	const numbers = options.numbers ?? ['IF2026-0002', 'IF2026-0004', 'IF2026-0003'];
	const experts = options.experts ?? ['expert1', 'expert2', 'expert6'];
	const userIds = new Map((await db.select({ id: s.users.id, username: s.users.username }).from(s.users)).map((u) => [u.username, u.id]));
	const [meeting] = await db
		.insert(s.meetings)
		.values({ callId: call.id, title: '2026年度创新基金第一次评审会', startsAt: new Date(), place: '中心第一会议室', quorum: options.quorum ?? '0.667' })
		.returning();
	await db.insert(s.meetingMembers).values([
		{ meetingId: meeting.id, userId: userIds.get('chair')!, role: 'chair' as const },
		{ meetingId: meeting.id, userId: userIds.get('intake')!, role: 'secretary' as const },
		...experts.map((u) => ({ meetingId: meeting.id, userId: userIds.get(u)!, role: 'expert' as const }))
	]);
	const items: MeetingFixture['items'] = [];
	for (const [i, number] of numbers.entries()) {
		const app = await applicationByNumber(db, number);
		const [row] = await db.insert(s.meetingItems).values({ meetingId: meeting.id, applicationId: app.id, position: i + 1, timeboxMinutes: 20 }).returning();
		items.push({ id: row.id, number, title: app.title });
	}
	return { meetingId: meeting.id, items };
}
