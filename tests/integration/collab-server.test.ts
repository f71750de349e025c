// The collaboration server in this process, on the test database, with real y-websocket
// clients: authorization at the upgrade and when rights change (a registered meeting resolver
// stands in for the meetings domain, recusal included), awareness identity, every kind of bad
// input, unloading and compaction, a document that cannot load, and two processes relayed
// through Redis.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { eq, sql } from 'drizzle-orm';
import { documentShares, documentUpdates, users } from '../../db/schema';
import { createTestDatabase, usingPostgres, type TestDatabase } from '../helpers/db';
import { makeDocument } from '../helpers/documents';
import { connectClient, paraText, rawConnect, sessionCookie, startInProcess, synced, typeInto, waitFor, type Client, type InProcessServer } from '../helpers/collab';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { registerAccessResolver } from '../../src/lib/server/documents/access';
import { emit } from '../../src/lib/server/events';
import { loadDoc, readStored } from '../../src/lib/server/collab/persistence';
import { rows } from '../../src/lib/server/db';

let t: TestDatabase;
let srv: InProcessServer;
const open: Client[] = [];
const ids: Record<string, string> = {};
const cookies: Record<string, string> = {};
let planning: string;

const MAX = 64 * 1024;

beforeAll(async () => {
	t = await createTestDatabase();
	await seedDemo(t.db);
	for (const u of await t.db.select({ id: users.id, username: users.username }).from(users)) ids[u.username] = u.id;
	for (const name of ['planner', 'zhouxiaoyan', 'intake', 'expert1', 'expert2', 'admin']) cookies[name] = await sessionCookie(t.db, ids[name]);
	[{ id: planning }] = await rows<{ id: string }>(t.db, sql`SELECT id FROM divisions WHERE code = 'planning'`);
	srv = await startInProcess({ collab: { maxMessageBytes: MAX, idleMs: 200 } });
});

afterEach(() => {
	for (const c of open.splice(0)) c.destroy();
});

afterAll(async () => {
	await srv?.close();
	await t?.drop();
});

function client(documentId: string, user: string, extra: { events?: boolean; doc?: Y.Doc } = {}): Client {
	const c = connectClient(srv.url, documentId, { cookie: cookies[user], ...extra });
	open.push(c);
	return c;
}

async function planningDoc(): Promise<string> {
	return makeDocument(t.db, { divisionId: planning, title: '测试计划' });
}

function wsUrl(documentId: string): string {
	return `${srv.url.replace('http', 'ws')}/collab/${documentId}`;
}

describe('editing together', () => {
	it('two editors converge; a view-only member sees everything and changes nothing', async () => {
		const id = await planningDoc();
		await t.db.insert(documentShares).values({ documentId: id, userId: ids.expert1, access: 'view' });
		const a = client(id, 'planner');
		const b = client(id, 'zhouxiaoyan');
		const viewer = client(id, 'expert1', { events: true });
		await Promise.all([synced(a), synced(b), synced(viewer)]);
		typeInto(a.doc, 0, '年度计划');
		typeInto(b.doc, 0, '草稿：');
		await waitFor(() => a.text() === b.text() && a.text().length === 7 && viewer.text() === a.text());
		typeInto(viewer.doc, 0, '不该出现');
		await waitFor(() => viewer.denied.length > 0);
		expect(viewer.events).toContainEqual({ type: 'access', access: 'view', locked: false });
		typeInto(a.doc, a.text().length, '。');
		await waitFor(() => b.text().endsWith('。'));
		expect(b.text()).not.toContain('不该出现');
		const stored = await loadDoc(t.db, id);
		expect(paraText(stored.doc)).toBe(b.text());
	});

	it('awareness carries the signed-in name and colour, whatever the client claims', async () => {
		const id = await planningDoc();
		const a = client(id, 'planner');
		const b = client(id, 'zhouxiaoyan');
		await Promise.all([synced(a), synced(b)]);
		a.provider.awareness.setLocalStateField('user', { name: '赵敏（管理员）', color: '#000000' });
		a.provider.awareness.setLocalStateField('cursor', { anchor: 1 });
		const [planner] = await t.db.select().from(users).where(eq(users.username, 'planner'));
		await waitFor(() => (b.provider.awareness.getStates().get(a.doc.clientID) as { user?: { name: string } } | undefined)?.user?.name === planner.name);
		const seen = b.provider.awareness.getStates().get(a.doc.clientID) as { user: { name: string; color: string; id: string }; cursor: unknown };
		expect(seen.user).toEqual({ id: planner.id, name: '李卫东', color: planner.color });
		expect(seen.cursor).toEqual({ anchor: 1 });
		// B cannot speak for A's client id.
		const forged = new Y.Doc();
		forged.clientID = a.doc.clientID;
		const c = client(id, 'zhouxiaoyan', { doc: forged });
		await synced(c);
		c.provider.awareness.setLocalState({ user: { name: 'x' }, cursor: { anchor: 99 } });
		await new Promise((r) => setTimeout(r, 200));
		expect((b.provider.awareness.getStates().get(a.doc.clientID) as { cursor: unknown }).cursor).toEqual({ anchor: 1 });
	});
});

describe('who may connect', () => {
	it('refuses no session (401), another division (403), a bad Origin (403), no such document (404), before any byte of it', async () => {
		const id = await planningDoc();
		expect(await rawConnect(wsUrl(id))).toMatchObject({ status: 401 });
		expect(await rawConnect(wsUrl(id), { cookie: cookies.intake })).toMatchObject({ status: 403 });
		expect(await rawConnect(wsUrl(id), { cookie: cookies.planner, origin: 'https://evil.example' })).toMatchObject({ status: 403 });
		expect(await rawConnect(wsUrl('00000000-0000-4000-8000-000000000000'), { cookie: cookies.planner })).toMatchObject({ status: 404 });
		expect(await rawConnect(`${srv.url.replace('http', 'ws')}/collab/not-a-uuid`, { cookie: cookies.planner })).toMatchObject({ status: 404 });
		const ok = await rawConnect(wsUrl(id), { cookie: cookies.planner, origin: srv.url });
		expect('ws' in ok).toBe(true);
		if ('ws' in ok) ok.ws.close();
	});

	it('a meeting document follows the registered resolver: recused members are refused and dropped', async () => {
		const meetingId = crypto.randomUUID();
		const id = await makeDocument(t.db, { ownerKind: 'meeting', meetingId, divisionId: null, kind: 'notes' });
		// Before the meetings domain registers: admins only.
		expect(await rawConnect(wsUrl(id), { cookie: cookies.expert1 })).toMatchObject({ status: 403 });
		const recused = new Set<string>([ids.expert2]);
		const members = new Set<string>([ids.expert1, ids.expert2]);
		const unregister = registerAccessResolver('meeting', ({ principal, document }) => {
			const member = document.meetingId === meetingId && members.has(principal.user.id) && !recused.has(principal.user.id);
			return { access: member ? 'edit' : 'none', canLock: false, canManage: false };
		});
		try {
			expect(await rawConnect(wsUrl(id), { cookie: cookies.expert2 })).toMatchObject({ status: 403 });
			const member = client(id, 'expert1');
			await synced(member);
			typeInto(member.doc, 0, '讨论记录');
			// expert1 is recused now: the open connection is closed at once.
			recused.add(ids.expert1);
			emit('rights.changed', { userIds: [ids.expert1] });
			await waitFor(() => member.closes.some((c) => c.code === 4403));
			expect(member.provider.shouldConnect).toBe(false);
		} finally {
			unregister();
		}
	});

	it('a share turned from edit to view downgrades the open connection; ending the session closes it', async () => {
		const id = await planningDoc();
		await t.db.insert(documentShares).values({ documentId: id, userId: ids.expert2, access: 'edit' });
		const other = client(id, 'planner');
		const c = client(id, 'expert2', { events: true });
		await Promise.all([synced(c), synced(other)]);
		typeInto(c.doc, 0, 'A');
		await waitFor(() => other.text() === 'A');
		await t.db.update(documentShares).set({ access: 'view' }).where(eq(documentShares.documentId, id));
		emit('document.access.changed', { documentId: id });
		await waitFor(() => c.events.some((e) => e.type === 'access' && e.access === 'view'));
		typeInto(c.doc, 1, 'B');
		await waitFor(() => c.denied.length > 0);
		await new Promise((r) => setTimeout(r, 100));
		expect(other.text()).toBe('A');
		emit('sessions.revoked', { userId: ids.expert2 });
		await waitFor(() => c.closes.some((e) => e.code === 4401));
	});
});

describe('bad input closes only the connection that sent it', () => {
	const cases: [string, () => Uint8Array, number][] = [
		['random bytes', () => new Uint8Array([0, 7, 255, 255, 255, 255, 255, 255, 255, 255, 255, 1]), 4400],
		['a truncated sync message', () => syncMessage(2, updateBytes('abc')).slice(0, -3), 4400],
		['an unknown message type', () => new Uint8Array([42, 0]), 4405],
		['an unknown sync step', () => new Uint8Array([0, 9, 0]), 4405],
		['an update Yjs cannot decode', () => syncMessage(2, new Uint8Array([1, 1, 200, 200, 200, 1, 0, 4, 9])), 4422],
		['a message with trailing bytes', () => new Uint8Array([...syncMessage(2, updateBytes('x')), 1, 2, 3]), 4400],
		['awareness that is not JSON', () => awarenessMessage('{nope'), 4400]
	];
	for (const [what, message, code] of cases) {
		it(what, async () => {
			const id = await planningDoc();
			const good = client(id, 'planner');
			await synced(good);
			typeInto(good.doc, 0, '保持不变');
			await waitFor(() => srv.collab.stateOf(id) !== null && new TextDecoder().decode(srv.collab.stateOf(id)!).includes('保持不变'));
			const raw = await rawConnect(wsUrl(id), { cookie: cookies.zhouxiaoyan });
			if (!('ws' in raw)) throw new Error('refused');
			raw.ws.send(message());
			const closed = await raw.closed;
			expect(closed.code).toBe(code);
			// The document and the other connection are untouched.
			typeInto(good.doc, 4, '！');
			const after = client(id, 'zhouxiaoyan');
			await synced(after);
			await waitFor(() => after.text() === '保持不变！');
			expect(good.provider.wsconnected).toBe(true);
		});
	}

	it('a message over the size limit (ws closes with 1009), and a text frame', async () => {
		const id = await planningDoc();
		const good = client(id, 'planner');
		await synced(good);
		const raw = await rawConnect(wsUrl(id), { cookie: cookies.zhouxiaoyan });
		if (!('ws' in raw)) throw new Error('refused');
		raw.ws.send(new Uint8Array(MAX + 10));
		expect((await raw.closed).code).toBe(1009);
		const raw2 = await rawConnect(wsUrl(id), { cookie: cookies.zhouxiaoyan });
		if (!('ws' in raw2)) throw new Error('refused');
		raw2.ws.send('hello');
		expect((await raw2.closed).code).toBe(4400);
		typeInto(good.doc, 0, 'still fine');
		await waitFor(() => new TextDecoder().decode(srv.collab.stateOf(id)!).includes('still fine'));
		expect(good.provider.wsconnected).toBe(true);
	});
});

describe('memory and storage', () => {
	it('unloads an idle document after compacting it, and reloads it intact', async () => {
		const id = await planningDoc();
		const a = client(id, 'planner');
		await synced(a);
		for (let i = 0; i < 30; i++) typeInto(a.doc, a.text().length, `${i}.`);
		await waitFor(() => srv.collab.stateOf(id) !== null && Y.encodeStateVector(a.doc).toString() === (() => {
			const d = new Y.Doc();
			Y.applyUpdate(d, srv.collab.stateOf(id)!);
			return Y.encodeStateVector(d).toString();
		})());
		const expected = a.text();
		a.destroy();
		open.splice(open.indexOf(a), 1);
		await waitFor(() => srv.collab.stateOf(id) === null, 5000, 'unload');
		const stored = await readStored(t.db, id);
		expect(stored.updates).toHaveLength(0);
		expect(stored.snapshotSeq).toBeGreaterThan(0);
		const b = client(id, 'planner');
		await synced(b);
		expect(b.text()).toBe(expected);
	});

	it('saves automatic versions while a document changes', async () => {
		const quick = await startInProcess({ collab: { autoVersionMs: 0 } });
		try {
			const id = await planningDoc();
			const a = connectClient(quick.url, id, { cookie: cookies.planner });
			open.push(a);
			await synced(a);
			typeInto(a.doc, 0, '自动保存的内容');
			const versions = async () => rows<{ kind: string }>(t.db, sql`SELECT kind FROM document_versions WHERE document_id = ${id}`);
			const deadline = Date.now() + 5000;
			while ((await versions()).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
			expect((await versions()).map((v) => v.kind)).toEqual(['auto']);
		} finally {
			await quick.close();
		}
	});

	it('refuses a document that cannot be loaded instead of serving it empty', async () => {
		const id = await planningDoc();
		await t.db.insert(documentUpdates).values({ documentId: id, seq: 1, data: new Uint8Array([1, 1, 200, 200, 200, 1, 0, 4, 9]) });
		await t.db.execute(sql`UPDATE documents SET update_seq = 1 WHERE id = ${id}`);
		expect(await rawConnect(wsUrl(id), { cookie: cookies.planner })).toMatchObject({ status: 503 });
		expect(srv.collab.stateOf(id)).toBeNull();
	});
});

describe.runIf(usingPostgres)('several processes', () => {
	it('clients of two servers edit one document through the Redis relay', async () => {
		const { RedisRelay } = await import('../../src/lib/server/collab/redis-relay');
		const second = await startInProcess({ relay: await RedisRelay.connect('redis://127.0.0.1:6379') });
		const first = await startInProcess({ relay: await RedisRelay.connect('redis://127.0.0.1:6379') });
		try {
			const id = await planningDoc();
			const a = connectClient(first.url, id, { cookie: cookies.planner });
			const b = connectClient(second.url, id, { cookie: cookies.zhouxiaoyan });
			open.push(a, b);
			await Promise.all([synced(a), synced(b)]);
			for (let i = 0; i < 20; i++) {
				typeInto(a.doc, 0, 'a');
				typeInto(b.doc, 0, 'b');
			}
			await waitFor(() => a.text().length === 40 && b.text() === a.text());
			a.provider.awareness.setLocalStateField('cursor', { anchor: 3 });
			await waitFor(() => (b.provider.awareness.getStates().get(a.doc.clientID) as { user?: { name: string } })?.user?.name === '李卫东');
			expect(paraText((await loadDoc(t.db, id)).doc)).toBe(a.text());
		} finally {
			await first.close();
			await second.close();
		}
	});
});

function updateBytes(text: string): Uint8Array {
	const d = new Y.Doc();
	typeInto(d, 0, text);
	return Y.encodeStateAsUpdate(d);
}

function syncMessage(step: number, payload: Uint8Array): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, 0);
	encoding.writeVarUint(e, step);
	encoding.writeVarUint8Array(e, payload);
	return encoding.toUint8Array(e);
}

function awarenessMessage(json: string): Uint8Array {
	const inner = encoding.createEncoder();
	encoding.writeVarUint(inner, 1);
	encoding.writeVarUint(inner, 12345);
	encoding.writeVarUint(inner, 1);
	encoding.writeVarString(inner, json);
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, 1);
	encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
	return encoding.toUint8Array(e);
}
