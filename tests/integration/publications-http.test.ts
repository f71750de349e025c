// Publication over HTTP against the built server, from the attacker's side: the public pages
// and API without sign-in leak nothing about experts, scores, declined applicants or
// objectors; the objection form and API refuse scripts (no token, a forged, too fast or
// replayed one, the honeypot filled) and floods (per address); non-staff cannot handle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { login, startServer, type TestServer } from '../helpers/server';
import { openDatabase, rows } from '../../src/lib/server/db';

let srv: TestServer;
const cookies: Record<string, string> = {};
let publicationId = '';
let rowId = '';
let objectionId = '';
const expertNames: string[] = [];

const MIN_FILL_MS = 400;

async function withDb<T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> {
	// PGlite allows one process: stop the server while the test reads its database.
	if (!srv.databaseUrl) await srv.stop();
	const database = await openDatabase(srv.databaseUrl ? { databaseUrl: srv.databaseUrl, max: 1 } : { dataDir: srv.dataDir });
	try {
		return await fn(database.db);
	} finally {
		await database.close();
		if (!srv.databaseUrl) await srv.restart();
	}
}

beforeAll(async () => {
	srv = await startServer({ PANELROOM_OBJECTION_MIN_FILL_MS: String(MIN_FILL_MS), PANELROOM_OBJECTION_RATE: '4', ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1' });
	await withDb(async (db) => {
		const [p] = await rows<{ id: string }>(db, sql`SELECT id FROM publications WHERE status = 'open' LIMIT 1`);
		publicationId = p.id;
		const [r] = await rows<{ id: string }>(db, sql`SELECT id FROM publication_rows WHERE publication_id = ${p.id} ORDER BY position LIMIT 1`);
		rowId = r.id;
		const [o] = await rows<{ id: string }>(db, sql`SELECT id FROM publication_objections WHERE publication_id = ${p.id} LIMIT 1`);
		objectionId = o.id;
		cachedCall = (await rows<{ id: string }>(db, sql`SELECT call_id AS id FROM publications WHERE id = ${p.id}`))[0].id;
		for (const e of await rows<{ name: string }>(db, sql`SELECT name FROM experts`)) expertNames.push(e.name);
	});
	for (const u of ['intake', 'planner', 'expert1', 'applicant1', 'chair']) cookies[u] = await login(srv.url, u);
}, 180_000);
afterAll(async () => srv?.dispose());

let ipSerial = 0;
const freshIp = () => `10.9.${Math.floor(++ipSerial / 250)}.${ipSerial % 250}`;

function get(path: string, who?: string, ip = freshIp()) {
	return fetch(srv.url + path, { redirect: 'manual', headers: { 'x-forwarded-for': ip, ...(who ? { cookie: cookies[who] } : {}) } });
}

function postObjection(body: Record<string, unknown>, opts: { ip?: string; who?: string } = {}) {
	return fetch(`${srv.url}/api/publications/${publicationId}/objections`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-forwarded-for': opts.ip ?? freshIp(), ...(opts.who ? { cookie: cookies[opts.who] } : {}) },
		body: JSON.stringify(body)
	});
}

const objection = (extra: Record<string, unknown> = {}) => ({
	kind: 'organization',
	name: '某某科技集团有限公司',
	contactName: '孙经理',
	phone: '021-55556666',
	address: '上海市浦东新区张江路 100 号',
	rowId,
	grounds: '该项目的核心技术与本公司在先专利高度重合，申报单位未取得授权，请予核查。',
	...extra
});

async function token(ip: string): Promise<{ token: string; notBefore: string }> {
	const res = await get(`/api/publications/${publicationId}/objections/token`, undefined, ip);
	expect(res.status).toBe(200);
	return res.json();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function leaksNothing(text: string) {
	for (const name of expertNames) expect(text, `expert ${name}`).not.toContain(name);
	// The declined application of the demo's second meeting, and the pending objection's author.
	expect(text).not.toContain('西安秦川智能装备有限公司');
	expect(text).not.toContain('IF2026-0009');
	expect(text).not.toContain('赵文博');
	expect(text).not.toContain('028-86661234');
	expect(text).not.toMatch(/"(scores?|totals?|ballot|basis|rationale|receiptHash)"/);
}

describe('the public side, signed out', () => {
	it('serves the list, the notice and the JSON API without sign-in and leaks nothing', async () => {
		const list = await get('/public/publications');
		expect(list.status).toBe(200);
		const listHtml = await list.text();
		expect(listHtml).toContain('2026年度创新基金拟立项项目公示（第二组）');
		leaksNothing(listHtml);
		const page = await get(`/public/publications/${publicationId}`);
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain('武汉光谷激光装备有限公司');
		expect(html).toContain('name="website"');
		leaksNothing(html);
		// Intranet-safe: nothing is loaded from another host.
		expect(html).not.toMatch(/(src|href)="https?:\/\/(?!127\.0\.0\.1)/);
		const api = await get('/api/publications');
		expect(api.status).toBe(200);
		const json = await api.text();
		expect(JSON.parse(json).publications.length).toBeGreaterThan(0);
		leaksNothing(json);
	});

	it('refuses objections without a token, with a forged, a too-fast or a replayed one, and with the honeypot filled', async () => {
		const before = await (await get('/api/publications')).text();
		const ip = freshIp();
		const none = await postObjection(objection(), { ip });
		expect(none.status).toBe(403);
		expect((await none.json()).message).toContain('表单');
		const forged = await postObjection(objection({ token: `${publicationId}.abc.def.ghi` }));
		expect(forged.status).toBe(403);
		const t1 = await token(freshIp());
		const fast = await postObjection(objection({ token: t1.token }));
		expect(fast.status).toBe(403);
		expect((await fast.json()).message).toContain('过快');
		await sleep(MIN_FILL_MS + 100);
		const honeypot = await postObjection(objection({ token: t1.token, website: 'http://spam.example' }));
		expect(honeypot.status).toBe(403);
		const ok = await postObjection(objection({ token: t1.token }));
		expect(ok.status).toBe(201);
		const { receipt } = await ok.json();
		expect(receipt).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
		const replay = await postObjection(objection({ token: t1.token }));
		expect(replay.status).toBe(409);
		expect((await replay.json()).message).toContain('重复提交');
		// A token of another publication does not fit this one.
		const other = t1.token.replace(publicationId, '00000000-0000-4000-8000-000000000000');
		expect((await postObjection(objection({ token: other }))).status).toBe(403);
		// The receipt shows the handling, never the objector.
		const status = await get(`/public/objections?code=${encodeURIComponent(receipt)}`);
		const statusHtml = await status.text();
		expect(statusHtml).toContain('已收到');
		expect(statusHtml).not.toContain('孙经理');
		expect(before).not.toContain('某某科技集团有限公司');
	});

	it('answers bad input in the user’s language and writes nothing', async () => {
		const t = await token(freshIp());
		await sleep(MIN_FILL_MS + 50);
		const res = await fetch(`${srv.url}/api/publications/${publicationId}/objections`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-forwarded-for': freshIp(), 'accept-language': 'en', cookie: 'PARAGLIDE_LOCALE=en' },
			body: JSON.stringify(objection({ token: t.token, contactName: '', grounds: '太短' }))
		});
		expect(res.status).toBe(400);
		const body = await res.json();
		expect(Object.keys(body.errors).sort()).toEqual(['contactName', 'grounds']);
		const notJson = await fetch(`${srv.url}/api/publications/${publicationId}/objections`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': freshIp() }, body: '{oops' });
		expect(notJson.status).toBe(400);
	});

	it('limits submissions per address', async () => {
		const ip = freshIp();
		const statuses: number[] = [];
		for (let i = 0; i < 6; i++) statuses.push((await postObjection(objection(), { ip })).status);
		expect(statuses.slice(0, 4)).toEqual([403, 403, 403, 403]);
		expect(statuses.slice(4)).toEqual([429, 429]);
		// Another address is not affected.
		expect((await postObjection(objection())).status).toBe(403);
	});

	it('takes the public form (multipart, with a PDF) and gives a receipt', async () => {
		const ip = freshIp();
		const html = await (await get(`/public/publications/${publicationId}`, undefined, ip)).text();
		const tokenValue = /name="token" value="([^"]+)"/.exec(html)?.[1];
		expect(tokenValue).toBeTruthy();
		await sleep(MIN_FILL_MS + 50);
		const form = new FormData();
		for (const [k, v] of Object.entries({ ...objection({ kind: 'person', name: '李四', organization: '某大学', title: '教授' }), token: tokenValue!, website: '' })) form.append(k, String(v));
		const pdf = '%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\nxref\n0 1\n0000000000 65535 f \ntrailer<</Root 1 0 R>>\nstartxref\n60\n%%EOF\n';
		const at = pdf.indexOf('xref');
		form.append('files', new Blob([pdf.replace('startxref\n60', `startxref\n${at}`)], { type: 'application/pdf' }), '证据.pdf');
		const res = await fetch(`${srv.url}/public/publications/${publicationId}`, { method: 'POST', headers: { origin: srv.url, 'x-forwarded-for': ip, accept: 'application/json', 'x-sveltekit-action': 'true' }, body: form });
		const body = await res.json();
		expect(body.type).toBe('success');
		expect(body.data).toContain('-');
	});
});

describe('accounts and staff', () => {
	it('an applicant objects from their account, without a token', async () => {
		const res = await postObjection(objection({ kind: 'person', name: '李明', organization: '北京智芯感知科技有限公司', title: '总经理' }), { who: 'applicant1' });
		expect(res.status).toBe(201);
	});

	it('only the call’s staff open the handling page and see objectors; others are refused', async () => {
		const staff = await get(`/calls/${(await callId())}/publication`, 'intake');
		expect(staff.status).toBe(200);
		expect(await staff.text()).toContain('赵文博');
		for (const u of ['expert1', 'applicant1', 'chair']) expect((await get(`/calls/${await callId()}/publication`, u)).status).toBe(403);
		expect((await get(`/calls/${await callId()}/publication`, 'planner')).status).toBe(404);
		const anon = await get(`/calls/${await callId()}/publication`);
		expect(anon.status).toBe(303);
	});

	it('refuses handling actions to non-staff, changing nothing', async () => {
		for (const u of ['expert1', 'applicant1', 'planner', 'chair']) {
			for (const [name, fields] of [
				['acknowledge', { id: objectionId }],
				['decide', { id: objectionId, outcome: 'upheld', reason: '越权处理结果' }],
				['finalize', { id: publicationId }]
			] as const) {
				const res = await fetch(`${srv.url}/calls/${await callId()}/publication?/${name}`, {
					method: 'POST',
					headers: { 'content-type': 'application/x-www-form-urlencoded', origin: srv.url, accept: 'application/json', 'x-sveltekit-action': 'true', cookie: cookies[u] },
					body: new URLSearchParams(fields as Record<string, string>)
				});
				const body = (await res.json()) as { type: string; status?: number };
				expect(['error', 'failure'], `${u} ${name}`).toContain(body.type);
				expect([403, 404], `${u} ${name}`).toContain(body.status ?? res.status);
			}
		}
		const html = await (await get(`/calls/${await callId()}/publication`, 'intake')).text();
		expect(html).toContain('已收到');
	});
});

let cachedCall = '';
async function callId(): Promise<string> {
	return cachedCall;
}
