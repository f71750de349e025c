// Scheduling over HTTP on the built server, from the refused side: strangers get 404, members
// who do not organize get 403 on the edit page and its actions, and a bad agenda is refused
// with a localized message and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startServer, type TestServer } from '../helpers/server';
import { RoomClient } from '../helpers/meetings';
import { waitFor } from '../helpers/collab';
import type { ItemView } from '../../src/lib/meetings/protocol';

let srv: TestServer;
const cookies: Record<string, string> = {};
let meetingId = '';

beforeAll(async () => {
	srv = await startServer();
	for (const u of ['intake', 'planner', 'expert1', 'expert8', 'chair', 'applicant1']) cookies[u] = await login(srv.url, u);
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

describe('the meeting room on the built server', () => {
	it('opens only to members, and survives the server being killed mid-meeting', async () => {
		expect((await get(`/meetings/${meetingId}/room`, 'expert1')).status).toBe(200);
		expect((await get(`/meetings/${meetingId}/room`, 'planner')).status).toBe(404);
		expect((await get(`/meetings/${meetingId}/room`, 'applicant1')).status).toBe(404);
		const stranger = new RoomClient('expert8', srv.url, cookies.expert8, meetingId);
		const chair = new RoomClient('chair', srv.url, cookies.chair, meetingId);
		const e1 = new RoomClient('expert1', srv.url, cookies.expert1, meetingId);
		try {
			await waitFor(() => stranger.socket.connected, 10_000, 'stranger connected');
			expect(await stranger.send('meeting:join', {})).toMatchObject({ ok: false, error: 'notFound' });
			await chair.join();
			await e1.join();
			expect((await chair.send('meeting:start', {})).ok).toBe(true);
			const view = await e1.until((v) => v.meeting.status === 'open', 'open');
			const itemId = view.meeting.currentItemId!;
			const scores = Object.fromEntries(view.rubric.groups.flatMap((g) => g.items.map((i) => [i.id, 77])));
			expect((await e1.send('score:submit', { itemId, round: 1, scores, opinion: '断电前提交的评分' })).ok).toBe(true);

			// SIGKILL: nothing is flushed; what was acknowledged must be in the database already.
			await srv.kill();
			await srv.restart();
			for (const c of [chair, e1]) {
				await waitFor(() => c.socket.connected, 20_000, `${c.username} reconnected`);
				await c.join();
			}
			const item = e1.state!.items.find((i) => i.id === itemId) as ItemView;
			expect(e1.state!.meeting).toMatchObject({ status: 'open', currentItemId: itemId });
			expect(item.rounds[0]).toMatchObject({ submitted: 1, revealed: false });
			expect(item.rounds[0].mine).toMatchObject({ total: 77, opinion: '断电前提交的评分' });
		} finally {
			for (const c of [stranger, chair, e1]) c.close();
		}
	});
});
