// The documents domain on a real database (no collaboration server running): the seeded
// documents, access by owner and share, listing and search, creating from templates,
// comments, versions and restore, lock and reopen (with the database refusing changes),
// exports and the comparison of versions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import JSZip from 'jszip';
import { eq, sql } from 'drizzle-orm';
import { auditLog, calls, documentLocks, documents, users } from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { seedDemo, STEPS } from '../../src/lib/server/demo/seed';
import { ANNUAL_PLAN_TITLE, GUIDELINE_TITLE } from '../../src/lib/server/demo/documents';
import { loadPrincipal, type Principal } from '../../src/lib/server/auth/principal';
import { createDocument, currentContent, getDocument, listDocuments, ownerChoices } from '../../src/lib/server/documents';
import { reply, listThreads, setResolved, startThread } from '../../src/lib/server/documents/comments';
import { listVersions, restoreVersion, saveVersion, getVersion } from '../../src/lib/server/documents/versions';
import { lockDocument, reopenDocument, sha256Hex } from '../../src/lib/server/documents/lock';
import { setShare } from '../../src/lib/server/documents/shares';
import { canonicalJSON, docFromJSON, jsonOf, textOf, FRAGMENT_FOR_TESTS } from './documents-support';
import { toDocx, toMarkdown } from '../../src/lib/server/documents/export';
import { compareContent, renderHtml } from '../../src/lib/server/documents/render';
import { appendUpdate, loadDoc } from '../../src/lib/server/collab/persistence';
import { rows } from '../../src/lib/server/db';
import { readAnchors } from '../../src/lib/server/audit/anchors';
import { verifyAudit } from '../../src/lib/server/audit/verify';

let t: TestDatabase;
const who: Record<string, Principal> = {};
const actor = { name: 'test', ip: '127.0.0.1' };

beforeAll(async () => {
	t = await createTestDatabase();
	// The demo before the decided second panel and its publication: three applications await a draw, one lock in the trail.
	await seedDemo(t.db, STEPS.filter((step) => !['publications', 'opinions'].includes(step.name)));
	for (const name of ['planner', 'zhouxiaoyan', 'intake', 'wanghaitao', 'zhanglixin', 'gaofeng', 'expert1', 'admin', 'applicant1']) {
		const [u] = await t.db.select().from(users).where(eq(users.username, name));
		who[name] = await loadPrincipal(t.db, { ...u }, 'test-session');
	}
});
afterAll(async () => t?.drop());

async function docId(title: string): Promise<string> {
	const [d] = await t.db.select({ id: documents.id }).from(documents).where(eq(documents.title, title));
	return d.id;
}

describe('the seeded documents', () => {
	it('are valid Tiptap documents with the planned sections, and the guideline is the IF2026 call’s', async () => {
		const plan = await docId(ANNUAL_PLAN_TITLE);
		const guideline = await docId(GUIDELINE_TITLE);
		const { doc } = await loadDoc(t.db, plan);
		expect(doc.share.has(FRAGMENT_FOR_TESTS)).toBe(true);
		const text = textOf(doc);
		for (const section of ['一、主要任务', '二、工作目标', '三、重点支持领域', '四、支持方式与资金安排', '五、申报要求', '六、评审标准', '七、进度安排']) {
			expect(text).toContain(section);
		}
		const json = jsonOf((await loadDoc(t.db, guideline)).doc);
		expect(json.content?.some((n) => n.type === 'table')).toBe(true);
		expect(textOf((await loadDoc(t.db, guideline)).doc)).toContain('不超过100万元');
		const [call] = await t.db.select().from(calls).where(eq(calls.code, 'IF2026'));
		expect(call.guidelineDocumentId).toBe(guideline);
	});
});

describe('access', () => {
	it('division members edit, the head locks, other divisions see nothing; program divisions comment', async () => {
		const plan = await docId(ANNUAL_PLAN_TITLE);
		const guideline = await docId(GUIDELINE_TITLE);
		expect((await getDocument(t.db, who.planner, plan))?.access).toMatchObject({ access: 'edit', canLock: true });
		expect((await getDocument(t.db, who.zhouxiaoyan, plan))?.access).toMatchObject({ access: 'edit', canLock: false });
		expect(await getDocument(t.db, who.intake, plan)).toBeNull();
		expect(await getDocument(t.db, who.expert1, plan)).toBeNull();
		expect(await getDocument(t.db, who.applicant1, plan)).toBeNull();
		expect((await getDocument(t.db, who.intake, guideline))?.access).toMatchObject({ access: 'edit', canLock: false });
		expect((await getDocument(t.db, who.wanghaitao, guideline))?.access).toMatchObject({ access: 'edit', canLock: true });
		expect((await getDocument(t.db, who.zhanglixin, guideline))?.access).toMatchObject({ access: 'comment' });
		expect(await getDocument(t.db, who.gaofeng, guideline)).toBeNull();
		expect((await getDocument(t.db, who.admin, guideline))?.access).toMatchObject({ access: 'edit', canLock: true });
	});

	it('a share gives a person more, never less, and only a manager may share', async () => {
		const plan = await docId(ANNUAL_PLAN_TITLE);
		expect(await setShare(t.db, who.intake, plan, who.expert1.user.id, 'view', actor)).toEqual({ ok: false, reason: 'not_found' });
		expect(await setShare(t.db, who.zhouxiaoyan, plan, who.expert1.user.id, 'comment', actor)).toEqual({ ok: true });
		expect((await getDocument(t.db, who.expert1, plan))?.access.access).toBe('comment');
		expect((await listDocuments(t.db, who.expert1)).map((d) => d.title)).toEqual([ANNUAL_PLAN_TITLE]);
		expect(await setShare(t.db, who.expert1, plan, who.intake.user.id, 'edit', actor)).toEqual({ ok: false, reason: 'forbidden' });
		await setShare(t.db, who.zhouxiaoyan, plan, who.expert1.user.id, 'none', actor);
		expect(await getDocument(t.db, who.expert1, plan)).toBeNull();
	});
});

describe('listing and creating', () => {
	it('lists what one may open, by division and kind, and finds by text', async () => {
		const mine = await listDocuments(t.db, who.intake);
		expect(mine.map((d) => d.title)).toEqual([GUIDELINE_TITLE]);
		expect((await listDocuments(t.db, who.admin)).length).toBeGreaterThanOrEqual(2);
		const [planning] = await rows<{ id: string }>(t.db, sql`SELECT id FROM divisions WHERE code = 'planning'`);
		expect((await listDocuments(t.db, who.admin, { divisionId: planning.id })).map((d) => d.title)).toEqual([ANNUAL_PLAN_TITLE]);
		expect((await listDocuments(t.db, who.admin, { kind: 'guideline' })).map((d) => d.title)).toEqual([GUIDELINE_TITLE]);
		// Words from the body, not the title.
		expect((await listDocuments(t.db, who.admin, { q: '贷款贴息' })).length).toBe(2);
		expect((await listDocuments(t.db, who.admin, { q: '不存在的词语' })).length).toBe(0);
		expect((await listDocuments(t.db, who.admin, { q: '50%' })).length).toBe(2);
	});

	it('creates from a template where one may edit, and nowhere else', async () => {
		const choices = await ownerChoices(t.db, who.planner);
		expect(choices.map((c) => c.name)).toEqual(['综合计划处', '火炬计划项目']);
		const planning = choices[0];
		const made = await createDocument(t.db, who.planner, { title: '2027年度工作计划', kind: 'plan', owner: planning, template: 'annualPlan' }, actor);
		expect(made.ok).toBe(true);
		if (!made.ok) return;
		const text = textOf((await loadDoc(t.db, made.id)).doc);
		expect(text.split('\n')[0]).toBe('2027年度工作计划');
		expect(text).toContain('2027年1月');
		expect(await createDocument(t.db, who.intake, { title: 'x', kind: 'notes', owner: planning, template: 'blank' }, actor)).toEqual({ ok: false, reason: 'forbidden' });
		const [entry] = await t.db.select().from(auditLog).where(eq(auditLog.entityId, made.id));
		expect(entry.action).toBe('document.created');
		expect((await listVersions(t.db, made.id)).map((v) => v.kind)).toEqual(['initial']);
	});
});

describe('comments', () => {
	it('threads with replies, resolved and reopened; commenters may, viewers may not', async () => {
		const guideline = await docId(GUIDELINE_TITLE);
		const { doc } = await loadDoc(t.db, guideline);
		const fragment = doc.getXmlFragment(FRAGMENT_FOR_TESTS);
		const anchor = (i: number) => Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(fragment, i))).toString('base64');
		const started = await startThread(t.db, who.zhanglixin, guideline, { anchorStart: anchor(0), anchorEnd: anchor(1), quote: '申报指南', body: '标题建议加上“（征求意见稿）”。' });
		expect(started.ok).toBe(true);
		if (!started.ok) return;
		expect((await reply(t.db, who.intake, guideline, started.id, '同意，定稿前去掉。')).ok).toBe(true);
		expect(await startThread(t.db, who.zhanglixin, guideline, { anchorStart: 'bm90IGFuIGFuY2hvcg==', anchorEnd: anchor(1), quote: '', body: 'x' })).toEqual({ ok: false, reason: 'bad_anchor' });
		expect(await startThread(t.db, who.gaofeng, guideline, { anchorStart: anchor(0), anchorEnd: anchor(1), quote: '', body: 'x' })).toEqual({ ok: false, reason: 'not_found' });
		const plan = await docId(ANNUAL_PLAN_TITLE);
		await setShare(t.db, who.planner, plan, who.expert1.user.id, 'view', actor);
		expect(await startThread(t.db, who.expert1, plan, { anchorStart: anchor(0), anchorEnd: anchor(1), quote: '', body: 'x' })).toEqual({ ok: false, reason: 'forbidden' });
		expect((await setResolved(t.db, who.zhanglixin, guideline, started.id, true)).ok).toBe(true);
		let [thread] = await listThreads(t.db, guideline);
		expect(thread).toMatchObject({ body: '标题建议加上“（征求意见稿）”。', quote: '申报指南', resolvedBy: '张立新' });
		expect(thread.replies.map((r) => r.author.name)).toEqual(['刘芳']);
		await setResolved(t.db, who.intake, guideline, started.id, false);
		[thread] = await listThreads(t.db, guideline);
		expect(thread.resolvedAt).toBeNull();
	});
});

describe('comment anchors', () => {
	it('keep covering the same words while others edit before, inside and after them', () => {
		const json = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '支持方式为无偿资助和贷款贴息。' }] }] };
		const a = docFromJSON(json);
		const b = new Y.Doc();
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		const text = (a.getXmlFragment(FRAGMENT_FOR_TESTS).get(0) as Y.XmlElement).get(0) as Y.XmlText;
		// The comment covers 无偿资助 (characters 5–9).
		const start = Y.createRelativePositionFromTypeIndex(text, 5);
		const end = Y.createRelativePositionFromTypeIndex(text, 9);
		const stored = [Y.encodeRelativePosition(start), Y.encodeRelativePosition(end)];
		// Concurrent edits on the other side: before the range, inside it, after it.
		const other = (b.getXmlFragment(FRAGMENT_FOR_TESTS).get(0) as Y.XmlElement).get(0) as Y.XmlText;
		other.insert(0, '一般项目的');
		text.insert(15, '（视情况）');
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
		const quoted = (d: Y.Doc) => {
			const [s, e] = stored.map((bytes) => Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(bytes), d)!.index);
			const t = ((d.getXmlFragment(FRAGMENT_FOR_TESTS).get(0) as Y.XmlElement).get(0) as Y.XmlText).toString();
			return t.slice(s, e);
		};
		expect(quoted(a)).toBe('无偿资助');
		expect(quoted(b)).toBe('无偿资助');
	});
});

describe('versions', () => {
	it('saves named versions, compares them, and restores one as a new change', async () => {
		const made = await createDocument(t.db, who.planner, { title: '版本测试', kind: 'notes', owner: (await ownerChoices(t.db, who.planner))[0], template: 'blank' }, actor);
		if (!made.ok) throw new Error('not created');
		const edit = async (change: (f: Y.XmlFragment) => void) => {
			const { doc } = await loadDoc(t.db, made.id);
			const sv = Y.encodeStateVector(doc);
			change(doc.getXmlFragment(FRAGMENT_FOR_TESTS));
			await appendUpdate(t.db, made.id, Y.encodeStateAsUpdate(doc, sv));
		};
		const paragraph = (text: string) => {
			const p = new Y.XmlElement('paragraph');
			p.insert(0, [new Y.XmlText(text)]);
			return p;
		};
		await edit((f) => f.insert(f.length, [paragraph('第一稿的内容。')]));
		expect(await saveVersion(t.db, who.planner, made.id, '第一稿')).toMatchObject({ ok: true, number: 2 });
		await edit((f) => f.insert(f.length, [paragraph('第二稿新增的段落。')]));
		const versions = await listVersions(t.db, made.id);
		expect(versions.map((v) => [v.number, v.kind, v.name])).toEqual([
			[2, 'manual', '第一稿'],
			[1, 'initial', null]
		]);
		const first = await getVersion(t.db, made.id, versions[0].id);
		const now = await currentContent(t.db, made.id);
		const diff = compareContent(JSON.parse(first!.content), now.json);
		expect(diff.inserted).toBe(1);
		expect(diff.html).toContain('第二稿新增的段落。');
		expect(diff.html).toContain('diff-insert');

		expect(await restoreVersion(t.db, who.planner, made.id, versions[0].id, actor)).toMatchObject({ ok: true, number: 3 });
		const restored = textOf((await loadDoc(t.db, made.id)).doc);
		expect(restored).toContain('第一稿的内容。');
		expect(restored).not.toContain('第二稿新增的段落。');
		// History is intact: the version with the second draft's text is still readable through the updates.
		expect((await listVersions(t.db, made.id)).map((v) => v.kind)).toEqual(['restore', 'manual', 'initial']);
		expect(await saveVersion(t.db, who.intake, made.id, 'x')).toEqual({ ok: false, reason: 'not_found' });
	});

	it('compares inside a changed paragraph character by character', () => {
		const a = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '资助额度不超过100万元。' }] }] };
		const b = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '资助额度一般不超过200万元。' }] }] };
		const diff = compareContent(a, b);
		expect(diff.changed).toBe(1);
		expect(diff.html).toContain('<ins>一般</ins>');
		expect(diff.html).toContain('<del>100</del><ins>200</ins>');
	});
});

describe('lock and reopen', () => {
	it('the head locks: final content hashed and audited, read-only everywhere; only an admin reopens, with a reason', async () => {
		const plan = await docId(ANNUAL_PLAN_TITLE);
		expect(await lockDocument(t.db, who.zhouxiaoyan, plan, actor)).toEqual({ ok: false, reason: 'forbidden' });
		const locked = await lockDocument(t.db, who.planner, plan, actor);
		expect(locked.ok).toBe(true);
		if (!locked.ok) return;
		const [lock] = await t.db.select().from(documentLocks).where(eq(documentLocks.documentId, plan));
		expect(lock.contentSha256).toBe(sha256Hex(lock.content));
		expect(lock.content).toBe(canonicalJSON(jsonOf((await loadDoc(t.db, plan)).doc)));
		expect(locked.sha256).toBe(lock.contentSha256);
		const details = await getDocument(t.db, who.planner, plan);
		expect(details?.access).toMatchObject({ access: 'view', locked: true, canLock: false, canReopen: false });
		expect(details?.lock?.lockedByName).toBe('李卫东');
		const [entry] = await rows<{ action: string; details: { sha256: string } }>(t.db, sql`SELECT action, details FROM audit_log WHERE entity_id = ${plan} AND action = 'document.locked'`);
		expect(entry.details.sha256).toBe(lock.contentSha256);
		// The audit chain head is printed on the lock record and anchored outside the database.
		expect(lock.auditAnchor).toMatch(/^#\d+ [0-9a-f]{64}$/);
		expect(details?.lock?.auditAnchor).toBe(lock.auditAnchor);
		const anchors = readAnchors(t.audit.anchorsPath, t.audit.key).anchors;
		expect(anchors.at(-1)).toMatchObject({ reason: 'lock:document' });
		expect(anchors.at(-1)!.seq).toBeGreaterThan(Number(lock.auditAnchor!.split(' ')[0].slice(1)));
		expect(await verifyAudit(t.db, t.audit)).toMatchObject({ ok: true, records: { checked: 1 } });
		// Every channel refuses: comments, versions, updates, the database.
		expect((await saveVersion(t.db, who.planner, plan, 'x')).ok).toBe(false);
		await expect(appendUpdate(t.db, plan, new Uint8Array([0, 0]))).rejects.toThrow(/locked/);
		expect(await lockDocument(t.db, who.planner, plan, actor)).toEqual({ ok: false, reason: 'already_locked' });
		expect(await reopenDocument(t.db, who.planner, plan, '需要修改', actor)).toEqual({ ok: false, reason: 'forbidden' });
		const reopened = await reopenDocument(t.db, who.admin, plan, '财政预算调整，需修改资金安排', actor);
		expect(reopened.ok).toBe(true);
		expect((await getDocument(t.db, who.planner, plan))?.access).toMatchObject({ access: 'edit', locked: false });
		const [after] = await t.db.select().from(documentLocks).where(eq(documentLocks.documentId, plan));
		expect(after).toMatchObject({ reopenReason: '财政预算调整，需修改资金安排', contentSha256: lock.contentSha256 });
		expect((await listVersions(t.db, plan)).slice(0, 2).map((v) => [v.kind, v.name])).toEqual([
			['reopen', '财政预算调整，需修改资金安排'],
			['lock', '定稿']
		]);
	});
});

describe('exports', () => {
	it('Markdown keeps headings, lists, tables and marks', async () => {
		const { json } = await currentContent(t.db, await docId(GUIDELINE_TITLE));
		const md = toMarkdown(json);
		expect(md.startsWith(`# ${GUIDELINE_TITLE}\n`)).toBe(true);
		expect(md).toContain('## 二、支持方式与额度');
		expect(md).toContain('| 支持方式 | 一般项目 | 重点项目 | 说明 |');
		expect(md).toContain('| --- | --- | --- | --- |');
		expect(md).toContain('- **电子信息**：');
		expect(md).toContain('1. 在中国境内注册');
		expect(md).toContain('[Panelroom 评审会议室](https://panelroom.example.cn)');
	});

	it('DOCX opens as a Word document with the Chinese text, headings, lists and tables', async () => {
		const { json } = await currentContent(t.db, await docId(GUIDELINE_TITLE));
		const buffer = await toDocx(json, { title: GUIDELINE_TITLE, footer: 'SHA-256 abc' });
		const zip = await JSZip.loadAsync(buffer);
		const xml = await zip.file('word/document.xml')!.async('string');
		expect(xml).toContain('2026年度科技型中小企业技术创新基金项目申报指南');
		expect(xml).toContain('w:pStyle w:val="Heading1"');
		expect(xml).toContain('w:pStyle w:val="Heading2"');
		expect(xml).toContain('<w:tbl>');
		expect(xml).toContain('<w:numPr>');
		expect(await zip.file('word/numbering.xml')!.async('string')).toContain('w:numFmt');
		expect(await zip.file('word/styles.xml')!.async('string')).toContain('w:eastAsia="宋体"');
	});

	it('HTML escapes text and drops unsafe links', () => {
		const html = renderHtml({
			type: 'doc',
			content: [{ type: 'paragraph', content: [{ type: 'text', text: '<script>x</script>', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] }] }]
		});
		expect(html).toBe('<p>&lt;script&gt;x&lt;/script&gt;</p>');
	});
});
