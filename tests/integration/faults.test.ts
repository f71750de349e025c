// Faults users live through: the database goes away mid-meeting and mid-editing (as when
// Postgres restarts: every connection dropped, new ones refused) and comes back. The app says
// so (/healthz 503, "saving paused" on the room's sockets and the editor's), refuses what it
// cannot save rather than pretending, and loses nothing it acknowledged, nor duplicates it.
// Runs on the Postgres on localhost (DATABASE_URL's server, or 127.0.0.1:5432), through a
// proxy the test cuts, so the Postgres other suites share keeps running.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import * as Y from 'yjs';
import type { Ack, ClientEventName, ItemView, MeetingView, ServerStatus } from '../../src/lib/meetings/protocol';
import { RoomClient } from '../helpers/meetings';
import { createPostgresDatabase } from '../helpers/db';
import { login, startServer, type TestServer } from '../helpers/server';
import { tcpProxy, type Proxy } from '../helpers/proxy';
import { connectClient, synced, waitFor, type Client } from '../helpers/collab';

const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
let proxy: Proxy;
let srv: TestServer;
let database: { url: string; drop(): Promise<void> };
let sql: postgres.Sql;

beforeAll(async () => {
	database = await createPostgresDatabase('faults', base);
	const real = new URL(database.url);
	proxy = await tcpProxy(Number(real.port || 5432), real.hostname);
	const proxied = new URL(database.url);
	proxied.hostname = '127.0.0.1';
	proxied.port = String(proxy.port);
	srv = await startServer({}, { databaseUrl: proxied.toString() });
	sql = postgres(database.url, { max: 1, onnotice: () => {} });
}, 120_000);

afterAll(async () => {
	await sql?.end();
	await srv?.stop();
	await proxy?.close();
	await database?.drop();
});

async function health(): Promise<number> {
	const res = await fetch(`${srv.url}/healthz`);
	await res.arrayBuffer();
	return res.status;
}

async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

interface Member {
	client: RoomClient;
	statuses: string[];
}

async function member(username: string, meetingId: string): Promise<Member> {
	const client = new RoomClient(username, srv.url, await login(srv.url, username), meetingId);
	const m: Member = { client, statuses: [] };
	client.socket.on('server:status', (s: ServerStatus) => m.statuses.push(s.saving));
	await client.join();
	return m;
}

function send(m: Member, event: ClientEventName, payload: Record<string, unknown>): Promise<Ack<MeetingView>> {
	return m.client.send(event, payload as never, 20_000);
}

function sheet(view: MeetingView, value: number): Record<string, number> {
	const scores: Record<string, number> = {};
	for (const g of view.rubric.groups) for (const i of g.items) scores[i.id] = value;
	return scores;
}

describe('the database restarts mid-meeting', () => {
	it('pauses saving, refuses what it cannot save, and keeps every acknowledged score exactly once', async () => {
		const [meeting] = await sql<{ id: string }[]>`SELECT id FROM meetings WHERE status = 'scheduled' LIMIT 1`;
		const chair = await member('chair', meeting.id);
		const e1 = await member('expert1', meeting.id);
		const e2 = await member('expert2', meeting.id);
		try {
			expect((await send(chair, 'meeting:start', { meetingId: meeting.id })).ok).toBe(true);
			const itemId = [...chair.client.state!.items].sort((x, y) => x.position - y.position)[0].id;
			expect((await send(chair, 'meeting:goto', { meetingId: meeting.id, itemId })).ok).toBe(true);
			const view = chair.client.state!;
			// Acknowledged before the outage.
			expect((await send(e1, 'score:submit', { meetingId: meeting.id, itemId, round: 1, scores: sheet(view, 81) })).ok).toBe(true);

			proxy.cut();
			await eventually(async () => (await health()) === 503, '/healthz answers 503');
			const during = await send(e2, 'score:submit', { meetingId: meeting.id, itemId, round: 1, scores: sheet(view, 62) });
			expect(during.ok).toBe(false);
			expect(!during.ok && during.error).toBe('unavailable');
			expect(!during.ok && during.message).toMatch(/保存已暂停/);
			await eventually(() => e1.statuses.includes('paused') && chair.statuses.includes('paused'), 'everyone in the room is told saving is paused');

			proxy.restore();
			await eventually(async () => (await health()) === 200, '/healthz answers 200 again');
			await eventually(() => chair.statuses.at(-1) === 'ok', 'the room is told saving resumed');
			// The refused score was not taken; sent again, it is.
			const round = () => (chair.client.state!.items.find((i) => i.id === itemId) as ItemView).rounds[0];
			expect(round().submitted).toBe(1);
			expect((await send(e2, 'score:submit', { meetingId: meeting.id, itemId, round: 1, scores: sheet(view, 62) })).ok).toBe(true);
		} finally {
			for (const m of [chair, e1, e2]) m.client.close();
		}
		// In the database: both acknowledged sheets, once each.
		const stored = await sql<{ total: string }[]>`SELECT s.total FROM meeting_scores s JOIN meeting_items i ON i.id = s.item_id WHERE i.meeting_id = ${meeting.id} ORDER BY s.total`;
		expect(stored.map((r) => Number(r.total))).toEqual([62, 81]);
	}, 90_000);
});

describe('the database restarts mid-editing', () => {
	function paragraph(client: Client, text: string) {
		const p = new Y.XmlElement('paragraph');
		p.insert(0, [new Y.XmlText(text)]);
		client.doc.getXmlFragment('default').push([p]);
	}
	const content = (client: Client) => client.doc.getXmlFragment('default').toString();

	it('keeps the edits made while saving was paused and saves them once it is back', async () => {
		const [plan] = await sql<{ id: string }[]>`SELECT id FROM documents WHERE kind = 'plan' LIMIT 1`;
		const cookie = await login(srv.url, 'planner');
		const a = connectClient(srv.url, plan.id, { cookie, origin: srv.url });
		const b = connectClient(srv.url, plan.id, { cookie, origin: srv.url });
		try {
			await Promise.all([synced(a), synced(b)]);
			paragraph(a, '停电前的修改');
			await waitFor(() => content(b).includes('停电前的修改'), 10_000, 'b sees the edit');

			proxy.cut();
			paragraph(a, '数据库中断期间的修改');
			// Not durable, so not broadcast: the other editor does not get it yet.
			await waitFor(() => a.closes.some((c) => c.code === 4500), 15_000, 'the server pauses a with a retry close');
			expect(content(b)).not.toContain('数据库中断期间的修改');

			proxy.restore();
			await waitFor(() => content(b).includes('数据库中断期间的修改'), 30_000, 'the paused edit arrives once saving resumed');
		} finally {
			a.destroy();
			b.destroy();
		}
		// After a restart, from the database alone: both edits, each once.
		await srv.stop();
		await srv.restart();
		const c = connectClient(srv.url, plan.id, { cookie: await login(srv.url, 'planner'), origin: srv.url });
		try {
			await synced(c);
			const text = content(c);
			expect(text.split('停电前的修改').length - 1).toBe(1);
			expect(text.split('数据库中断期间的修改').length - 1).toBe(1);
		} finally {
			c.destroy();
		}
	}, 120_000);
});

describe('the disk under PGlite fills up', () => {
	it('refuses writes with a clear message, keeps serving, and loses nothing once there is room', async () => {
		// A small file system of its own (tmpfs; the tests run as root, as CI does).
		const mount = fs.mkdtempSync(path.join(os.tmpdir(), 'panelroom-full-'));
		execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=160m', 'tmpfs', mount]);
		const filler = path.join(mount, 'filler');
		const small = await startServer({}, { dataDir: path.join(mount, 'data') });
		try {
			const login = (who = 'admin') =>
				fetch(`${small.url}/api/auth/login`, {
					method: 'POST',
					headers: { 'content-type': 'application/json', 'accept-language': 'zh-CN', origin: small.url },
					body: JSON.stringify({ username: who, password: 'demo-password' })
				});
			expect((await login()).status).toBe(200);

			// Fill the disk to the last byte (again before each try: Postgres may free a WAL segment).
			let fillers = 0;
			const fill = () => {
				const fd = fs.openSync(`${filler}-${fillers++}`, 'w');
				const chunk = Buffer.alloc(64 * 1024);
				try {
					for (;;) fs.writeSync(fd, chunk);
				} catch (err) {
					expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
				} finally {
					fs.closeSync(fd);
				}
			};
			let refused: Response | null = null;
			for (let i = 0; i < 30 && !refused; i++) {
				fill();
				const res = await login();
				// A session row may still fit in a page with room; it is taken or refused, never a 500.
				expect([200, 503]).toContain(res.status);
				if (res.status === 503) refused = res;
				else await res.arrayBuffer();
			}
			expect(refused, 'a write was refused').not.toBeNull();
			expect(((await refused!.json()) as { message: string }).message).toMatch(/存储空间已满/);
			expect(small.output()).not.toMatch(/PANIC|Aborted|RuntimeError/);
			fill();
			expect((await fetch(`${small.url}/healthz`)).status).toBe(503);

			// Room again: writes are taken, and what was there before is intact after a restart.
			for (let i = 0; i < fillers; i++) fs.rmSync(`${filler}-${i}`);
			await eventually(async () => (await fetch(`${small.url}/healthz`)).status === 200, '/healthz recovers');
			expect((await login('expert1')).status).toBe(200);
			await small.stop();
			await small.restart();
			expect((await login('intake')).status).toBe(200);
		} finally {
			await small.stop();
			execFileSync('umount', ['-l', mount]);
			fs.rmSync(mount, { recursive: true, force: true });
		}
	}, 180_000);
});
