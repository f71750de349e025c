// The real built server over HTTP: health, role guards from the refused side on pages,
// actions and endpoints, and bad input to every form and endpoint of the foundation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startServer, type TestServer } from '../helpers/server';

let srv: TestServer;
const cookies: Record<string, string> = {};

beforeAll(async () => {
	srv = await startServer();
	for (const u of ['admin', 'intake', 'planner', 'expert1', 'applicant1']) cookies[u] = await login(srv.url, u);
}, 120_000);
afterAll(async () => srv?.dispose());

function get(path: string, who?: string, headers: Record<string, string> = {}) {
	return fetch(srv.url + path, { redirect: 'manual', headers: { ...(who ? { cookie: cookies[who] } : {}), ...headers } });
}

/** Submits a form action the way the browser's enhanced form does. */
function action(path: string, who: string | undefined, fields: Record<string, string | string[]>, origin = srv.url) {
	const body = new URLSearchParams();
	for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
	return fetch(srv.url + path, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			origin,
			accept: 'application/json',
			'x-sveltekit-action': 'true',
			...(who ? { cookie: cookies[who] } : {})
		},
		body
	});
}

function postJson(path: string, body: unknown, who?: string, headers: Record<string, string> = {}) {
	return fetch(srv.url + path, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...(who ? { cookie: cookies[who] } : {}), ...headers },
		body: typeof body === 'string' ? body : JSON.stringify(body)
	});
}

async function userCount(): Promise<number> {
	const res = await get('/admin/users', 'admin');
	const html = await res.text();
	return (html.match(/href="\/admin\/users\/[0-9a-f-]{36}"/g) ?? []).length;
}

describe('health and shell', () => {
	it('answers /healthz with 200 while the database is reachable', async () => {
		const res = await get('/healthz');
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ status: 'ok' });
		expect(res.headers.get('x-request-id')).toBeTruthy();
	});

	it('sends the signed-out to sign in, and localizes the 404 page', async () => {
		const res = await get('/admin/users');
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe('/login?next=%2Fadmin%2Fusers');
		const zh = await get('/no-such-page', 'intake');
		expect(zh.status).toBe(404);
		expect(await zh.text()).toContain('页面未找到');
		const en = await get('/no-such-page', 'intake', { cookie: `${cookies.intake}; PARAGLIDE_LOCALE=en` });
		expect(await en.text()).toContain('Page not found');
	});

	it('shows every demo account a localized home page', async () => {
		const expectations: Record<string, [string, string]> = {
			admin: ['系统概况', 'System overview'],
			intake: ['申报受理概况', 'Intake overview'],
			planner: ['您好', 'Hello'],
			chair: ['我的专家信息', 'My expert profile'],
			applicant1: ['我的申报', 'My applications']
		};
		for (let i = 1; i <= 8; i++) expectations[`expert${i}`] = ['我的专家信息', 'My expert profile'];
		for (const [who, [zh, en]] of Object.entries(expectations)) {
			const cookie = cookies[who] ?? (cookies[who] = await login(srv.url, who));
			const res = await get('/', undefined, { cookie });
			expect(res.status, who).toBe(200);
			const html = await res.text();
			expect(html, who).toContain(zh);
			expect(html, who).toContain('lang="zh-CN"');
			const english = await (await get('/', undefined, { cookie: `${cookie}; PARAGLIDE_LOCALE=en` })).text();
			expect(english, who).toContain(en);
			expect(english, who).toContain('lang="en"');
		}
	});
});

describe('role guards, from the refused side', () => {
	it('admin pages refuse staff, experts and applicants with 403', async () => {
		for (const who of ['intake', 'planner', 'expert1', 'applicant1']) {
			expect((await get('/admin/users', who)).status, who).toBe(403);
			expect((await get('/admin/audit', who)).status, who).toBe(403);
			expect((await get('/admin/audit/export?format=csv', who)).status, who).toBe(403);
		}
		expect((await get('/admin/audit/export?format=csv', 'admin')).status).toBe(200);
		expect((await get('/admin/users', 'admin')).status).toBe(200);
	});

	it('admin actions refuse non-admins and change nothing', async () => {
		const before = await userCount();
		const res = await action('/admin/users/new?/save', 'intake', { username: 'sneaky', password: 'sneaky-password', name: '偷偷' });
		expect(res.status).toBe(403);
		expect(await userCount()).toBe(before);
	});

	it('the expert database and the staff queue refuse experts and applicants', async () => {
		expect((await get('/experts', 'expert1')).status).toBe(403);
		expect((await get('/experts', 'applicant1')).status).toBe(403);
		expect((await get('/applications', 'expert1')).status).toBe(403);
		expect((await get('/experts', 'intake')).status).toBe(200);
	});

	it('an applicant sees only their own application; staff never see drafts', async () => {
		const mine = await (await get('/applications', 'applicant1')).text();
		const ids = [...mine.matchAll(/href="\/applications\/([0-9a-f-]{36})"/g)].map((m) => m[1]);
		expect(ids).toHaveLength(1);
		const staffList = await (await get('/applications', 'intake')).text();
		const staffIds = [...staffList.matchAll(/href="\/applications\/([0-9a-f-]{36})"/g)].map((m) => m[1]);
		expect(staffIds.length).toBe(18);
		expect(staffIds).not.toContain(ids[0]);
		// Another enterprise's application is a 404 for the applicant, the draft a 404 for staff.
		expect((await get(`/applications/${staffIds[0]}`, 'applicant1')).status).toBe(404);
		expect((await get(`/applications/${ids[0]}`, 'intake')).status).toBe(404);
		expect((await get(`/applications/${ids[0]}`, 'applicant1')).status).toBe(200);
		expect((await get('/applications/not-a-uuid', 'applicant1')).status).toBe(404);
	});

	it('JSON endpoints answer 401 without a session', async () => {
		expect((await get('/api/me')).status).toBe(401);
		expect((await postJson('/api/me/locale', { locale: 'en' })).status).toBe(401);
		const me = await get('/api/me', 'expert1');
		expect(me.status).toBe(200);
		expect((await me.json()).user.username).toBe('expert1');
	});

	it('a form posted from another site is refused', async () => {
		const res = await action('/admin/users/new?/save', 'admin', { username: 'csrf', password: 'csrf-password-1', name: 'x' }, 'https://evil.example');
		expect(res.status).toBe(403);
	});
});

describe('sign-in API and bad input', () => {
	it('logs in with JSON and sets an HttpOnly, SameSite=Lax cookie (not Secure on plain http)', async () => {
		const res = await postJson('/api/auth/login', { username: 'planner', password: 'demo-password' });
		expect(res.status).toBe(200);
		const cookie = res.headers.getSetCookie().find((c) => c.startsWith('panelroom_session='))!;
		expect(cookie).toMatch(/HttpOnly/i);
		expect(cookie).toMatch(/SameSite=Lax/i);
		expect(cookie).not.toMatch(/Secure/i);
		const token = cookie.split(';')[0];
		const out = await postJson('/api/auth/logout', {}, undefined, { cookie: token });
		expect(out.status).toBe(200);
		expect((await get('/api/me', undefined, { cookie: token })).status).toBe(401);
	});

	it('marks the cookie Secure behind https', async () => {
		const https = await startServer({ ORIGIN: 'https://panelroom.example.cn' });
		try {
			const res = await fetch(https.url + '/api/auth/login', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ username: 'planner', password: 'demo-password' })
			});
			expect(res.headers.getSetCookie().find((c) => c.startsWith('panelroom_session='))).toMatch(/Secure/);
		} finally {
			await https.dispose();
		}
	}, 120_000);

	it('answers wrong credentials with 401 and a message in the caller’s language', async () => {
		const zh = await postJson('/api/auth/login', { username: 'planner', password: 'nope' });
		expect(zh.status).toBe(401);
		expect((await zh.json()).message).toBe('用户名或密码错误。');
		const en = await postJson('/api/auth/login', { username: 'nobody', password: 'nope' }, undefined, { cookie: 'PARAGLIDE_LOCALE=en' });
		expect(en.status).toBe(401);
		expect((await en.json()).message).toBe('The username or password is incorrect.');
	});

	it('refuses missing, mistyped, oversized and non-JSON bodies with 400 (413 when too large) and a message', async () => {
		const cases: unknown[] = [{}, { username: 'planner' }, { username: 42, password: true }, { username: ['a'], password: {} }, { username: 'x'.repeat(101), password: 'p' }, '[1,2]', 'not json', 'x'.repeat(5000)];
		for (const body of cases) {
			const res = await postJson('/api/auth/login', body);
			expect(res.status, JSON.stringify(body).slice(0, 40)).toBe(body === cases.at(-1) ? 413 : 400);
			const json = await res.json();
			expect(typeof json.message).toBe('string');
			expect(json.message.length).toBeGreaterThan(0);
		}
		expect((await postJson('/api/me/locale', { locale: 'fr' }, 'expert1')).status).toBe(400);
		expect((await postJson('/api/me/locale', 'nope', 'expert1')).status).toBe(400);
	});

	it('refuses bad registrations with field errors and creates nothing', async () => {
		const before = await userCount();
		const bad: Record<string, string>[] = [
			{},
			{ username: 'ok-name', password: 'short', passwordConfirm: 'short', enterpriseName: '某公司', contactName: '张三', contactPhone: '010-1234567' },
			{ username: 'Bad Name!', password: 'long-enough-1', passwordConfirm: 'long-enough-1', enterpriseName: '某公司', contactName: '张三', contactPhone: '010-1234567' },
			{ username: 'ok-name', password: 'long-enough-1', passwordConfirm: 'different-1', enterpriseName: '某公司', contactName: '张三', contactPhone: '010-1234567' },
			{ username: 'ok-name', password: 'long-enough-1', passwordConfirm: 'long-enough-1', enterpriseName: '某'.repeat(101), contactName: '张三', contactPhone: 'abc' },
			{ username: 'admin', password: 'long-enough-1', passwordConfirm: 'long-enough-1', enterpriseName: '某公司', contactName: '张三', contactPhone: '010-1234567' }
		];
		for (const fields of bad) {
			const res = await action('/register', undefined, fields);
			const json = await res.json();
			expect(json.type, JSON.stringify(fields)).toBe('failure');
			expect(json.status).toBe(400);
			expect(json.data).toContain('请修正标出的问题后再提交。');
		}
		expect(await userCount()).toBe(before);
	});

	it('refuses bad admin input with field errors and changes nothing', async () => {
		const before = await userCount();
		const cases: Record<string, string | string[]>[] = [
			{},
			{ username: 'new-user', password: 'x', name: '新用户' },
			{ username: 'new-user', password: 'long-enough-1', name: '新用户', email: 'not-an-email' },
			{ username: 'new-user', password: 'long-enough-1', name: '新用户', divisionId: 'not-a-uuid' },
			{ username: 'new-user', password: 'long-enough-1', name: '新用户', isExpert: 'on' },
			{ username: 'new-user', password: 'long-enough-1', name: '新用户', isExpert: 'on', institution: '某大学', primaryField: 'astrology' },
			{ username: 'new-user', password: 'long-enough-1', name: '新用户', role: 'emperor' },
			{ username: 'intake', password: 'long-enough-1', name: '重名' }
		];
		for (const fields of cases) {
			const res = await action('/admin/users/new?/save', 'admin', fields);
			const json = await res.json();
			expect(json.type, JSON.stringify(fields)).toBe('failure');
			expect(json.status).toBe(400);
		}
		expect(await userCount()).toBe(before);
	});
});

describe('more bad input', () => {
	it('the sign-in form refuses missing and oversized fields without signing in', async () => {
		for (const fields of <Record<string, string>[]>[{}, { username: '', password: '' }, { username: 'planner', password: 'x'.repeat(500) }, { username: 'x'.repeat(300), password: 'p' }]) {
			const res = await action('/login', undefined, fields);
			const json = await res.json();
			expect(json.type).toBe('failure');
			expect(json.status).toBe(400);
			expect(res.headers.getSetCookie().some((c) => c.startsWith('panelroom_session=') && !c.includes('Max-Age=0'))).toBe(false);
		}
	});

	it('password change refuses a wrong current password, a short or mismatched new one', async () => {
		const cookie = await login(srv.url, 'expert2');
		cookies.tmp = cookie;
		const cases: Record<string, string>[] = [
			{},
			{ currentPassword: 'wrong-password', newPassword: 'new-password-1', newPasswordConfirm: 'new-password-1' },
			{ currentPassword: 'demo-password', newPassword: 'short', newPasswordConfirm: 'short' },
			{ currentPassword: 'demo-password', newPassword: 'new-password-1', newPasswordConfirm: 'new-password-2' }
		];
		for (const fields of cases) {
			const json = await (await action('/account?/password', 'tmp', fields)).json();
			expect(json.type, JSON.stringify(fields)).toBe('failure');
		}
		expect((await postJson('/api/auth/login', { username: 'expert2', password: 'demo-password' })).status).toBe(200);
	});

	it('an admin password reset refuses a short password and keeps the old one', async () => {
		const page = await (await get('/admin/users?q=expert4', 'admin')).text();
		const id = page.match(/href="\/admin\/users\/([0-9a-f-]{36})"/)![1];
		const json = await (await action(`/admin/users/${id}?/resetPassword`, 'admin', { password: 'short' })).json();
		expect(json.type).toBe('failure');
		expect((await postJson('/api/auth/login', { username: 'expert4', password: 'demo-password' })).status).toBe(200);
		expect((await get('/admin/users/00000000-0000-4000-8000-000000000000', 'admin')).status).toBe(404);
	});
});

describe('account state', () => {
	it('a deactivated user’s open session stops working at once', async () => {
		const expertCookie = await login(srv.url, 'expert3');
		expect((await get('/', undefined, { cookie: expertCookie })).status).toBe(200);
		const page = await (await get('/admin/users?q=expert3', 'admin')).text();
		const id = page.match(/href="\/admin\/users\/([0-9a-f-]{36})"/)![1];
		const res = await action(`/admin/users/${id}?/deactivate`, 'admin', {});
		expect((await res.json()).type).toBe('success');
		expect((await get('/', undefined, { cookie: expertCookie })).status).toBe(303);
		const again = await postJson('/api/auth/login', { username: 'expert3', password: 'demo-password' });
		expect(again.status).toBe(401);
		expect((await again.json()).message).toBe('该账号已停用，请联系系统管理员。');
		await action(`/admin/users/${id}?/reactivate`, 'admin', {});
		expect((await postJson('/api/auth/login', { username: 'expert3', password: 'demo-password' })).status).toBe(200);
	});
});
