// Documents keep their shape, tried by an editor with a raw y-websocket client: an update that
// decodes but makes the document something the editor's schema does not allow (the root as
// Y.Text, an unknown node or mark, a bad attribute, an extra root, …) closes that connection
// with 4423, stores nothing, and the honest editor beside it goes on editing and saving.
// Restoring a version repairs a document that was broken before the server checked.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { eq, sql } from 'drizzle-orm';
import { documentSnapshots, users } from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { connectClient, paraText, rawConnect, sessionCookie, startInProcess, synced, typeInto, waitFor, type Client, type InProcessServer } from '../helpers/collab';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { insertDocument } from '../../src/lib/server/documents';
import { blankTemplate, doc as docJSON, h, p } from '../../src/lib/server/documents/templates';
import { loadDoc } from '../../src/lib/server/collab/persistence';
import { shapeProblem, vocabularyProblem } from '../../src/lib/server/documents/shape';
import { jsonOf } from '../../src/lib/server/documents/content';
import { listVersions, restoreVersion } from '../../src/lib/server/documents/versions';
import { loadPrincipal } from '../../src/lib/server/auth/principal';
import { rows } from '../../src/lib/server/db';

let t: TestDatabase;
let srv: InProcessServer;
const open: Client[] = [];
const ids: Record<string, string> = {};
const cookies: Record<string, string> = {};
let planning: string;

beforeAll(async () => {
	t = await createTestDatabase();
	await seedDemo(t.db);
	for (const u of await t.db.select({ id: users.id, username: users.username }).from(users)) ids[u.username] = u.id;
	for (const name of ['planner', 'zhouxiaoyan']) cookies[name] = await sessionCookie(t.db, ids[name]);
	[{ id: planning }] = await rows<{ id: string }>(t.db, sql`SELECT id FROM divisions WHERE code = 'planning'`);
	srv = await startInProcess({ collab: { idleMs: 200 } });
});

afterEach(() => {
	for (const c of open.splice(0)) c.destroy();
});

afterAll(async () => {
	await srv?.close();
	await t?.drop();
});

function client(documentId: string, user: string): Client {
	const c = connectClient(srv.url, documentId, { cookie: cookies[user] });
	open.push(c);
	return c;
}

async function newDocument(): Promise<string> {
	return t.db.transaction((tx) =>
		insertDocument(tx, { title: '形状测试', kind: 'notes', owner: { kind: 'division', id: planning }, content: blankTemplate('形状测试'), createdBy: ids.planner })
	);
}

/** The close, or code 0 if the server left the connection open. */
function closedWithin(raw: { closed: Promise<{ code: number; reason: string }> }, ms = 5000): Promise<{ code: number; reason: string }> {
	return Promise.race([raw.closed, new Promise<{ code: number; reason: string }>((r) => setTimeout(() => r({ code: 0, reason: 'left open' }), ms))]);
}

function syncUpdate(update: Uint8Array): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, 0);
	encoding.writeVarUint(e, 2);
	encoding.writeVarUint8Array(e, update);
	return encoding.toUint8Array(e);
}

async function stored(id: string) {
	const [row] = await rows<{ update_seq: string | number; n: string | number }>(
		t.db,
		sql`SELECT update_seq, (SELECT count(*) FROM document_updates WHERE document_id = ${id}) AS n FROM documents WHERE id = ${id}`
	);
	return { seq: Number(row.update_seq), rows: Number(row.n) };
}

const fragment = (d: Y.Doc) => d.getXmlFragment('default');
const paragraphText = (d: Y.Doc) => (fragment(d).get(1) as Y.XmlElement).get(0) as Y.XmlText;

/** What a hostile editor does to their copy of the document; the difference is sent. */
const attacks: [string, (d: Y.Doc) => void][] = [
	[
		'the root "default" written as a Y.Text',
		(d) => {
			d.share.delete('default');
			d.get('default', Y.Text).insert(0, '不是文档');
		}
	],
	['an unknown node type', (d) => fragment(d).insert(0, [new Y.XmlElement('iframe')])],
	['an unknown mark', (d) => paragraphText(d).format(0, 2, { blink: {} })],
	['a heading level the editor does not have', (d) => (fragment(d).get(0) as Y.XmlElement).setAttribute('level', 99 as unknown as string)],
	['an unknown attribute', (d) => (fragment(d).get(0) as Y.XmlElement).setAttribute('onclick', 'alert(1)')],
	['a javascript: link', (d) => paragraphText(d).format(0, 2, { link: { href: 'javascript:alert(1)' } })],
	[
		'a table cell spanning 10^9 columns',
		(d) => {
			const cell = new Y.XmlElement('tableCell');
			cell.setAttribute('colspan', 1e9 as unknown as string);
			cell.insert(0, [new Y.XmlElement('paragraph')]);
			const row = new Y.XmlElement('tableRow');
			row.insert(0, [cell]);
			const table = new Y.XmlElement('table');
			table.insert(0, [row]);
			fragment(d).insert(2, [table]);
		}
	],
	['an extra root', (d) => d.getMap('extra').set('payload', '任意数据')],
	[
		'text directly in the document, outside any paragraph',
		(d) => {
			const text = new Y.XmlText();
			text.insert(0, '散落的文字');
			fragment(d).insert(0, [text]);
		}
	],
	[
		'a heading inside a paragraph',
		(d) => {
			const heading = new Y.XmlElement('heading');
			heading.setAttribute('level', 2 as unknown as string);
			(fragment(d).get(1) as Y.XmlElement).insert(0, [heading]);
		}
	]
];

describe('an update that breaks the schema is refused', () => {
	for (const [what, attack] of attacks) {
		it(what, async () => {
			const id = await newDocument();
			const honest = client(id, 'planner');
			await synced(honest);
			typeInto(honest.doc, 0, '诚实的内容');
			await waitFor(() => srv.collab.stateOf(id) !== null && new TextDecoder().decode(srv.collab.stateOf(id)!).includes('诚实的内容'));
			const before = await stored(id);

			// The attacker edits a copy of what the server has and sends the difference.
			const evil = new Y.Doc();
			Y.applyUpdate(evil, srv.collab.stateOf(id)!);
			const sv = Y.encodeStateVector(evil);
			attack(evil);
			const update = Y.encodeStateAsUpdate(evil, sv);
			const raw = await rawConnect(`${srv.url.replace('http', 'ws')}/collab/${id}`, { cookie: cookies.zhouxiaoyan });
			if (!('ws' in raw)) throw new Error('refused at the upgrade');
			raw.ws.send(syncUpdate(update));
			const closed = await closedWithin(raw);
			expect(closed.code).toBe(4423);
			expect(closed.reason).toMatch(/^update refused: /);

			// Nothing stored, the live document untouched.
			expect(await stored(id)).toEqual(before);
			const live = new Y.Doc();
			Y.applyUpdate(live, srv.collab.stateOf(id)!);
			expect(shapeProblem(live)).toBeNull();

			// The honest editor was not disturbed and keeps saving.
			expect(honest.provider.wsconnected).toBe(true);
			typeInto(honest.doc, paraText(honest.doc).length, '，继续');
			const later = client(id, 'zhouxiaoyan');
			await synced(later);
			await waitFor(() => later.text() === '诚实的内容，继续');
			const deadline = Date.now() + 5000;
			while ((await stored(id)).seq <= before.seq && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
			const fromDb = (await loadDoc(t.db, id)).doc;
			expect(shapeProblem(fromDb)).toBeNull();
			expect(paraText(fromDb)).toBe('诚实的内容，继续');
		});
	}

	it('an update that depends on changes the server does not have (held back, it would integrate later)', async () => {
		const id = await newDocument();
		const honest = client(id, 'planner');
		await synced(honest);
		const evil = new Y.Doc();
		Y.applyUpdate(evil, srv.collab.stateOf(id)!);
		fragment(evil).insert(2, [new Y.XmlElement('paragraph')]);
		const mid = Y.encodeStateVector(evil);
		fragment(evil).insert(3, [new Y.XmlElement('iframe')]);
		const second = Y.encodeStateAsUpdate(evil, mid);
		const before = await stored(id);
		const raw = await rawConnect(`${srv.url.replace('http', 'ws')}/collab/${id}`, { cookie: cookies.zhouxiaoyan });
		if (!('ws' in raw)) throw new Error('refused at the upgrade');
		raw.ws.send(syncUpdate(second));
		expect((await closedWithin(raw)).code).toBe(4423);
		expect(await stored(id)).toEqual(before);
	});

	it('an honest editor’s ordinary work is accepted: headings, marks, links, lists, tables', async () => {
		const id = await newDocument();
		const honest = client(id, 'planner');
		await synced(honest);
		const d = honest.doc;
		d.transact(() => {
			const text = new Y.XmlText();
			text.insert(0, '加粗和链接', {});
			text.format(0, 2, { bold: {} });
			text.format(3, 2, { link: { href: 'https://example.org', target: '_blank', rel: 'noopener noreferrer nofollow', class: null, title: null } });
			const para = new Y.XmlElement('paragraph');
			para.insert(0, [text]);
			const item = new Y.XmlElement('listItem');
			const itemPara = new Y.XmlElement('paragraph');
			const itemText = new Y.XmlText();
			itemText.insert(0, '列表项');
			itemPara.insert(0, [itemText]);
			item.insert(0, [itemPara]);
			const list = new Y.XmlElement('orderedList');
			list.setAttribute('start', 3 as unknown as string);
			list.insert(0, [item]);
			const cell = new Y.XmlElement('tableHeader');
			cell.setAttribute('colspan', 2 as unknown as string);
			cell.insert(0, [new Y.XmlElement('paragraph')]);
			const row = new Y.XmlElement('tableRow');
			row.insert(0, [cell]);
			const table = new Y.XmlElement('table');
			table.insert(0, [row]);
			fragment(d).insert(2, [para, list, table]);
		});
		const later = client(id, 'zhouxiaoyan');
		await synced(later);
		await waitFor(() => fragment(later.doc).length === 5);
		expect(honest.provider.wsconnected).toBe(true);
		expect(honest.closes).toEqual([]);
		expect(shapeProblem(later.doc)).toBeNull();
	});
});

describe('a document broken before the server checked', () => {
	it('still loads for editing, and restoring a version through the server repairs it', async () => {
		const id = await newDocument();
		// The state a forged update left behind, written straight into the database.
		const broken = new Y.Doc();
		broken.get('default', Y.Text).insert(0, '破坏后的内容');
		broken.getMap('extra').set('x', 1);
		await t.db.update(documentSnapshots).set({ state: Y.encodeStateAsUpdate(broken) }).where(eq(documentSnapshots.documentId, id));
		expect(vocabularyProblem((await loadDoc(t.db, id)).doc)).not.toBeNull();

		const editor = client(id, 'planner');
		await synced(editor);
		const [u] = await t.db.select().from(users).where(eq(users.id, ids.planner));
		const principal = await loadPrincipal(t.db, { ...u }, 'test-session');
		const [initial] = (await listVersions(t.db, id)).slice(-1);
		expect(initial.kind).toBe('initial');
		expect(await restoreVersion(t.db, principal, id, initial.id, { name: 'test', ip: '127.0.0.1' })).toMatchObject({ ok: true });

		const repaired = (await loadDoc(t.db, id)).doc;
		expect(shapeProblem(repaired)).toBeNull();
		expect(jsonOf(repaired)).toEqual(docJSON(h(1, '形状测试'), p()));
		// Everyone connected sees the repaired document, and editing goes on.
		await waitFor(() => shapeProblem(editor.doc) === null && fragment(editor.doc).length === 2);
		typeInto(editor.doc, 0, '修复后继续');
		const later = client(id, 'zhouxiaoyan');
		await synced(later);
		await waitFor(() => later.text() === '修复后继续');
		expect(editor.provider.wsconnected).toBe(true);
	});
});
