// Content functions answer for whatever is stored: states written straight into the database
// (as a forged update stored before the server checked would leave them, or worse) export to
// Markdown and DOCX, print, save and compare versions, compact, and restore a version, which
// repairs the document. Nothing throws; unknown nodes are skipped, their text kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { eq, sql } from 'drizzle-orm';
import { documentSnapshots, documentVersions, users } from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { loadPrincipal, type Principal } from '../../src/lib/server/auth/principal';
import { insertDocument } from '../../src/lib/server/documents';
import { blankTemplate, doc as docJSON, h, p } from '../../src/lib/server/documents/templates';
import { exportContent, exportDocument } from '../../src/lib/server/documents/exporting';
import { getVersion, listVersions, restoreVersion, saveVersion } from '../../src/lib/server/documents/versions';
import { compareContent, renderHtml } from '../../src/lib/server/documents/render';
import { compactDocument, loadDoc, readStored } from '../../src/lib/server/collab/persistence';
import { jsonOf, textOf } from '../../src/lib/server/documents/content';
import { normalizeContent, shapeProblem, storedContent } from '../../src/lib/server/documents/shape';
import { rows } from '../../src/lib/server/db';

let t: TestDatabase;
let planner: Principal;
let planning: string;
const actor = { name: 'test', ip: '127.0.0.1' };

beforeAll(async () => {
	t = await createTestDatabase();
	await seedDemo(t.db);
	const [u] = await t.db.select().from(users).where(eq(users.username, 'planner'));
	planner = await loadPrincipal(t.db, { ...u }, 'test-session');
	[{ id: planning }] = await rows<{ id: string }>(t.db, sql`SELECT id FROM divisions WHERE code = 'planning'`);
});
afterAll(async () => t?.drop());

async function newDocument(): Promise<string> {
	return t.db.transaction((tx) =>
		insertDocument(tx, { title: '损坏测试', kind: 'notes', owner: { kind: 'division', id: planning }, content: blankTemplate('损坏测试'), createdBy: planner.user.id })
	);
}

/** Replaces the stored snapshot with the given Yjs state, behind every check. */
async function writeSnapshot(id: string, state: Uint8Array): Promise<void> {
	await t.db.update(documentSnapshots).set({ state }).where(eq(documentSnapshots.documentId, id));
}

/** Appends a raw row after the snapshot, behind every check. */
async function appendRaw(id: string, data: Uint8Array): Promise<void> {
	await t.db.execute(sql`UPDATE documents SET update_seq = update_seq + 1 WHERE id = ${id}`);
	await t.db.execute(
		sql`INSERT INTO document_updates (document_id, seq, data) SELECT id, update_seq, ${Buffer.from(data)}::bytea FROM documents WHERE id = ${id}`
	);
}

/** An update made on a copy of the stored document. */
async function forged(id: string, change: (d: Y.Doc) => void): Promise<Uint8Array> {
	const { doc } = await loadDoc(t.db, id);
	const sv = Y.encodeStateVector(doc);
	change(doc);
	return Y.encodeStateAsUpdate(doc, sv);
}

const fragment = (d: Y.Doc) => d.getXmlFragment('default');

function paragraph(text: string, format?: Record<string, unknown>): Y.XmlElement {
	const el = new Y.XmlElement('paragraph');
	const t = new Y.XmlText();
	t.insert(0, text, format as never);
	el.insert(0, [t]);
	return el;
}

const brokenStates: [string, (id: string) => Promise<void>, string | null][] = [
	[
		'the root written as a Y.Text (the reported break), stored as an update',
		async (id) =>
			appendRaw(
				id,
				await forged(id, (d) => {
					d.share.delete('default');
					d.get('default', Y.Text).insert(0, '被改成纯文本的内容');
				})
			),
		'被改成纯文本的内容'
	],
	[
		'the snapshot itself a Y.Text root, with a row after it',
		async (id) => {
			const d = new Y.Doc();
			d.get('default', Y.Text).insert(0, '被改成纯文本的快照');
			await writeSnapshot(id, Y.encodeStateAsUpdate(d));
			await appendRaw(id, await forged(id, (doc) => doc.getMap('extra').set('k', 'v')));
		},
		'被改成纯文本的快照'
	],
	[
		'unknown nodes and marks, bad attribute values, a null mark attribute',
		async (id) =>
			appendRaw(
				id,
				await forged(id, (d) => {
					const iframe = new Y.XmlElement('iframe');
					iframe.insert(0, [paragraph('框里的字')]);
					const heading = fragment(d).get(0) as Y.XmlElement;
					heading.setAttribute('level', -5 as unknown as string);
					const list = new Y.XmlElement('orderedList');
					list.setAttribute('start', 'x' as unknown as string);
					const item = new Y.XmlElement('listItem');
					item.insert(0, [paragraph('列表', { blink: {}, link: null, bold: null, underline: { color: { nested: true } } })]);
					list.insert(0, [item]);
					fragment(d).insert(1, [iframe, paragraph('正文', { link: { href: 'javascript:alert(1)' } }), list]);
				})
			),
		'框里的字'
	],
	[
		'text and strings straight in the root, an extra root, a Y.Map as an attribute',
		async (id) =>
			appendRaw(
				id,
				await forged(id, (d) => {
					const loose = new Y.XmlText();
					loose.insert(0, '散落的文字');
					const el = new Y.XmlElement('paragraph');
					el.setAttribute('weird', new Y.Map() as unknown as string);
					fragment(d).insert(0, [loose, el]);
					d.getArray('extra').insert(0, [1, 2, 3]);
				})
			),
		'散落的文字'
	],
	[
		'content rules broken (no block at all, a list item without its paragraph, a table without rows)',
		async (id) =>
			appendRaw(
				id,
				await forged(id, (d) => {
					fragment(d).delete(0, fragment(d).length);
					const item = new Y.XmlElement('listItem');
					const inner = new Y.XmlElement('bulletList');
					const innerItem = new Y.XmlElement('listItem');
					innerItem.insert(0, [paragraph('嵌套')]);
					inner.insert(0, [innerItem]);
					item.insert(0, [inner]);
					const list = new Y.XmlElement('bulletList');
					list.insert(0, [item]);
					fragment(d).insert(0, [list, new Y.XmlElement('table')]);
				})
			),
		'嵌套'
	],
	[
		'a stored update Yjs cannot decode',
		async (id) => {
			const good = await forged(id, (d) => fragment(d).insert(2, [paragraph('前面的')]));
			await appendRaw(id, good);
			await appendRaw(id, new Uint8Array([1, 1, 200, 200, 200, 1, 0, 4, 9]));
		},
		'前面的'
	]
];

describe('content functions on a document broken in the database', () => {
	for (const [what, breakIt, survivor] of brokenStates) {
		it(what, async () => {
			const id = await newDocument();
			await breakIt(id);

			const md = await exportDocument(t.db, planner, id, { format: 'md' });
			expect(md.ok).toBe(true);
			if (md.ok && survivor) expect(md.body.toString('utf8')).toContain(survivor);
			if (md.ok) expect(md.body.toString('utf8')).not.toContain('javascript:');
			const docx = await exportDocument(t.db, planner, id, { format: 'docx' });
			expect(docx.ok && docx.body.subarray(0, 2).toString()).toBe('PK');

			const print = await exportContent(t.db, planner, id);
			expect(print.ok).toBe(true);
			if (print.ok) {
				const html = renderHtml(print.content);
				if (survivor) expect(html).toContain(survivor);
				expect(html).not.toMatch(/iframe|javascript:/);
			}

			const saved = await saveVersion(t.db, planner, id, '损坏时的版本');
			expect(saved).toMatchObject({ ok: true });
			const versions = await listVersions(t.db, id);
			const manual = versions.find((v) => v.kind === 'manual')!;
			const initial = versions.find((v) => v.kind === 'initial')!;
			const mv = (await getVersion(t.db, id, manual.id))!;
			// What was saved is in the editor's schema, whatever the state held.
			expect(normalizeContent(JSON.parse(mv.content))).toEqual(JSON.parse(mv.content));
			const cmp = compareContent(storedContent((await getVersion(t.db, id, initial.id))!.content), storedContent(mv.content));
			expect(typeof cmp.html).toBe('string');

			if (what !== 'a stored update Yjs cannot decode') {
				const compacted = await compactDocument(t.db, id, { textOf });
				expect(compacted.compacted).toBe(true);
				expect((await readStored(t.db, id)).updates).toHaveLength(0);
			}

			// Restoring the first version repairs the document.
			expect(await restoreVersion(t.db, planner, id, initial.id, actor)).toMatchObject({ ok: true });
			if (what === 'a stored update Yjs cannot decode') return;
			const repaired = (await loadDoc(t.db, id)).doc;
			expect(shapeProblem(repaired)).toBeNull();
			expect(jsonOf(repaired)).toEqual(docJSON(h(1, '损坏测试'), p()));
		});
	}

	it('a version whose stored JSON is not a document still shows, exports and restores', async () => {
		const id = await newDocument();
		const bad: string[] = [
			'not json at all',
			'{"type":"doc","content":"x"}',
			'{"type":"doc","content":[{"type":"heading","attrs":{"level":1e9},"content":[{"type":"text","text":"大标题"}]},{"type":"text","text":""},null,7]}',
			'[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]'
		];
		for (const [i, content] of bad.entries()) {
			const [v] = await t.db
				.insert(documentVersions)
				.values({ documentId: id, number: 1000 + 10 * i, kind: 'manual', name: `坏的 ${i}`, state: new Uint8Array([0, 0]), content, upToSeq: 0 })
				.returning({ id: documentVersions.id });
			const md = await exportDocument(t.db, planner, id, { format: 'md', version: v.id });
			expect(md.ok).toBe(true);
			if (i === 2 && md.ok) expect(md.body.toString('utf8')).toContain('# 大标题');
			const docx = await exportDocument(t.db, planner, id, { format: 'docx', version: v.id });
			expect(docx.ok).toBe(true);
			expect(renderHtml(storedContent(content))).toEqual(expect.any(String));
			expect(await restoreVersion(t.db, planner, id, v.id, actor)).toMatchObject({ ok: true });
			expect(shapeProblem((await loadDoc(t.db, id)).doc)).toBeNull();
		}
	});
});
