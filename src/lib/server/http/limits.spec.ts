import { describe, expect, it } from 'vitest';
import { bodyLimit, formatLimit, limitRequestBody, readBodyBytes } from './limits';
import { crossSiteApiCall } from './security';
import { readJson } from '../validation';

/** A request whose 29 MB body is produced only as it is read; `pulled()` says how much was. */
function hugeRequest(total = 29 * 1024 * 1024, headers: Record<string, string> = {}) {
	let pulled = 0;
	const chunk = new Uint8Array(64 * 1024).fill(0x20);
	const body = new ReadableStream<Uint8Array>({
		pull(controller) {
			if (pulled >= total) return controller.close();
			pulled += chunk.length;
			controller.enqueue(chunk);
		}
	});
	const request = new Request('http://app.test/api/auth/login', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
	return { request, pulled: () => pulled };
}

describe('body caps', () => {
	it('readJson stops reading a 29 MB body at its cap', async () => {
		const { request, pulled } = hugeRequest();
		const body = await readJson(request, 4096);
		expect(body.ok).toBe(false);
		if (!body.ok) expect(body.status).toBe(413);
		expect(pulled()).toBeLessThanOrEqual(3 * 64 * 1024);
	});

	it('refuses an announced size without reading at all', async () => {
		const { request, pulled } = hugeRequest(29 * 1024 * 1024, { 'content-length': String(29 * 1024 * 1024) });
		expect(await readBodyBytes(request, 4096)).toEqual({ ok: false, tooLarge: true });
		expect(pulled()).toBeLessThanOrEqual(64 * 1024);
	});

	it('the route-wide cap makes formData() throw a 413, having read little', async () => {
		const { request, pulled } = hugeRequest();
		const limited = limitRequestBody(request, 8192, 'too large');
		await expect(limited.formData()).rejects.toMatchObject({ status: 413, body: { message: 'too large' } });
		expect(pulled()).toBeLessThanOrEqual(3 * 64 * 1024);
	});

	it('reads a body under the cap whole', async () => {
		const request = new Request('http://app.test/api/x', { method: 'POST', body: JSON.stringify({ a: 1 }) });
		expect(await readJson(request, 4096)).toEqual({ ok: true, data: { a: 1 } });
	});

	it('has caps per route and action', () => {
		const u = (p: string) => new URL(`http://app.test${p}`);
		expect(bodyLimit('/api/auth/login', u('/api/auth/login'))).toBe(4096);
		expect(bodyLimit('/api/documents', u('/api/documents'))).toBe(64 * 1024);
		expect(bodyLimit(null, u('/api/nothing'))).toBe(64 * 1024);
		expect(bodyLimit('/(app)/experts/import', u('/experts/import?/confirm'))).toBe(4096);
		expect(bodyLimit('/(app)/experts/import', u('/experts/import?/preview'))).toBeGreaterThan(5 * 1024 * 1024);
		expect(bodyLimit('/(app)/applications/[id=uuid]', u('/applications/x?/upload'))).toBeGreaterThan(20 * 1024 * 1024);
		expect(bodyLimit('/(app)/applications/[id=uuid]', u('/applications/x?/save'))).toBe(256 * 1024);
		expect(formatLimit(4096)).toBe('4 KB');
	});
});

describe('cross-site API calls', () => {
	const url = new URL('http://app.test/api/documents');
	const req = (method: string, headers: Record<string, string>) => new Request(url, { method, headers });
	it('refuses a foreign or opaque Origin, and a cross-site fetch without one', () => {
		expect(crossSiteApiCall(req('POST', { origin: 'http://evil.test' }), url)).toBe(true);
		expect(crossSiteApiCall(req('DELETE', { origin: 'null' }), url)).toBe(true);
		expect(crossSiteApiCall(req('PUT', { 'sec-fetch-site': 'same-site' }), url)).toBe(true);
	});
	it('lets same-origin calls, scripts and reads through', () => {
		expect(crossSiteApiCall(req('POST', { origin: 'http://app.test' }), url)).toBe(false);
		expect(crossSiteApiCall(req('POST', {}), url)).toBe(false);
		expect(crossSiteApiCall(req('GET', { origin: 'http://evil.test' }), url)).toBe(false);
		expect(crossSiteApiCall(req('POST', { origin: 'http://evil.test' }), new URL('http://app.test/login')), 'pages: SvelteKit checks forms').toBe(false);
	});
});
