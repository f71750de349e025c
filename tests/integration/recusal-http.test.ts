// The demo meeting on the built server, from expert6's side (吴建平, recused from item 2 by
// working at its applicant and from item 4 by a declaration): their own browser requests and a
// raw socket.io-client with their cookie. Changing their institution on /reviews/profile,
// withdrawing their declaration, staff approving and withdrawing, a server restart: none of it
// lets them see items 2 and 4 on the room's channel, the meeting page, the documents API, the
// export, the print page or /collab. Only the secretary lifts a recusal, with a reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startServer, type TestServer } from '../helpers/server';
import { RoomClient } from '../helpers/meetings';
import { rawConnect, waitFor } from '../helpers/collab';
import type { ItemView } from '../../src/lib/meetings/protocol';

let srv: TestServer;
const cookies: Record<string, string> = {};
let meetingId = '';
const clients: RoomClient[] = [];

beforeAll(async () => {
	srv = await startServer();
	for (const u of ['intake', 'chair', 'expert6', 'expert1']) cookies[u] = await login(srv.url, u);
	const list = await (await get('/meetings', 'intake')).text();
	meetingId = /href="\/meetings\/([0-9a-f-]{36})"/.exec(list)![1];
}, 120_000);
afterAll(async () => {
	for (const c of clients) c.close();
	await srv?.dispose();
});

function get(path: string, who: string) {
	return fetch(srv.url + path, { redirect: 'manual', headers: { cookie: cookies[who] } });
}

function action(path: string, who: string, fields: Record<string, string | string[]>) {
	const body = new URLSearchParams();
	for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
	return fetch(srv.url + path, {
		method: 'POST',
		redirect: 'manual',
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin: srv.url, accept: 'application/json', 'x-sveltekit-action': 'true', cookie: cookies[who] },
		body
	});
}

function client(who: string): RoomClient {
	const c = new RoomClient(who, srv.url, cookies[who], meetingId);
	clients.push(c);
	return c;
}

/** The values of hidden inputs called `name` in a page, in order. */
function hidden(html: string, name: string): string[] {
	return [...html.matchAll(new RegExp(`name="${name}" value="([0-9a-f-]{36})"`, 'g'))].map((x) => x[1]);
}

describe('expert6 cannot lift their own recusal', () => {
	it('stays recused from items 2 and 4 on every channel, whatever they or staff do, until the secretary lifts it', async () => {
		const chair = client('chair');
		const e6 = client('expert6');
		await chair.join();
		await e6.join();
		const me = e6.state!.me.userId;
		expect(e6.state!.items.filter((i) => i.recused).map((i) => i.position)).toEqual([2, 4]);
		expect((await chair.send('meeting:start', {})).ok).toBe(true);
		const item = (n: number) => chair.state!.items[n - 1] as ItemView;
		await chair.until((v) => !!(v.items[1] as ItemView).notesDocumentId, 'notes created');
		expect((await chair.send('meeting:goto', { itemId: item(2).id })).ok).toBe(true);
		const scores = Object.fromEntries(chair.state!.rubric.groups.flatMap((g) => g.items.map((i) => [i.id, 83])));
		expect((await chair.send('score:submit', { itemId: item(2).id, round: 1, scores, opinion: '主持人机密评语甲' })).ok).toBe(true);
		await chair.until((v) => (v.items[1] as ItemView).rounds[0].revealed, 'item 2 revealed');
		const secrets = [item(2).number, item(2).projectTitle, item(4).number, item(4).projectTitle, '主持人机密评语甲'];

		/** Every channel expert6 has, checked for items 2 and 4. */
		async function expectShut(when: string) {
			for (const n of [2, 4]) {
				await waitFor(() => (chair.state!.items[n - 1] as ItemView).recusedUserIds.includes(me), 5000, `${when}: chair sees e6 recused from ${n}`);
				expect(e6.state!.items[n - 1], `${when}: room item ${n}`).toEqual({ id: item(n).id, position: n, recused: true });
			}
			const events = e6.everything();
			for (const x of secrets) expect(events.includes(x), `${when}: socket carried "${x}"`).toBe(false);
			const page = await (await get(`/meetings/${meetingId}`, 'expert6')).text();
			for (const x of secrets.slice(0, 4)) expect(page.includes(x), `${when}: meeting page shows "${x}"`).toBe(false);
			for (const n of [2, 4]) {
				const doc = item(n).notesDocumentId!;
				for (const path of [`/api/documents/${doc}`, `/api/documents/${doc}/export?format=md`, `/api/documents/${doc}/export?format=docx`, `/documents/${doc}`, `/documents/${doc}/print`]) {
					const r = await get(path, 'expert6');
					expect([403, 404], `${when}: ${path} answered ${r.status}`).toContain(r.status);
				}
				const ws = await rawConnect(`${srv.url.replace('http', 'ws')}/collab/${doc}`, { cookie: cookies.expert6 });
				expect('status' in ws && ws.status, `${when}: /collab of item ${n}`).toBe(403);
			}
		}
		await expectShut('at the start');

		// 1. expert6 moves to another institution on their profile page.
		const profile = await action('/reviews/profile?/save', 'expert6', { institution: '中国科学院电工研究所', title: '研究员', primaryField: 'newEnergy', email: '', phone: '' });
		const saved = await profile.json();
		expect(saved.type).toBe('success');
		expect(saved.data).toContain('审核');
		// 2. And withdraws their own declaration: there is no such action any more.
		const declared = hidden(await (await get('/reviews/profile', 'expert6')).text(), 'conflictId');
		expect(declared).toHaveLength(0);
		const experts = await (await get('/experts?q=吴建平', 'intake')).text();
		const expertId = /href="\/experts\/([0-9a-f-]{36})"/.exec(experts)![1];
		const staffPage = await (await get(`/experts/${expertId}`, 'intake')).text();
		const [conflictId] = hidden(staffPage, 'conflictId');
		const own = await action('/reviews/profile?/withdrawConflict', 'expert6', { conflictId });
		expect(own.status).not.toBe(200);
		// The room moves on and back: nothing reaches expert6.
		for (const n of [3, 2, 4]) expect((await chair.send('meeting:goto', { itemId: item(n).id })).ok).toBe(true);
		await new Promise((r) => setTimeout(r, 300));
		await expectShut('after the profile edit');

		// 3. Staff approve the move and withdraw the declaration, each with a reason.
		const [changeId] = hidden(staffPage, 'changeId');
		expect(changeId).toBeTruthy();
		const noReason = await (await action(`/experts/${expertId}?/withdrawConflict`, 'intake', { conflictId, reason: '' })).json();
		expect(noReason).toMatchObject({ type: 'failure', status: 400 });
		expect(noReason.data).toContain('请填写理由');
		expect((await (await action(`/experts/${expertId}?/institution`, 'intake', { changeId, decision: 'approve', note: '调动手续齐全' })).json()).type).toBe('success');
		expect((await (await action(`/experts/${expertId}?/withdrawConflict`, 'intake', { conflictId, reason: '专家称为误报' })).json()).type).toBe('success');
		for (const n of [3, 2, 4]) expect((await chair.send('meeting:goto', { itemId: item(n).id })).ok).toBe(true);
		await new Promise((r) => setTimeout(r, 300));
		await expectShut('after staff approved and withdrew');

		// 4. A restart rebuilds the room from the database alone.
		await srv.restart();
		for (const c of [chair, e6]) {
			await waitFor(() => c.socket.connected, 30_000, `${c.username} reconnected`);
			await c.join();
		}
		await expectShut('after a restart');

		// 5. Only the secretary lifts, with a reason; expert6 cannot.
		const overview = await (await get(`/meetings/${meetingId}`, 'intake')).text();
		const recusals = hidden(overview, 'recusalId');
		expect(recusals.length).toBe(2);
		expect((await action(`/meetings/${meetingId}?/liftRecusal`, 'expert6', { recusalId: recusals[1], reason: '我已离职' })).status).toBe(403);
		expect((await action(`/meetings/${meetingId}?/liftRecusal`, 'chair', { recusalId: recusals[1], reason: '主持人同意' })).status).toBe(403);
		const bare = await (await action(`/meetings/${meetingId}?/liftRecusal`, 'intake', { recusalId: recusals[1], reason: ' ' })).json();
		expect(bare).toMatchObject({ type: 'failure', status: 400 });
		await expectShut('after refused lifts');
		const lifted = await (await action(`/meetings/${meetingId}?/liftRecusal`, 'intake', { recusalId: recusals[1], reason: '经核实声明有误，处务会同意参加评审' })).json();
		expect(lifted.type).toBe('success');
		await e6.until((v) => !v.items[3].recused, 'item 4 open to expert6 after the lift');
		expect(e6.state!.items[1]).toEqual({ id: item(2).id, position: 2, recused: true });
		expect(await (await get(`/meetings/${meetingId}`, 'intake')).text()).toContain('经核实声明有误');
	});
});
