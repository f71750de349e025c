// Issue 11 parts 3 and 5: the panel's opinion and the sealed dossier, tried from the side of
// those they guard against. A decided item is made through the real meeting room (Socket.IO
// clients); then: a recused member and the applicant cannot open the opinion document (domain
// and /collab), finalizing is refused until every signer signed or dissented on the text as it
// stands (also through the documents' own lock path), a signature given before the text
// changed no longer counts, the release preview is exactly the released view, the applicant's
// view carries no expert name and no score; the dossier is downloaded only by the owning
// division and admins (audited), its manifest verifies, a changed byte and a removed file are
// found, and the decision hash is checked against the database.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';
import { eq } from 'drizzle-orm';
import * as s from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { seedDemo, STEPS } from '../../src/lib/server/demo/seed';
import { meetingFixture, roomClient, startRealtime, type RealtimeServer, type RoomClient } from '../helpers/meetings';
import { actorOf, principal } from '../helpers/factories';
import { rawConnect, sessionCookie } from '../helpers/collab';
import type { ItemView, MeetingView } from '../../src/lib/meetings/protocol';
import { accessTo } from '../../src/lib/server/documents/access';
import { lockDocument } from '../../src/lib/server/documents/lock';
import { appendBlocks } from '../../src/lib/server/documents/append';
import { p as para } from '../../src/lib/server/documents/templates';
import { appointLead, finalize, previewRelease, release, sign, submitDraft } from '../../src/lib/server/opinions/commands';
import { opinionPanel, releasedForApplicant } from '../../src/lib/server/opinions/queries';
import { buildDossier } from '../../src/lib/server/dossier/build';
import { checkDecision, verifyPackage } from '../../src/lib/server/dossier/verify';
import { auditSecrets, keyFingerprint } from '../../src/lib/server/audit/secrets';
import { opinionsStep } from '../../src/lib/server/demo/opinions';

const root = path.resolve(import.meta.dirname, '../..');

function cli(args: string[]): Promise<{ code: number; out: string }> {
	const env: NodeJS.ProcessEnv = { ...process.env, PANELROOM_DATA: t.auditDir, LOG_LEVEL: 'warn' };
	delete env.DATABASE_URL;
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/dossier-verify.ts', ...args], { cwd: root, env });
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (out += d));
		child.on('exit', (code) => resolve({ code: code ?? -1, out }));
	});
}

let t: TestDatabase;
let server: RealtimeServer;
let clients: RoomClient[] = [];
let itemId: string;
let demoItemId: string;
let applicationId: string;
let meetingId: string;
const collabUrl = (id: string) => `${server.url.replace(/^http/, 'ws')}/collab/${id}`;

async function connect(id: string, ...usernames: string[]): Promise<RoomClient[]> {
	const out = await Promise.all(usernames.map((u) => roomClient(t.db, server.url, u, id)));
	clients.push(...out);
	for (const c of out) await c.join();
	return out;
}

function sheet(view: MeetingView, value: number) {
	const scores: Record<string, number> = {};
	for (const g of view.rubric.groups) for (const i of g.items) scores[i.id] = value;
	return scores;
}

const who = (u: string) => principal(t.db, u);
const act = async (u: string) => actorOf(await who(u));
const userId = async (u: string) => (await who(u)).user.id;

beforeAll(async () => {
	t = await createTestDatabase();
	await seedDemo(t.db, STEPS.filter((step) => step.name === 'organization'));
	server = await startRealtime();
	// IF2026-0004 first: expert6 works at its applicant and is recused from it.
	const f = await meetingFixture(t.db, { numbers: ['IF2026-0004', 'IF2026-0002'], requiresBallot: false });
	meetingId = f.meetingId;
	itemId = f.items[0].id;
	// The demo step seeds nothing without a decided item, and fails on nothing.
	await t.db.transaction((tx) => opinionsStep.run(tx, { passwordHash: '' }));
	expect(await t.db.select().from(s.panelOpinions)).toHaveLength(0);
	const [chair, e1, e2, e6] = await connect(meetingId, 'chair', 'expert1', 'expert2', 'expert6');
	await chair.send('meeting:start', {});
	const view = e1.state!;
	for (const [c, v] of [[chair, 84], [e1, 88], [e2, 77]] as const) expect((await c.send('score:submit', { itemId, round: 1, scores: sheet(view, v) })).ok).toBe(true);
	await chair.until((v) => (v.items[0] as ItemView).rounds[0]?.revealed, 'revealed');
	const locked = await chair.send('decision:lock', { itemId, outcome: 'fund', amount: 80, fundingMode: 'grant', rationale: '技术先进，市场前景良好，同意资助。' });
	expect(locked.ok).toBe(true);
	// A second item (IF2026-0002) decided too: the demo step's target, the first funded by number.
	demoItemId = f.items[1].id;
	expect((await chair.send('meeting:goto', { itemId: demoItemId })).ok).toBe(true);
	for (const [c, v] of [[chair, 86], [e1, 90], [e2, 83], [e6, 85]] as const) expect((await c.send('score:submit', { itemId: demoItemId, round: 1, scores: sheet(view, v) })).ok).toBe(true);
	await chair.until((v) => (v.items[1] as ItemView).rounds[0]?.revealed, 'revealed 2');
	expect((await chair.send('decision:lock', { itemId: demoItemId, outcome: 'fund', amount: 95, fundingMode: 'grant', rationale: '综合评分第一，同意资助。' })).ok).toBe(true);
	const [item] = await t.db.select().from(s.meetingItems).where(eq(s.meetingItems.id, itemId));
	applicationId = item.applicationId;
	for (const c of clients) c.close();
	clients = [];
}, 120_000);
afterEach(() => {
	for (const c of clients) c.close();
	clients = [];
});
afterAll(async () => {
	await server?.close();
	await t?.drop();
});

describe('the panel opinion', () => {
	let documentId: string;
	let applicant: Awaited<ReturnType<typeof principal>>;

	it('only the chair or the division names the lead, among the non-recused signers', async () => {
		expect(await appointLead(t.db, await who('expert1'), await act('expert1'), itemId, await userId('expert1'))).toMatchObject({ ok: false, code: 'forbidden' });
		// A recused member and an outsider are told nothing exists.
		expect(await appointLead(t.db, await who('expert6'), await act('expert6'), itemId, await userId('expert6'))).toMatchObject({ ok: false, code: 'not_found' });
		expect(await appointLead(t.db, await who('chair'), await act('chair'), itemId, await userId('expert6'))).toMatchObject({ ok: false, code: 'not_signer' });
		const r = await appointLead(t.db, await who('chair'), await act('chair'), itemId, await userId('expert1'));
		expect(r.ok).toBe(true);
		documentId = (r as { documentId: string }).documentId;
	});

	it('a recused member and the applicant cannot open the document: not by the domain, not over /collab', async () => {
		// The application's enterprise gets an account, as an applicant who registered.
		const [app] = await t.db.select({ enterpriseId: s.applications.enterpriseId }).from(s.applications).where(eq(s.applications.id, applicationId));
		const [user] = await t.db.insert(s.users).values({ username: 'applicant-opinion', name: '申报联系人', passwordHash: 'x' }).returning();
		await t.db.update(s.enterprises).set({ userId: user.id }).where(eq(s.enterprises.id, app.enterpriseId!));
		applicant = await principal(t.db, 'applicant-opinion');
		expect(applicant.enterpriseId).toBe(app.enterpriseId);
		expect(await accessTo(t.db, await who('expert6'), documentId)).toBeNull();
		expect(await accessTo(t.db, applicant, documentId)).toBeNull();
		expect((await accessTo(t.db, await who('expert2'), documentId))?.access.access).toBe('edit');
		expect((await accessTo(t.db, await who('intake'), documentId))?.access.access).toBe('view');
		for (const u of ['expert6', applicant.user.username]) {
			const cookie = await sessionCookie(t.db, u === 'expert6' ? await userId('expert6') : applicant.user.id);
			const outcome = await rawConnect(collabUrl(documentId), { cookie, origin: server.url });
			expect('status' in outcome && [403, 404].includes(outcome.status), u).toBe(true);
		}
		const ok = await rawConnect(collabUrl(documentId), { cookie: await sessionCookie(t.db, await userId('expert2')), origin: server.url });
		expect('ws' in ok).toBe(true);
		if ('ws' in ok) ok.ws.close();
		expect(await opinionPanel(t.db, await who('expert6'), itemId)).toBeNull();
		expect(await opinionPanel(t.db, applicant, itemId)).toBeNull();
	});

	it('finalizing is refused until every signer signed or dissented on the submitted text; the lock path too', async () => {
		expect(await sign(t.db, await who('expert2'), await act('expert2'), itemId, { kind: 'sign' })).toMatchObject({ ok: false, code: 'not_submitted' });
		expect(await submitDraft(t.db, await who('expert2'), await act('expert2'), itemId)).toMatchObject({ ok: false, code: 'forbidden' });
		await appendBlocks(t.db, documentId, [para('总体评价：项目技术路线清晰，团队具备产业化能力。')]);
		expect((await submitDraft(t.db, await who('expert1'), await act('expert1'), itemId)).ok).toBe(true);
		expect(await finalize(t.db, await who('chair'), await act('chair'), itemId)).toMatchObject({ ok: false, code: 'pending_signatures' });
		// Not around the rule through the documents' own lock either.
		expect(await lockDocument(t.db, await who('chair'), documentId, await act('chair'))).toMatchObject({ ok: false, reason: 'forbidden' });
		expect(await sign(t.db, await who('expert6'), await act('expert6'), itemId, { kind: 'sign' })).toMatchObject({ ok: false, code: 'not_found' });
		expect(await sign(t.db, await who('expert2'), await act('expert2'), itemId, { kind: 'dissent', dissent: '  ' })).toMatchObject({ ok: false, code: 'dissent_required' });
		expect((await sign(t.db, await who('expert2'), await act('expert2'), itemId, { kind: 'dissent', dissent: '市场规模估计偏乐观，建议降低资助额度。' })).ok).toBe(true);
		expect((await sign(t.db, await who('chair'), await act('chair'), itemId, { kind: 'sign' })).ok).toBe(true);
		const panel = await opinionPanel(t.db, await who('chair'), itemId);
		expect(panel!.ready).toBe(true);
	});

	it('a change of the text after signing invalidates the signatures; signing a stale text is refused', async () => {
		const before = await opinionPanel(t.db, await who('chair'), itemId);
		await appendBlocks(t.db, documentId, [para('补充：建议加强知识产权布局。')]);
		const after = await opinionPanel(t.db, await who('chair'), itemId);
		expect(after!.signers.every((x) => x.signature === null || x.signature.valid === false)).toBe(true);
		expect(after!.ready).toBe(false);
		expect(await finalize(t.db, await who('chair'), await act('chair'), itemId)).toMatchObject({ ok: false, code: 'stale_submission' });
		expect(await sign(t.db, await who('chair'), await act('chair'), itemId, { kind: 'sign' })).toMatchObject({ ok: false, code: 'stale_submission' });
		// A client that showed the old text cannot sign the new one with it.
		expect((await submitDraft(t.db, await who('expert1'), await act('expert1'), itemId)).ok).toBe(true);
		expect(await sign(t.db, await who('chair'), await act('chair'), itemId, { kind: 'sign', sha256: before!.opinion!.currentSha256! })).toMatchObject({ ok: false, code: 'stale_submission' });
	});

	it('the chair finalizes once all signed (or records who did not, with a reason): locked and hashed', async () => {
		expect((await sign(t.db, await who('chair'), await act('chair'), itemId, { kind: 'sign' })).ok).toBe(true);
		expect(await finalize(t.db, await who('expert1'), await act('expert1'), itemId)).toMatchObject({ ok: false, code: 'forbidden' });
		const missing = await finalize(t.db, await who('chair'), await act('chair'), itemId);
		expect(missing).toMatchObject({ ok: false, code: 'pending_signatures', pending: [await userId('expert2')] });
		// Division staff may not release an opinion that is not final.
		expect(await previewRelease(t.db, await who('intake'), itemId, { text: true, dissents: true, decision: true })).toMatchObject({ ok: false, code: 'not_finalized' });
		expect((await sign(t.db, await who('expert2'), await act('expert2'), itemId, { kind: 'dissent', dissent: '市场规模估计偏乐观，建议降低资助额度。' })).ok).toBe(true);
		const done = await finalize(t.db, await who('chair'), await act('chair'), itemId);
		expect(done.ok).toBe(true);
		const panel = await opinionPanel(t.db, await who('chair'), itemId);
		expect(panel!.lock!.sha256).toBe((done as { sha256: string }).sha256);
		expect(panel!.signers.every((x) => x.signature?.valid)).toBe(true);
		expect(await sign(t.db, await who('chair'), await act('chair'), itemId, { kind: 'sign' })).toMatchObject({ ok: false, code: 'finalized' });
		const audit = await t.db.select({ action: s.auditLog.action }).from(s.auditLog).where(eq(s.auditLog.entityType, 'panel_opinion'));
		expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['opinion.created', 'opinion.submitted', 'opinion.signed', 'opinion.dissented', 'opinion.finalized']));
	});

	it('the release preview is exactly the released view; the applicant sees it with no name and no score', async () => {
		const options = { text: true, dissents: true, decision: true };
		expect(await release(t.db, await who('chair'), await act('chair'), itemId, options)).toMatchObject({ ok: false, code: 'forbidden' });
		expect(await releasedForApplicant(t.db, applicant, applicationId)).toEqual([]);
		const preview = await previewRelease(t.db, await who('intake'), itemId, options);
		expect(preview.ok).toBe(true);
		const released = await release(t.db, await who('intake'), await act('intake'), itemId, options);
		expect(released.ok).toBe(true);
		const seen = await releasedForApplicant(t.db, applicant, applicationId);
		expect(seen).toHaveLength(1);
		expect(seen[0].view).toEqual((preview as { view: unknown }).view);
		expect(seen[0].view).toEqual((released as { view: unknown }).view);
		expect(seen[0].view.dissents).toEqual(['市场规模估计偏乐观，建议降低资助额度。']);
		expect(seen[0].view.decision).toMatchObject({ outcome: 'fund', amount: '80.00' });
		const json = JSON.stringify(seen);
		const names = (await t.db.select({ name: s.users.name }).from(s.users).innerJoin(s.meetingMembers, eq(s.meetingMembers.userId, s.users.id)).where(eq(s.meetingMembers.meetingId, meetingId))).map((r) => r.name);
		expect(names.length).toBeGreaterThan(3);
		for (const n of names) expect(json).not.toContain(n);
		const scores = await t.db.select().from(s.meetingScores).where(eq(s.meetingScores.itemId, itemId));
		for (const sc of scores) {
			expect(json).not.toContain(String(sc.total));
			for (const v of Object.values(sc.scores)) expect(json).not.toMatch(new RegExp(`\\b${v}\\b`));
		}
		expect(await release(t.db, await who('intake'), await act('intake'), itemId, options)).toMatchObject({ ok: false, code: 'released' });
		const [entry] = await t.db.select().from(s.auditLog).where(eq(s.auditLog.action, 'opinion.released'));
		expect(entry.actorName).toBe('刘芳');
		expect(entry.details).toMatchObject({ options });
	});
});

describe('the dossier', () => {
	let zip: Uint8Array;
	const key = () => ({ key: auditSecrets().key, fingerprint: keyFingerprint(auditSecrets().key) });

	it('is refused to an expert, the applicant and another division; no audit entry for them', async () => {
		for (const u of ['expert1', 'chair', 'planner']) expect((await buildDossier(t.db, await who(u), await act(u), applicationId)).ok, u).toBe(false);
		expect((await buildDossier(t.db, await who('applicant-opinion'), await act('applicant-opinion'), applicationId)).ok).toBe(false);
		expect(await t.db.select().from(s.auditLog).where(eq(s.auditLog.action, 'dossier.downloaded'))).toHaveLength(0);
	});

	it('downloaded by the owning division: every part in it, the manifest verifies, the decision hash matches the database', async () => {
		const built = await buildDossier(t.db, await who('intake'), await act('intake'), applicationId);
		expect(built.ok).toBe(true);
		if (!built.ok) return;
		zip = built.zip;
		const paths = built.manifest.files.map((f) => f.path);
		for (const part of ['application/application.json', 'application/application.html', 'intake/intake.json', 'meeting/scores.json', 'opinion/opinion.json', 'opinion/opinion.html', 'decision/decision.json', 'minutes/excerpt.txt']) expect(paths).toContain(part);
		const report = await verifyPackage(zip, key());
		expect(report).toMatchObject({ ok: true, seal: 'ok' });
		expect(report.files.every((f) => f.status === 'ok')).toBe(true);
		expect(await checkDecision(t.db, report.manifest!)).toEqual({ found: true, matches: true, recomputed: true, inForce: true });
		const [entry] = await t.db.select().from(s.auditLog).where(eq(s.auditLog.action, 'dossier.downloaded'));
		expect(entry).toMatchObject({ actorName: '刘芳', entityId: applicationId });
		// Admins too.
		expect((await buildDossier(t.db, await who('admin'), await act('admin'), applicationId)).ok).toBe(true);
	});

	it('a byte changed inside a file (re-zipped), a removed file, an extra file and a rewritten manifest are each found', async () => {
		const original = await JSZip.loadAsync(zip);
		const changed = await JSZip.loadAsync(zip);
		const bytes = await changed.file('decision/decision.json')!.async('uint8array');
		bytes[10] = bytes[10] === 0x41 ? 0x42 : 0x41;
		changed.file('decision/decision.json', bytes);
		const r1 = await verifyPackage(await changed.generateAsync({ type: 'uint8array' }), key());
		expect(r1.ok).toBe(false);
		expect(r1.files.find((f) => f.path === 'decision/decision.json')?.status).toBe('changed');
		expect(r1.files.filter((f) => f.status !== 'ok')).toHaveLength(1);

		const removed = await JSZip.loadAsync(zip);
		removed.remove('opinion/opinion.html');
		removed.file('notes.txt', 'added later');
		const r2 = await verifyPackage(await removed.generateAsync({ type: 'uint8array' }), key());
		expect(r2.files.find((f) => f.path === 'opinion/opinion.html')?.status).toBe('missing');
		expect(r2.files.find((f) => f.path === 'notes.txt')?.status).toBe('extra');
		expect(r2.ok).toBe(false);

		// Someone changes a file and its manifest entry: the seal catches it with the key.
		const forged = await JSZip.loadAsync(zip);
		const manifest = JSON.parse(await original.file('manifest.json')!.async('string'));
		const { createHash } = await import('node:crypto');
		const fake = new TextEncoder().encode('{"versions":[]}\n');
		manifest.files.find((f: { path: string }) => f.path === 'decision/decision.json').sha256 = createHash('sha256').update(fake).digest('hex');
		manifest.files.find((f: { path: string }) => f.path === 'decision/decision.json').bytes = fake.byteLength;
		forged.file('decision/decision.json', fake);
		forged.file('manifest.json', JSON.stringify(manifest));
		const r3 = await verifyPackage(await forged.generateAsync({ type: 'uint8array' }), key());
		expect(r3.files.every((f) => f.status === 'ok')).toBe(true);
		expect(r3).toMatchObject({ ok: false, seal: 'bad' });

		expect(await verifyPackage(new TextEncoder().encode('not a zip'), key())).toMatchObject({ ok: false, problem: 'notZip' });

		// The command line says the same: intact 0, changed 1, with the installation's key.
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-'));
		fs.writeFileSync(path.join(dir, 'good.zip'), zip);
		fs.writeFileSync(path.join(dir, 'bad.zip'), await changed.generateAsync({ type: 'uint8array' }));
		const good = await cli([path.join(dir, 'good.zip')]);
		expect(good.out).toContain('完整 / intact');
		expect(good.out).toContain('有效 / valid');
		expect(good.code).toBe(0);
		const bad = await cli([path.join(dir, 'bad.zip')]);
		expect(bad.code).toBe(1);
		expect(bad.out).toMatch(/已修改 \/ CHANGED\s+decision\/decision\.json/);
		fs.rmSync(dir, { recursive: true, force: true });
	}, 60_000);
});

describe('the demo step', () => {
	it('seeds a finalized, co-signed, released opinion on the first funded IF2026 item; the applicant’s view has no names', async () => {
		await t.db.transaction((tx) => opinionsStep.run(tx, { passwordHash: '' }));
		const panel = await opinionPanel(t.db, await who('chair'), demoItemId);
		expect(panel!.application.number).toBe('IF2026-0002');
		expect(panel!.lock).not.toBeNull();
		expect(panel!.signers.every((x) => x.signature?.valid)).toBe(true);
		expect(panel!.release!.view).toMatchObject({ decision: { outcome: 'fund', amount: '95.00' } });
		const json = JSON.stringify(panel!.release!.view);
		for (const m of panel!.signers) expect(json).not.toContain(m.name);
		// Its document is the opinion's: recused and outsiders cannot open it, signers can view the locked text.
		expect((await accessTo(t.db, await who('expert2'), panel!.opinion!.documentId))?.access).toMatchObject({ access: 'view', locked: true });
		expect(await accessTo(t.db, await who('expert6'), panel!.opinion!.documentId)).not.toBeNull();
		// Run again: nothing more.
		await t.db.transaction((tx) => opinionsStep.run(tx, { passwordHash: '' }));
		expect(await t.db.select().from(s.panelOpinions).where(eq(s.panelOpinions.itemId, demoItemId))).toHaveLength(1);
		expect(await t.db.transaction((tx) => opinionsStep.done(tx))).toBe(true);
	});
});
