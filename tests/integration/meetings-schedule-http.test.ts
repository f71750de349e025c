// Scheduling over HTTP on the built server, from the refused side: strangers get 404, members
// who do not organize get 403 on the edit page and its actions, and a bad agenda is refused
// with a localized message and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startServer, type TestServer } from '../helpers/server';

let srv: TestServer;
const cookies: Record<string, string> = {};
let meetingId = '';

beforeAll(async () => {
	srv = await startServer();
	for (const u of ['intake', 'planner', 'expert1', 'applicant1']) cookies[u] = await login(srv.url, u);
	const list = await (await get('/meetings', 'intake')).text();
	meetingId = /href="\/meetings\/([0-9a-f-]{36})"/.exec(list)![1];
}, 120_000);
afterAll(async () => srv?.dispose());

function get(path: string, who: string) {
	return fetch(srv.url + path, { redirect: 'manual', headers: { cookie: cookies[who] } });
}

function action(path: string, who: string, fields: Record<string, string>) {
	return fetch(srv.url + path, {
		method: 'POST',
		redirect: 'manual',
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin: srv.url, accept: 'application/json', 'x-sveltekit-action': 'true', cookie: cookies[who] },
		body: new URLSearchParams(fields)
	});
}

describe('meeting pages over HTTP', () => {
	it('shows the overview to organizers and members, and nothing to others', async () => {
		expect((await get(`/meetings/${meetingId}`, 'intake')).status).toBe(200);
		expect((await get(`/meetings/${meetingId}`, 'expert1')).status).toBe(200);
		expect((await get(`/meetings/${meetingId}`, 'planner')).status).toBe(404);
		expect((await get('/meetings', 'applicant1')).status).toBe(403);
	});

	it('refuses the edit page and its actions to non-organizers', async () => {
		expect((await get(`/meetings/${meetingId}/edit`, 'intake')).status).toBe(200);
		expect((await get(`/meetings/${meetingId}/edit`, 'expert1')).status).toBe(403);
		expect((await get(`/meetings/${meetingId}/edit`, 'planner')).status).toBe(404);
		const r = await action(`/meetings/${meetingId}/edit?/agenda`, 'expert1', { agenda: '[]' });
		expect(r.status).toBe(403);
		expect((await r.json()).type).toBe('error');
	});

	it('refuses a bad agenda with a localized message and keeps the old one', async () => {
		const before = await (await get(`/meetings/${meetingId}`, 'intake')).text();
		const r = await action(`/meetings/${meetingId}/edit?/agenda`, 'intake', { agenda: JSON.stringify([{ applicationId: meetingId, timeboxMinutes: 300 }]) });
		const body = await r.json();
		expect(body.type).toBe('failure');
		expect(body.status).toBe(400);
		expect(body.data).toContain('每项时长须为 5 至 180 分钟的整数');
		const after = await (await get(`/meetings/${meetingId}`, 'intake')).text();
		expect(after.match(/IF2026-\d{4}/g)).toEqual(before.match(/IF2026-\d{4}/g));
	});
});
