// Notifications through the built server (PGlite, or Postgres with DATABASE_URL) with a real
// SMTP server in this process: staff assign an expert and the expert's raw Socket.IO client
// hears the bell count rise while other users' clients hear nothing; the mail arrives; a
// notification opened by someone else is not found; the one-click reminder is limited to staff
// and to once a day; after the review deadline the expert's raw form post is refused until
// division staff (and only they) grant an extension; deadline reminders survive a restart once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { sql } from 'drizzle-orm';
import { login, startServer, type TestServer } from '../helpers/server';
import { startSmtp, type TestSmtp } from '../helpers/smtp';
import { openDatabase } from '../../src/lib/server/db';
import { toBeijingInput } from '../../src/lib/datetime';
import { UNREAD_EVENT, type UnreadPayload } from '../../src/lib/notifications/kinds';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
let srv: TestServer;
let smtp: TestSmtp;
const cookies: Record<string, string> = {};
const sockets: Socket[] = [];

beforeAll(async () => {
	smtp = await startSmtp();
	srv = await startServer({ SMTP_URL: smtp.url, PANELROOM_NOTIFY_TICK_SECONDS: '1', PANELROOM_MAIL_RETRY_SECONDS: '1' });
	for (const u of ['intake', 'planner', 'expert1', 'expert2', 'expert4', 'applicant1']) cookies[u] = await login(srv.url, u);
	[callId] = await ids('/calls', 'intake', '/calls/');
}, 120_000);
afterAll(async () => {
	for (const s of sockets) s.disconnect();
	await srv?.dispose();
	await smtp?.close();
});

const get = (path: string, who?: string) => fetch(srv.url + path, { redirect: 'manual', headers: who ? { cookie: cookies[who] } : {} });
function action(path: string, who: string, fields: Record<string, string>) {
	return fetch(srv.url + path, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: srv.url, accept: 'application/json', 'x-sveltekit-action': 'true', 'content-type': 'application/x-www-form-urlencoded', cookie: cookies[who] },
		body: new URLSearchParams(fields)
	});
}
async function outcome(res: Response): Promise<{ status: number; data: string }> {
	if (res.status !== 200) return { status: res.status, data: await res.text() };
	const json = await res.json();
	return { status: json.type === 'success' || json.type === 'redirect' ? 200 : json.status, data: String(json.data ?? '') };
}
async function ids(path: string, who: string, prefix: string): Promise<string[]> {
	const html = await (await get(path, who)).text();
	return [...html.matchAll(new RegExp(`href="${prefix}(${UUID.source})"`, 'g'))].map((m) => m[1]);
}

/** A raw client of the user, recording every bell update it hears. */
async function listen(who: string): Promise<{ heard: UnreadPayload[]; socket: Socket }> {
	const heard: UnreadPayload[] = [];
	const socket = io(srv.url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie: cookies[who], origin: srv.url }, reconnection: false });
	sockets.push(socket);
	socket.on(UNREAD_EVENT, (p: UnreadPayload) => heard.push(p));
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', () => resolve());
		socket.once('connect_error', reject);
	});
	await until(() => heard.length > 0);
	return { heard, socket };
}
async function until(check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
	const end = Date.now() + ms;
	while (!(await check())) {
		if (Date.now() > end) throw new Error('timed out');
		await new Promise((r) => setTimeout(r, 50));
	}
}

let callId: string;

describe('the bell and the mail', () => {
	it('staff assign expert1: only expert1’s client hears the count rise, and the mail arrives', async () => {
		const [expertId] = await ids(`/experts?q=${encodeURIComponent('刘振华')}`, 'intake', '/experts/');
		const target = await listen('expert1');
		const others = [await listen('expert2'), await listen('applicant1')];
		const start = target.heard[0].unread;

		let number = '';
		for (const n of ['IF2026-0008', 'IF2026-0009', 'IF2026-0010', 'IF2026-0011', 'IF2026-0012', 'IF2026-0013']) {
			const [appId] = await ids(`/applications?q=${n}`, 'intake', '/applications/');
			if (!appId) continue;
			if ((await outcome(await action(`/calls/${callId}/assignments?/add`, 'intake', { applicationId: appId, expertId }))).status === 200) {
				number = n;
				break;
			}
		}
		expect(number).not.toBe('');
		await until(() => target.heard.some((p) => p.unread === start + 1));
		const live = target.heard.find((p) => p.unread === start + 1)!;
		expect(live.latest).toMatchObject({ kind: 'assignment_made', title: `您有一项新的评审任务：${number}`, read: false });
		// Nobody else heard anything past their own count at connection.
		await new Promise((r) => setTimeout(r, 1500));
		for (const o of others) expect(o.heard).toHaveLength(1);

		const mails = await (async () => {
			await until(() => smtp.received.some((m) => m.subject?.includes(number)), 20_000);
			return smtp.received.filter((m) => m.subject?.includes(number));
		})();
		expect(mails).toHaveLength(1);
		expect(mails[0].subject).toBe(`【Panelroom】您有一项新的评审任务：${number}`);
		expect(mails[0].to && 'text' in mails[0].to ? mails[0].to.text : '').toBe('expert1@experts.example.cn');
		expect(mails[0].text).toContain('您被分配评审');
		expect(mails[0].html).toContain('您被分配评审');

		// The inbox lists it; opening it marks it read (the bell follows) and goes to the review.
		const inbox = await (await get('/notifications', 'expert1')).text();
		expect(inbox).toContain(`您有一项新的评审任务：${number}`);
		const [nid] = inbox.match(new RegExp(`/notifications/(${UUID.source})`))!.slice(1);
		// Someone else's notification is not found, and stays unread.
		expect((await get(`/notifications/${nid}`, 'expert2')).status).toBe(404);
		const opened = await get(`/notifications/${nid}`, 'expert1');
		expect(opened.status).toBe(303);
		expect(opened.headers.get('location')).toMatch(/^\/reviews\//);
		await until(() => target.heard.at(-1)!.unread === start);
		// The bell and the inbox's pages are for signed-in users only.
		expect((await get('/notifications')).status).toBe(303);
		expect((await get('/admin/mail', 'intake')).status).toBe(403);
	});

	it('the one-click reminder: staff only, once a day per expert', async () => {
		const [expertId] = await ids(`/experts?q=${encodeURIComponent('周雪琴')}`, 'intake', '/experts/');
		expect((await outcome(await action(`/calls/${callId}/dashboard?/remind`, 'expert1', { expertId }))).status).toBe(403);
		// Staff of another division are not even told the call exists.
		expect((await outcome(await action(`/calls/${callId}/dashboard?/remind`, 'planner', { expertId }))).status).toBe(404);
		const first = await outcome(await action(`/calls/${callId}/dashboard?/remind`, 'intake', { expertId }));
		// The demo's reminder was sent today already for reviewers with open sheets.
		expect([200, 429]).toContain(first.status);
		expect((await outcome(await action(`/calls/${callId}/dashboard?/remind`, 'intake', { expertId }))).status).toBe(429);
	});
});

describe('the review deadline, from the expert’s side', () => {
	async function setDeadline(at: Date) {
		await srv.stop();
		const database = srv.databaseUrl ? await openDatabase({ databaseUrl: srv.databaseUrl, max: 1 }) : await openDatabase({ dataDir: srv.dataDir });
		await database.db.execute(sql`UPDATE calls SET review_deadline = ${at.toISOString()}::timestamptz WHERE code = 'IF2026'`);
		await database.close();
		await srv.restart();
	}
	async function sheetFields(assignmentId: string): Promise<Record<string, string>> {
		const html = await (await get(`/reviews/${assignmentId}`, 'expert4')).text();
		const items = [...new Set([...html.matchAll(new RegExp(`name="score_(${UUID.source})"`, 'g'))].map((m) => m[1]))];
		expect(items.length).toBeGreaterThan(0);
		return { ...Object.fromEntries(items.map((i) => [`score_${i}`, '75'])), opinion: '项目技术路线清晰，团队具备较强研发能力，市场前景良好。', recommendation: 'fund', suggestedAmount: '50' };
	}

	it('refuses a late sheet until division staff extend it; reminders of the new deadline come once across restarts', async () => {
		await setDeadline(new Date(Date.now() - 3600_000));
		for (const u of Object.keys(cookies)) cookies[u] = await login(srv.url, u);
		const html = await (await get('/reviews', 'expert4')).text();
		const assignmentId = html.match(new RegExp(`/reviews/(${UUID.source})`))![1];
		const fields = await sheetFields(assignmentId);
		const late = await outcome(await action(`/reviews/${assignmentId}?/submit`, 'expert4', fields));
		expect(late.status).toBe(400);
		expect(late.data).toContain('评审已截止');

		const extendTo = toBeijingInput(new Date(Date.now() + 2 * 86400_000));
		const ext = { assignmentId, until: extendTo, reason: '专家出差，延期两天' };
		expect((await outcome(await action(`/calls/${callId}/extensions?/extend`, 'expert4', ext))).status).toBe(403);
		expect((await outcome(await action(`/calls/${callId}/extensions?/extend`, 'planner', ext))).status).toBe(404);
		expect((await outcome(await action(`/calls/${callId}/extensions?/extend`, 'intake', { ...ext, reason: '' }))).status).toBe(400);
		expect((await outcome(await action(`/calls/${callId}/extensions?/extend`, 'intake', ext))).status).toBe(200);

		// Due within 3 days now: the loop reminds once, and a restart does not remind again.
		// Counted in the list itself (the page's data repeats each title for hydration).
		const reminders = async () => ((await (await get('/notifications', 'expert4')).text()).match(/评审将于 3 天后截止：IF2026-\d+<\/a>/g) ?? []).length;
		await until(async () => (await reminders()) === 1);
		await srv.stop();
		await srv.restart();
		for (const u of ['expert4', 'intake']) cookies[u] = await login(srv.url, u);
		await new Promise((r) => setTimeout(r, 2500));
		expect(await reminders()).toBe(1);

		const inTime = await outcome(await action(`/reviews/${assignmentId}?/submit`, 'expert4', fields));
		expect(inTime.status).toBe(200);
	}, 180_000);
});
