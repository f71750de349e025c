// Intake, assignment and review over HTTP on the real built server, from the refused side:
// an applicant, an expert, an expert recused from an application, and staff of another
// division, on pages, form actions and endpoints alike. Hidden things answer 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startServer, type TestServer } from '../helpers/server';
import { makePdf } from '../../src/lib/server/demo/pdf';

let srv: TestServer;
const cookies: Record<string, string> = {};
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

beforeAll(async () => {
	srv = await startServer();
	for (const u of ['intake', 'planner', 'expert1', 'expert4', 'expert6', 'chair', 'applicant1']) cookies[u] = await login(srv.url, u);
}, 120_000);
afterAll(async () => srv?.dispose());

function get(path: string, who?: string) {
	return fetch(srv.url + path, { redirect: 'manual', headers: who ? { cookie: cookies[who] } : {} });
}

function action(path: string, who: string | undefined, fields: Record<string, string | string[]> | FormData) {
	let body: URLSearchParams | FormData;
	const headers: Record<string, string> = { origin: srv.url, accept: 'application/json', 'x-sveltekit-action': 'true', ...(who ? { cookie: cookies[who] } : {}) };
	if (fields instanceof FormData) body = fields;
	else {
		body = new URLSearchParams();
		for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
		headers['content-type'] = 'application/x-www-form-urlencoded';
	}
	return fetch(srv.url + path, { method: 'POST', redirect: 'manual', headers, body });
}

function put(path: string, who: string | undefined, body: unknown) {
	return fetch(srv.url + path, { method: 'PUT', headers: { 'content-type': 'application/json', ...(who ? { cookie: cookies[who] } : {}) }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

/** The status of a form action answer (SvelteKit answers 200 with the status inside for failures). */
async function actionStatus(res: Response): Promise<number> {
	if (res.status !== 200) return res.status;
	const json = await res.json();
	return json.type === 'success' || json.type === 'redirect' ? 200 : json.status;
}

async function ids(path: string, who: string, prefix: string): Promise<string[]> {
	const html = await (await get(path, who)).text();
	return [...html.matchAll(new RegExp(`href="${prefix}(${UUID.source})"`, 'g'))].map((m) => m[1]);
}

async function appId(number: string): Promise<string> {
	const [id] = await ids(`/applications?q=${number}`, 'intake', '/applications/');
	if (!id) throw new Error(`no ${number}`);
	return id;
}

async function firstAttachment(applicationId: string, who = 'intake'): Promise<string> {
	const html = await (await get(`/applications/${applicationId}`, who)).text();
	return html.match(new RegExp(`/applications/${applicationId}/attachments/(${UUID.source})`))![1];
}

let callId: string;
let draftId: string;
let qingneng: string;
let huaxin: string;

describe('setup', () => {
	it('finds the demo call and applications', async () => {
		[callId] = await ids('/calls', 'intake', '/calls/');
		expect(callId).toMatch(UUID);
		[draftId] = await ids('/applications', 'applicant1', '/applications/');
		qingneng = await appId('IF2026-0004');
		huaxin = await appId('IF2026-0002');
	});
});

describe('an applicant', () => {
	it('is refused staff pages and actions, and sees another enterprise’s application as missing', async () => {
		for (const path of ['/calls', `/calls/${callId}`, `/calls/${callId}/assignments`, `/calls/${callId}/dashboard`, `/calls/${callId}/dashboard/export?format=csv`, '/experts', '/applications/import', '/reviews']) {
			expect((await get(path, 'applicant1')).status, path).toBe(403);
		}
		expect((await get(`/applications/${huaxin}`, 'applicant1')).status).toBe(404);
		expect((await get(`/applications/${huaxin}/attachments/${await firstAttachment(huaxin)}`, 'applicant1')).status).toBe(404);
		expect((await put(`/api/applications/${huaxin}`, 'applicant1', { field: 'biomedicine', fundingMode: 'grant' })).status).toBe(404);
		const draft = JSON.stringify({ field: 'electronicInformation', fundingMode: 'grant' });
		expect(await actionStatus(await action(`/applications/${huaxin}?/submit`, 'applicant1', { draft }))).toBe(404);
		expect(await actionStatus(await action(`/applications/${huaxin}?/save`, 'applicant1', { draft }))).toBe(404);
		expect(await actionStatus(await action(`/applications/${huaxin}?/upload`, 'applicant1', new FormData()))).toBe(400);
		expect(await actionStatus(await action(`/applications/${draftId}?/accept`, 'applicant1', {}))).toBe(403);
		expect(await actionStatus(await action(`/calls/${callId}/assignments?/match`, 'applicant1', {}))).toBe(403);
	});

	it('exports only their own applications, and their page names no reviewer', async () => {
		const bytes = new Uint8Array(await (await get('/applications/export?format=csv', 'applicant1')).arrayBuffer());
		// The byte-order mark Excel needs to read UTF-8 (text() would strip it).
		expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const csv = new TextDecoder().decode(bytes);
		expect(csv).toContain('北京智芯感知科技有限公司');
		expect(csv).not.toContain('深圳市华芯微电子有限公司');
		const page = await (await get(`/applications/${draftId}`, 'applicant1')).text();
		for (const name of ['陈宏远', '刘振华', '钱佩玲', '评审专家']) expect(page).not.toContain(name);
	});

	it('autosaves a draft, refuses bad input with a message, and checks attachments by content', async () => {
		expect((await put(`/api/applications/${draftId}`, 'applicant1', 'not json')).status).toBe(400);
		const bad = await put(`/api/applications/${draftId}`, 'applicant1', { field: 'astrology', fundingMode: 'grant' });
		expect(bad.status).toBe(400);
		expect((await bad.json()).message).toBe('请修正标出的问题后再提交。');
		const ok = await put(`/api/applications/${draftId}`, 'applicant1', { title: '面向工业物联网的低功耗MEMS智能传感器芯片研发及产业化', field: 'electronicInformation', fundingMode: 'grant', requestedAmount: 100 });
		expect(ok.status).toBe(200);
		expect((await ok.json()).savedAt).toMatch(/^\d{4}-/);
		const fake = new FormData();
		fake.set('kind', 'proposal');
		fake.set('file', new Blob([new TextEncoder().encode('PK\u0003\u0004 renamed docx')], { type: 'application/pdf' }), 'proposal.pdf');
		const refused = await (await action(`/applications/${draftId}?/upload`, 'applicant1', fake)).json();
		expect(refused.type).toBe('failure');
		expect(JSON.stringify(refused.data)).toContain('不是 PDF');
		const real = new FormData();
		real.set('kind', 'proposal');
		real.set('file', new Blob([makePdf([['Proposal']]) as BlobPart], { type: 'application/pdf' }), '申报书.pdf');
		expect((await (await action(`/applications/${draftId}?/upload`, 'applicant1', real)).json()).type).toBe('success');
		const attachment = await firstAttachment(draftId, 'applicant1');
		const file = await get(`/applications/${draftId}/attachments/${attachment}`, 'applicant1');
		expect(file.status).toBe(200);
		expect(file.headers.get('content-type')).toBe('application/pdf');
		expect(file.headers.get('content-disposition')).toContain("filename*=UTF-8''%E7%94%B3%E6%8A%A5%E4%B9%A6.pdf");
		// Staff never see a draft or its files.
		expect((await get(`/applications/${draftId}/attachments/${attachment}`, 'intake')).status).toBe(404);
	});
});

describe('an expert', () => {
	it('is refused the staff side, and reads applications only through their own assignments', async () => {
		for (const path of ['/applications', '/calls', `/calls/${callId}/dashboard`, '/experts', '/experts/export?format=csv', '/applications/export?format=csv']) {
			expect((await get(path, 'expert1')).status, path).toBe(403);
		}
		expect((await get(`/applications/${huaxin}`, 'expert1')).status).toBe(404);
		expect(await actionStatus(await action(`/calls/${callId}/assignments?/match`, 'expert1', {}))).toBe(403);
		expect(await actionStatus(await action(`/applications/${huaxin}?/accept`, 'expert1', {}))).toBe(403);
	});

	it('never opens another expert’s assignment, nor the files of an application not assigned to them', async () => {
		const mine = await ids('/reviews', 'expert1', '/reviews/');
		const theirs = await ids('/reviews', 'chair', '/reviews/');
		expect(mine.length).toBeGreaterThan(0);
		for (const id of theirs.filter((x) => !mine.includes(x))) {
			expect((await get(`/reviews/${id}`, 'expert1')).status).toBe(404);
			expect(await actionStatus(await action(`/reviews/${id}?/submit`, 'expert1', { opinion: 'x' }))).toBe(404);
			expect(await actionStatus(await action(`/reviews/${id}?/decline`, 'expert1', { reason: '试图谢绝别人的任务' }))).toBe(404);
		}
		// expert1's review page holds only their own sheet: no other reviewer's name or total.
		const page = await (await get(`/reviews/${mine[0]}`, 'expert1')).text();
		for (const name of ['陈宏远', '钱佩玲', '黎晓红', '段志明']) expect(page).not.toContain(name);
		const unassigned = await appId('IF2026-0008');
		expect((await get(`/applications/${unassigned}/attachments/${await firstAttachment(unassigned)}`, 'expert1')).status).toBe(404);
	});

	it('scores on the server: a forged total is ignored and bad scores are refused', async () => {
		const mine = await ids('/reviews', 'expert4', '/reviews/');
		const html = await (await get(`/reviews/${mine[0]}`, 'expert4')).text();
		const items = [...html.matchAll(/name="score_([0-9a-f-]{36})"/g)].map((m) => m[1]);
		const fields: Record<string, string> = { total: '100', opinion: '' };
		for (const id of items) fields[`score_${id}`] = '150';
		const refused = await (await action(`/reviews/${mine[0]}?/save`, 'expert4', fields)).json();
		expect(refused.type).toBe('failure');
		expect(JSON.stringify(refused.data)).toContain('0–100');
		for (const id of items) fields[`score_${id}`] = '50';
		const saved = await (await action(`/reviews/${mine[0]}?/save`, 'expert4', fields)).json();
		expect(saved.type).toBe('success');
		expect(await (await get(`/reviews/${mine[0]}`, 'expert4')).text()).toContain('50.00');
	});
});

describe('a recused (conflicted) expert', () => {
	it('is never assigned the applicant they work for, not even by hand', async () => {
		const page = await (await get(`/calls/${callId}/assignments`, 'intake')).text();
		const block = page.slice(page.indexOf('IF2026-0004'), page.indexOf('IF2026-0005'));
		const experts = await (await get('/experts?q=吴建平', 'intake')).text();
		const wu = experts.match(new RegExp(`href="/experts/(${UUID.source})"`))![1];
		// Offered to staff only as a disabled choice that says why; never among the assigned.
		expect(block).toMatch(new RegExp(`<option value="${wu}" disabled[^>]*>吴建平（[^）]*需回避`));
		expect(block.slice(block.indexOf('<table'))).not.toContain('吴建平');
		const res = await (await action(`/calls/${callId}/assignments?/add`, 'intake', { applicationId: qingneng, expertId: wu })).json();
		expect(res.type).toBe('failure');
		expect(JSON.stringify(res.data)).toContain('回避');
		expect((await get(`/applications/${qingneng}/attachments/${await firstAttachment(qingneng)}`, 'expert6')).status).toBe(404);
	});

	it('loses an assignment, its page, files and actions the moment a conflict is recorded', async () => {
		const [assignment] = await ids('/reviews', 'chair', '/reviews/');
		const page = await (await get(`/reviews/${assignment}`, 'chair')).text();
		const number = page.match(/IF2026-\d{4}/)![0];
		const application = await appId(number);
		const attachment = await firstAttachment(application);
		expect((await get(`/applications/${application}/attachments/${attachment}`, 'chair')).status).toBe(200);
		const experts = await (await get('/experts?q=陈宏远', 'intake')).text();
		const chair = experts.match(new RegExp(`href="/experts/(${UUID.source})"`))![1];
		const recorded = await (await action(`/experts/${chair}?/conflict`, 'intake', { target: 'application', applicationNumber: number, reason: '与申报单位负责人为师生关系' })).json();
		expect(recorded.type).toBe('success');
		expect((await get(`/reviews/${assignment}`, 'chair')).status).toBe(404);
		expect((await get(`/applications/${application}/attachments/${attachment}`, 'chair')).status).toBe(404);
		expect(await actionStatus(await action(`/reviews/${assignment}?/save`, 'chair', { opinion: '试图继续评审' }))).toBe(404);
		expect(await ids('/reviews', 'chair', '/reviews/')).not.toContain(assignment);
		expect(await (await get('/', 'chair')).text()).not.toContain(number);
	});
});

describe('staff of another division', () => {
	it('find the Innovation Fund’s call, applications and files missing, on pages, actions and exports', async () => {
		const calls = await (await get('/calls', 'planner')).text();
		expect(calls).not.toContain('IF2026');
		for (const path of [`/calls/${callId}`, `/calls/${callId}/edit`, `/calls/${callId}/assignments`, `/calls/${callId}/dashboard`, `/calls/${callId}/dashboard/export?format=xlsx`, `/calls/${callId}/assignments/export?format=csv`, `/applications/${huaxin}`, `/applications/${huaxin}/attachments/${await firstAttachment(huaxin)}`]) {
			expect((await get(path, 'planner')).status, path).toBe(404);
		}
		for (const path of [`/calls/${callId}/edit?/save`, `/calls/${callId}/assignments?/match`, `/applications/${await appId('IF2026-0012')}?/accept`]) {
			expect(await actionStatus(await action(path, 'planner', {})), path).toBe(404);
		}
		const list = await (await get('/applications', 'planner')).text();
		expect(list).not.toContain('IF2026-');
		expect(await (await get('/applications/export?format=csv', 'planner')).text()).not.toContain('IF2026-');
	});
});

describe('signed out', () => {
	it('pages send to sign in; the autosave endpoint answers 401', async () => {
		expect((await get('/reviews')).status).toBe(303);
		expect((await get(`/calls/${callId}`)).status).toBe(303);
		expect((await put(`/api/applications/${draftId}`, undefined, {})).status).toBe(401);
	});
});
