// Issue 11, a dead end tried as a new user would: the applicant's 打开指南文档 link on the
// new-application page led to a 404. A published call's guideline is what applicants apply
// against: a signed-in applicant reads it (page, print, JSON API, export, /collab), read only
// (no edits, no comments), and an expert reviewing the call reads it too; the guideline of a
// call still in draft stays the division's. Against the built server on the demo data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { calls } from '../../db/schema';
import { openDatabase } from '../../src/lib/server/db';
import { login, startServer, type TestServer } from '../helpers/server';
import { connectClient, rawConnect, synced, typeInto, waitFor, type Client } from '../helpers/collab';

let srv: TestServer;
const cookie: Record<string, string> = {};
let guideline: string;
const open: Client[] = [];

async function withDatabase<T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> {
	await srv.stop();
	const database = await openDatabase(srv.databaseUrl ? { databaseUrl: srv.databaseUrl, max: 1 } : { dataDir: srv.dataDir });
	try {
		return await fn(database.db);
	} finally {
		await database.close();
		await srv.restart();
	}
}

const get = (path: string, who: string) => fetch(srv.url + path, { redirect: 'manual', headers: { cookie: cookie[who] } });

beforeAll(async () => {
	srv = await startServer();
	for (const name of ['applicant1', 'expert1', 'intake']) cookie[name] = await login(srv.url, name);
	const list = (await (await get('/api/documents?kind=guideline', 'intake')).json()) as { documents: { id: string; kind: string }[] };
	guideline = list.documents.find((d) => d.kind === 'guideline')!.id;
}, 120_000);

afterAll(async () => {
	for (const c of open) c.destroy();
	await srv?.dispose();
});

describe('an applicant reads the published call’s guideline', () => {
	it('the new-application page links it, and the link opens (page, print, API, export): read only', async () => {
		const page = await (await get('/applications/new', 'applicant1')).text();
		expect(page).toContain(`/documents/${guideline}`);
		// The editor page loads the content over /collab (below); print and export carry it.
		const editor = await get(`/documents/${guideline}`, 'applicant1');
		expect(editor.status).toBe(200);
		await editor.arrayBuffer();
		for (const p of [`/documents/${guideline}/print`, `/api/documents/${guideline}/export?format=md`]) {
			const res = await get(p, 'applicant1');
			expect(res.status, p).toBe(200);
			expect(await res.text(), p).toContain('不超过100万元');
		}
		const details = (await (await get(`/api/documents/${guideline}`, 'applicant1')).json()) as Record<string, unknown>;
		expect(details).toMatchObject({ kind: 'guideline', access: 'view', canLock: false, canReopen: false });
		expect(details).toMatchObject({ kind: 'guideline', access: 'view' });
		// The owners' comment threads and the history of drafts are not the applicant's.
		for (const p of [`/api/documents/${guideline}/comments`, `/api/documents/${guideline}/versions`]) {
			const res = await get(p, 'applicant1');
			await res.arrayBuffer();
			expect(res.status, p).toBe(404);
		}
		// No comments others would see, no shares, no versions, no lock.
		const post = (path: string, body: unknown) =>
			fetch(srv.url + path, { method: 'POST', headers: { cookie: cookie.applicant1, 'content-type': 'application/json', origin: srv.url }, body: JSON.stringify(body) });
		for (const [path, body] of [
			[`/api/documents/${guideline}/comments`, { anchorStart: 'a', anchorEnd: 'b', quote: '', body: '申请人评论' }],
			[`/api/documents/${guideline}/shares`, { userId: '00000000-0000-0000-0000-000000000000', access: 'edit' }],
			[`/api/documents/${guideline}/versions`, { name: '申请人版本' }],
			[`/api/documents/${guideline}/lock`, {}]
		] as const) {
			const res = await post(path, body);
			await res.arrayBuffer();
			expect([400, 403, 404], path).toContain(res.status);
			expect(res.status, path).not.toBe(200);
		}
	});

	it('over /collab the applicant syncs the text, and its edits are refused', async () => {
		const staff = connectClient(srv.url, guideline, { cookie: cookie.intake, origin: srv.url });
		const reader = connectClient(srv.url, guideline, { cookie: cookie.applicant1, origin: srv.url, events: true });
		open.push(staff, reader);
		await Promise.all([synced(staff), synced(reader)]);
		expect(reader.text()).toContain('创新驱动发展战略');
		expect(reader.events).toContainEqual({ type: 'access', access: 'view', locked: false });
		typeInto(reader.doc, 0, '申请人改写');
		await waitFor(() => reader.denied.length > 0);
		// The staff's own edit goes through, and never carries the applicant's.
		typeInto(staff.doc, 0, '（修订）');
		await waitFor(() => staff.text().startsWith('（修订）'));
		await new Promise((r) => setTimeout(r, 300));
		expect(staff.text()).not.toContain('申请人改写');
		for (const c of open.splice(0)) c.destroy();
	});

	it('an expert reviewing the call reads it too, read only', async () => {
		const details = (await (await get(`/api/documents/${guideline}`, 'expert1')).json()) as Record<string, unknown>;
		expect(details).toMatchObject({ access: 'view', canLock: false });
	});

	it('the guideline of a call still in draft is not the applicant’s to read', async () => {
		await withDatabase((db) => db.update(calls).set({ status: 'draft' }).where(eq(calls.guidelineDocumentId, guideline)));
		cookie.applicant1 = await login(srv.url, 'applicant1');
		try {
			for (const p of [`/documents/${guideline}`, `/api/documents/${guideline}`, `/api/documents/${guideline}/export?format=md`]) {
				const res = await get(p, 'applicant1');
				await res.arrayBuffer();
				expect(res.status, p).toBe(404);
			}
			const ws = await rawConnect(`${srv.url.replace(/^http/, 'ws')}/collab/${guideline}`, { cookie: cookie.applicant1, origin: srv.url });
			expect('status' in ws ? ws.status : 0).toBeGreaterThanOrEqual(403);
			// Staff still edit their draft.
			expect(((await (await get(`/api/documents/${guideline}`, 'intake')).json()) as { access: string }).access).toBe('edit');
		} finally {
			await withDatabase((db) => db.update(calls).set({ status: 'open' }).where(eq(calls.guidelineDocumentId, guideline)));
		}
	});
});
