// The collaboration server as it runs in production: the built server (node server.js) in a
// child process, real y-websocket clients in this one. Ten clients editing at random converge
// on what the database holds; an offline client merges on reconnect; SIGKILL in mid-edit loses
// nothing that was broadcast; view-only and locked documents accept nothing; refusals at the
// upgrade; bad input closes only its own connection. Needs `npm run build`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { startServer, login, type TestServer } from '../helpers/server';
import { connectClient, deleteFrom, paraText, rawConnect, synced, typeInto, waitFor, type Client } from '../helpers/collab';
import { openDatabase } from '../../src/lib/server/db';
import { loadDoc } from '../../src/lib/server/collab/persistence';

let server: TestServer;
const cookies: Record<string, string> = {};
let planningId: string;

beforeAll(async () => {
	server = await startServer();
	for (const u of ['planner', 'zhouxiaoyan', 'intake', 'expert1']) cookies[u] = await login(server.url, u);
	const res = await fetch(`${server.url}/api/documents`, { headers: { cookie: cookies.planner } });
	const { documents } = (await res.json()) as { documents: { owner: { kind: string; id: string } }[] };
	planningId = documents.find((d) => d.owner.kind === 'division')!.owner.id;
}, 120_000);

afterAll(async () => {
	await server?.dispose();
});

const clients: Client[] = [];
function client(documentId: string, user: string): Client {
	const c = connectClient(server.url, documentId, { cookie: cookies[user] });
	clients.push(c);
	return c;
}
function closeAll() {
	for (const c of clients.splice(0)) c.destroy();
}

async function newDocument(title: string): Promise<string> {
	const res = await fetch(`${server.url}/api/documents`, {
		method: 'POST',
		headers: { cookie: cookies.planner, 'content-type': 'application/json' },
		body: JSON.stringify({ title, kind: 'notes', owner: { kind: 'division', id: planningId }, template: 'blank' })
	});
	expect(res.status).toBe(201);
	return ((await res.json()) as { id: string }).id;
}

/** The document as the database holds it, read with the server stopped (PGlite allows one process). */
async function fromDatabase(documentId: string): Promise<Y.Doc> {
	await server.stop();
	const database = await openDatabase(server.databaseUrl ? { databaseUrl: server.databaseUrl, max: 1 } : { dataDir: server.dataDir });
	try {
		return (await loadDoc(database.db, documentId)).doc;
	} finally {
		await database.close();
		await server.restart();
	}
}

function randomEdit(doc: Y.Doc, rng: () => number, tag: string): void {
	const length = paraText(doc).length;
	if (length > 20 && rng() < 0.3) {
		const at = Math.floor(rng() * (length - 5));
		deleteFrom(doc, at, 1 + Math.floor(rng() * 4));
	} else {
		typeInto(doc, Math.floor(rng() * (length + 1)), `${tag}${'中文字符abc'.slice(0, 1 + Math.floor(rng() * 7))}`);
	}
}

function seeded(seed: number): () => number {
	return () => {
		seed = (seed * 1103515245 + 12345) & 0x7fffffff;
		return seed / 0x7fffffff;
	};
}

const state = (d: Y.Doc) => Buffer.from(Y.encodeStateVector(d)).toString('hex');

describe('editing together', () => {
	it('ten clients editing at random converge, and the database holds exactly that', async () => {
		const id = await newDocument('十人同时编辑');
		const ten = Array.from({ length: 10 }, (_, i) => client(id, i % 2 ? 'planner' : 'zhouxiaoyan'));
		await Promise.all(ten.map((c) => synced(c)));
		const rng = seeded(42);
		for (let round = 0; round < 40; round++) {
			for (const [i, c] of ten.entries()) if (rng() < 0.7) randomEdit(c.doc, rng, String.fromCharCode(65 + i));
			await new Promise((r) => setTimeout(r, Math.floor(rng() * 15)));
		}
		await waitFor(() => ten.every((c) => c.text() === ten[0].text() && state(c.doc) === state(ten[0].doc)), 20_000, 'convergence');
		const expected = ten[0].text();
		expect(expected.length).toBeGreaterThan(100);
		closeAll();
		expect(paraText(await fromDatabase(id))).toBe(expected);
	}, 90_000);

	it('a client edits offline and merges when it reconnects', async () => {
		const id = await newDocument('离线编辑');
		const online = client(id, 'planner');
		const offline = client(id, 'zhouxiaoyan');
		await Promise.all([synced(online), synced(offline)]);
		typeInto(online.doc, 0, '共同的开头。');
		await waitFor(() => offline.text() === '共同的开头。');
		offline.provider.disconnect();
		typeInto(offline.doc, offline.text().length, '离线时写的。');
		typeInto(online.doc, 0, '在线时写的。');
		await new Promise((r) => setTimeout(r, 300));
		expect(online.text()).not.toContain('离线时写的');
		offline.provider.connect();
		await waitFor(() => online.text() === offline.text() && online.text().includes('离线时写的') && online.text().includes('在线时写的'));
		const expected = online.text();
		closeAll();
		expect(paraText(await fromDatabase(id))).toBe(expected);
	}, 60_000);

	it('killing the server mid-edit (SIGKILL) loses no update that had been broadcast', async () => {
		const id = await newDocument('进程被杀');
		const writers = [client(id, 'planner'), client(id, 'zhouxiaoyan'), client(id, 'planner')];
		const observer = client(id, 'zhouxiaoyan');
		await Promise.all([...writers, observer].map((c) => synced(c)));
		const rng = seeded(7);
		let typing = true;
		const loops = writers.map(async (w, i) => {
			while (typing) {
				randomEdit(w.doc, rng, String(i));
				await new Promise((r) => setTimeout(r, 2));
			}
		});
		await waitFor(() => observer.text().length > 400, 20_000, 'edits reaching the observer');
		await server.kill();
		typing = false;
		await Promise.all(loops);
		// What the observer was sent before the process died: the server had committed all of it.
		const seen = Y.encodeStateAsUpdate(observer.doc);
		const seenText = observer.text();
		closeAll();
		await server.restart();
		const fresh = client(id, 'planner');
		await synced(fresh);
		const before = { text: fresh.text(), sv: state(fresh.doc) };
		Y.applyUpdate(fresh.doc, seen);
		expect({ text: fresh.text(), sv: state(fresh.doc) }).toEqual(before);
		expect(fresh.text().length).toBeGreaterThanOrEqual(seenText.length - 200);
		closeAll();
	}, 90_000);
});

describe('rights', () => {
	it('a view-only person receives everything and changes nothing', async () => {
		const id = await newDocument('只读共享');
		const [expert] = (await (await fetch(`${server.url}/api/documents/${id}/shares?q=刘振华`, { headers: { cookie: cookies.planner } })).json()).candidates as { id: string }[];
		const shared = await fetch(`${server.url}/api/documents/${id}/shares`, {
			method: 'POST',
			headers: { cookie: cookies.planner, 'content-type': 'application/json' },
			body: JSON.stringify({ userId: expert.id, access: 'view' })
		});
		expect(shared.status).toBe(200);
		const editor = client(id, 'planner');
		const viewer = client(id, 'expert1');
		await Promise.all([synced(editor), synced(viewer)]);
		typeInto(editor.doc, 0, '正式内容');
		await waitFor(() => viewer.text() === '正式内容');
		typeInto(viewer.doc, 0, '篡改');
		await waitFor(() => viewer.denied.includes('read-only'));
		typeInto(editor.doc, 4, '。');
		await waitFor(() => editor.text() === '正式内容。');
		await new Promise((r) => setTimeout(r, 200));
		expect(editor.text()).toBe('正式内容。');
		closeAll();
		expect(paraText(await fromDatabase(id))).toBe('正式内容。');
	}, 60_000);

	it('refuses no session (401), another division (403) and a foreign Origin (403)', async () => {
		const id = await newDocument('拒绝连接');
		const url = `${server.url.replace('http', 'ws')}/collab/${id}`;
		expect(await rawConnect(url)).toMatchObject({ status: 401 });
		expect(await rawConnect(url, { cookie: cookies.intake })).toMatchObject({ status: 403 });
		expect(await rawConnect(url, { cookie: cookies.planner, origin: 'http://evil.example' })).toMatchObject({ status: 403 });
		const ok = await rawConnect(url, { cookie: cookies.planner, origin: server.url });
		expect('ws' in ok).toBe(true);
		if ('ws' in ok) ok.ws.close();
	});

	it('a locked document accepts nothing from anyone, and every client is told', async () => {
		const id = await newDocument('定稿文件');
		const a = client(id, 'planner');
		const b = client(id, 'zhouxiaoyan');
		await Promise.all([synced(a), synced(b)]);
		typeInto(a.doc, 0, '最终文本');
		await waitFor(() => b.text() === '最终文本');
		const locked = await fetch(`${server.url}/api/documents/${id}/lock`, { method: 'POST', headers: { cookie: cookies.planner } });
		expect(locked.status).toBe(200);
		const { sha256 } = (await locked.json()) as { sha256: string };
		expect(sha256).toMatch(/^[0-9a-f]{64}$/);
		await waitFor(() => a.denied.includes('locked') && b.denied.includes('locked'));
		typeInto(a.doc, 0, '甲改');
		typeInto(b.doc, 0, '乙改');
		const raw = await rawConnect(`${server.url.replace('http', 'ws')}/collab/${id}`, { cookie: cookies.planner });
		if (!('ws' in raw)) throw new Error('refused');
		const other = new Y.Doc();
		typeInto(other, 0, '原始连接改');
		raw.ws.send(syncUpdate(Y.encodeStateAsUpdate(other)));
		await new Promise((r) => setTimeout(r, 300));
		raw.ws.close();
		const late = client(id, 'planner');
		await synced(late);
		expect(late.text()).toBe('最终文本');
		const reopen = await fetch(`${server.url}/api/documents/${id}/reopen`, {
			method: 'POST',
			headers: { cookie: cookies.planner, 'content-type': 'application/json' },
			body: JSON.stringify({ reason: '处长无权重新开启' })
		});
		expect(reopen.status).toBe(403);
		closeAll();
		expect(paraText(await fromDatabase(id))).toBe('最终文本');
	}, 60_000);
});

describe('bad input', () => {
	it('each bad message closes only the connection that sent it', async () => {
		const id = await newDocument('错误输入');
		const good = client(id, 'planner');
		await synced(good);
		typeInto(good.doc, 0, '不受影响');
		const url = `${server.url.replace('http', 'ws')}/collab/${id}`;
		const bad: [Uint8Array | string, number][] = [
			[new Uint8Array([0, 2, 50, 1, 2, 3]), 4400],
			[new Uint8Array([77]), 4405],
			[syncUpdate(new Uint8Array([1, 1, 200, 200, 200, 1, 0, 4, 9])), 4422],
			[new Uint8Array(2 * 1024 * 1024 + 100), 1009],
			['text', 4400]
		];
		for (const [message, code] of bad) {
			const raw = await rawConnect(url, { cookie: cookies.zhouxiaoyan });
			if (!('ws' in raw)) throw new Error('refused');
			raw.ws.send(message);
			expect((await raw.closed).code).toBe(code);
		}
		typeInto(good.doc, 4, '！');
		const check = client(id, 'zhouxiaoyan');
		await synced(check);
		await waitFor(() => check.text() === '不受影响！');
		expect(good.provider.wsconnected).toBe(true);
		expect(server.output()).toMatch(/bad message: connection closed/);
		closeAll();
	}, 60_000);
});

function syncUpdate(update: Uint8Array): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, 0);
	encoding.writeVarUint(e, 2);
	encoding.writeVarUint8Array(e, update);
	return encoding.toUint8Array(e);
}
