// The HTTP edge from the attacker's side, on the real built server: bodies far over a route's
// cap (announced or streamed), an import confirm that tries to bring its own data, a page of
// another site calling the JSON API, and the headers every answer carries. Needs `npm run build`.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startServer, type TestServer } from '../helpers/server';

let srv: TestServer;
let httpsSrv: TestServer;
const cookies: Record<string, string> = {};
const MB = 1024 * 1024;
const HTTPS_ORIGIN = 'https://panelroom.test';

beforeAll(async () => {
	srv = await startServer();
	// Served as https behind a proxy, with the adapter's own body limit small, to see what
	// SvelteKit's 413 (not the route caps) looks like.
	httpsSrv = await startServer({ ORIGIN: HTTPS_ORIGIN, BODY_SIZE_LIMIT: '2K' });
	for (const u of ['intake', 'planner', 'applicant1']) cookies[u] = await login(srv.url, u);
}, 180_000);
afterAll(async () => {
	await srv?.dispose();
	await httpsSrv?.dispose();
});

interface Sent {
	status: number;
	body: string;
	headers: http.IncomingHttpHeaders;
	/** Bytes of the body written when the answer came. */
	sentWhenAnswered: number;
}

/**
 * POSTs a body of `total` bytes in 64 KiB chunks, announced (Content-Length) or chunked, and
 * stops writing as soon as the server answers: a server that waits for the whole body before
 * refusing it would see every byte.
 */
function pushBody(base: string, path: string, total: number, opts: { announce: boolean; headers?: Record<string, string> }): Promise<Sent> {
	const url = new URL(path, base);
	return new Promise((resolve, reject) => {
		let sent = 0;
		let answered = false;
		const req = http.request(
			url,
			{
				method: 'POST',
				headers: { 'content-type': 'application/json', ...(opts.announce ? { 'content-length': String(total) } : { 'transfer-encoding': 'chunked' }), ...opts.headers }
			},
			(res) => {
				answered = true;
				const at = sent;
				let body = '';
				res.setEncoding('utf8');
				res.on('data', (d) => (body += d));
				res.on('end', () => {
					resolve({ status: res.statusCode!, body, headers: res.headers, sentWhenAnswered: at });
					req.destroy();
				});
			}
		);
		req.on('error', (err) => {
			if (!answered) reject(err);
		});
		const chunk = Buffer.alloc(64 * 1024, 0x20);
		const pump = () => {
			while (!answered && sent < total) {
				sent += chunk.length;
				if (!req.write(chunk)) return void req.once('drain', () => setTimeout(pump, 5));
			}
			if (!answered) req.end();
		};
		pump();
		setTimeout(() => answered || reject(new Error(`no answer after ${sent} bytes`)), 20_000);
	});
}

function action(path: string, who: string, body: FormData | URLSearchParams) {
	return fetch(srv.url + path, { method: 'POST', redirect: 'manual', headers: { origin: srv.url, accept: 'application/json', 'x-sveltekit-action': 'true', cookie: cookies[who] }, body });
}

describe('request bodies are capped while they stream', () => {
	it('a 29 MB sign-in announced by Content-Length is refused 413 before the body is sent', async () => {
		const r = await pushBody(srv.url, '/api/auth/login', 29 * MB, { announce: true });
		expect(r.status).toBe(413);
		expect(r.sentWhenAnswered).toBeLessThan(4 * MB);
		expect(JSON.parse(r.body).message).toBe('请求内容过大（此处最多 4 KB），未作任何更改。');
		expect(r.body).not.toContain('服务器内部错误');
	});

	it('a 29 MB sign-in streamed without a length is refused 413 after the cap, not after 29 MB', async () => {
		const r = await pushBody(srv.url, '/api/auth/login', 29 * MB, { announce: false, headers: { 'accept-language': 'en-US,en;q=0.9' } });
		expect(r.status).toBe(413);
		expect(r.sentWhenAnswered).toBeLessThan(4 * MB);
		expect(JSON.parse(r.body).message).toBe('The request is too large (at most 4 KB here); nothing was changed.');
	});

	it('the language cookie picks the message language', async () => {
		const r = await pushBody(srv.url, '/api/documents', 2 * MB, { announce: true, headers: { cookie: `${cookies.planner}; PARAGLIDE_LOCALE=en` } });
		expect(r.status).toBe(413);
		expect(JSON.parse(r.body).message).toContain('at most 64 KB');
	});

	it('the server stays responsive under ten 29 MB sign-ins at once', async () => {
		const started = performance.now();
		const all = await Promise.all(Array.from({ length: 10 }, () => pushBody(srv.url, '/api/auth/login', 29 * MB, { announce: false })));
		expect(all.every((r) => r.status === 413)).toBe(true);
		expect(all.reduce((n, r) => n + r.sentWhenAnswered, 0)).toBeLessThan(40 * MB);
		const health = await fetch(`${srv.url}/healthz`);
		expect(health.status).toBe(200);
		expect(performance.now() - started).toBeLessThan(15_000);
	});

	it("the adapter's own limit answers 413 with a real message, not 服务器内部错误", async () => {
		// 3 KB: under the sign-in page's cap (8 KB), over BODY_SIZE_LIMIT=2K of this server.
		const form = new URLSearchParams({ username: 'x'.repeat(3000), password: 'y' });
		const res = await fetch(`${httpsSrv.url}/login`, {
			method: 'POST',
			headers: { origin: HTTPS_ORIGIN, accept: 'application/json', 'x-sveltekit-action': 'true', 'content-type': 'application/x-www-form-urlencoded' },
			body: form
		});
		const text = await res.text();
		expect(text).not.toContain('服务器内部错误');
		expect(text).toContain('请求内容过大');
		const api = await pushBody(httpsSrv.url, '/api/auth/login', 3000, { announce: false, headers: { origin: HTTPS_ORIGIN } });
		expect(api.status).toBe(413);
		expect(api.body).not.toContain('服务器内部错误');
	});
});

const EXPERT_HEADER = '姓名,工作单位,主要技术领域';

describe('import confirm refers to the checked upload', () => {
	it('confirm will not take a file of its own, however large', async () => {
		const rows = Array.from({ length: 300_000 }, (_, i) => `专家${i},单位${i},新材料`);
		const form = new URLSearchParams({ csv: [EXPERT_HEADER, ...rows].join('\n') });
		const res = await action('/experts/import?/confirm', 'intake', form);
		expect(res.status).toBe(413);
		const body = await res.json();
		expect(body.error.message).toContain('请求内容过大');
		const list = await (await fetch(`${srv.url}/experts?q=${encodeURIComponent('专家1')}`, { headers: { cookie: cookies.intake } })).text();
		expect(list).not.toContain('单位1<');
	});

	it('a file over the row cap is refused at preview, and nothing is kept to confirm', async () => {
		// 300 000 tiny rows: 1.8 MB, well under the 5 MB file cap.
		const rows = Array.from({ length: 300_000 }, () => 'a,b,c');
		const form = new FormData();
		form.append('file', new Blob([[EXPERT_HEADER, ...rows].join('\n')], { type: 'text/csv' }), 'big.csv');
		const res = await action('/experts/import?/preview', 'intake', form);
		const body = await res.json();
		expect(body.type).toBe('success');
		expect(res.status).toBe(200);
		const text = JSON.stringify(body);
		expect(text).toContain('一次最多导入 5000 行');
		expect(text).not.toMatch(/"uploadId":"[0-9a-f-]{36}"/);
	});

	it('only the previewing user can confirm an upload, and only once', async () => {
		const form = new FormData();
		form.append('file', new Blob([`${EXPERT_HEADER}\n测试专家甲,测试大学,新材料\n`], { type: 'text/csv' }), 'one.csv');
		const preview = await (await action('/experts/import?/preview', 'intake', form)).json();
		// The action's data is devalue-encoded; the only UUID in it is the upload's.
		const uploadId = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/.exec(preview.data)?.[0];
		expect(uploadId).toBeTruthy();
		const stolen = await (await action('/experts/import?/confirm', 'planner', new URLSearchParams({ uploadId: uploadId! }))).json();
		expect(stolen.type).toBe('failure');
		expect(JSON.stringify(stolen)).toContain('预览已过期');
		const forged = await (await action('/experts/import?/confirm', 'intake', new URLSearchParams({ uploadId: crypto.randomUUID() }))).json();
		expect(forged.type).toBe('failure');
		const own = await action('/experts/import?/confirm', 'intake', new URLSearchParams({ uploadId: uploadId! }));
		expect((await own.json()).type).toBe('redirect');
		const again = await (await action('/experts/import?/confirm', 'intake', new URLSearchParams({ uploadId: uploadId! }))).json();
		expect(again.type).toBe('failure');
	});
});

describe('state-changing API calls from another site', () => {
	const loginBody = JSON.stringify({ username: 'planner', password: 'demo-password' });

	it('refuses a foreign Origin with 403 and a localized message', async () => {
		for (const origin of ['http://evil.example', 'null', srv.url.replace('127.0.0.1', 'localhost')]) {
			const res = await fetch(`${srv.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: loginBody });
			expect(res.status).toBe(403);
			expect(res.headers.getSetCookie().some((c) => c.startsWith('panelroom_session='))).toBe(false);
			expect((await res.json()).message).toBe('拒绝来自其他网站的请求。请在本系统页面中操作。');
		}
		const en = await fetch(`${srv.url}/api/auth/logout`, { method: 'POST', headers: { origin: 'http://evil.example', cookie: `${cookies.planner}; PARAGLIDE_LOCALE=en` } });
		expect(en.status).toBe(403);
		expect((await en.json()).message).toContain('other sites');
		// The session survived the forged sign-out.
		expect((await fetch(`${srv.url}/api/me`, { headers: { cookie: cookies.planner } })).status).toBe(200);
	});

	it('refuses a cross-site request that sends no Origin but says where it comes from', async () => {
		const res = await fetch(`${srv.url}/api/me/locale`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site', cookie: cookies.applicant1 },
			body: JSON.stringify({ locale: 'en' })
		});
		expect(res.status).toBe(403);
	});

	it('refuses every state-changing method, with a valid session', async () => {
		for (const [method, path] of [
			['PUT', `/api/applications/${crypto.randomUUID()}`],
			['PATCH', `/api/documents/${crypto.randomUUID()}`],
			['DELETE', `/api/documents/${crypto.randomUUID()}`],
			['POST', '/api/documents']
		] as const) {
			const res = await fetch(srv.url + path, { method, headers: { 'content-type': 'application/json', origin: 'https://evil.example', cookie: cookies.planner }, body: '{}' });
			expect(res.status, `${method} ${path}`).toBe(403);
		}
	});

	it('lets the app’s own pages and scripts without Origin through', async () => {
		const own = await fetch(`${srv.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: srv.url, 'sec-fetch-site': 'same-origin' }, body: loginBody });
		expect(own.status).toBe(200);
		const script = await fetch(`${srv.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: loginBody });
		expect(script.status).toBe(200);
		// Reading is not changing: a foreign Origin on GET is CORS's business.
		expect((await fetch(`${srv.url}/api/me`, { headers: { origin: 'http://evil.example', cookie: cookies.planner } })).status).toBe(200);
	});
});

describe('security headers', () => {
	it('pages carry a strict CSP with a nonce and no inline script', async () => {
		const res = await fetch(`${srv.url}/login`);
		const csp = res.headers.get('content-security-policy')!;
		expect(csp).toBeTruthy();
		const script = /script-src ([^;]*)/.exec(csp)![1];
		expect(script).toMatch(/'nonce-[A-Za-z0-9+/=]+'/);
		expect(script).not.toContain('unsafe-inline');
		expect(script).not.toContain('unsafe-eval');
		expect(csp).toContain("frame-ancestors 'none'");
		expect(csp).toContain("object-src 'none'");
		expect(/connect-src ([^;]*)/.exec(csp)![1]).toContain(`ws://${new URL(srv.url).host}`);
		const html = await res.text();
		const nonce = /'nonce-([^']+)'/.exec(script)![1];
		for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag.includes(`nonce="${nonce}"`) || /\bsrc=/.test(tag)).toBe(true);
		expect(res.headers.get('x-content-type-options')).toBe('nosniff');
		expect(res.headers.get('referrer-policy')).toBe('same-origin');
		expect(res.headers.get('strict-transport-security')).toBeNull();
	});

	it('API answers, static files and Socket.IO carry them too', async () => {
		for (const path of ['/api/me', '/healthz', '/favicon.svg', '/socket.io/?EIO=4&transport=polling']) {
			const res = await fetch(srv.url + path);
			expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
			expect(res.headers.get('referrer-policy'), path).toBe('same-origin');
			expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
		}
	});

	it('HSTS only when served over https', async () => {
		const res = await fetch(`${httpsSrv.url}/login`);
		expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
		expect(res.headers.get('content-security-policy')).toContain('wss://panelroom.test');
		const fav = await fetch(`${httpsSrv.url}/favicon.svg`);
		expect(fav.headers.get('strict-transport-security')).toMatch(/max-age=/);
	});
});
