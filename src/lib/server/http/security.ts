// Response headers every answer carries, and the Origin rule for state-changing JSON calls.
import { config } from '../config';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * True when a state-changing request under /api comes from another site. The same rule as
 * SvelteKit's check of form posts: the Origin must be the app's own. A request without Origin
 * is refused when the browser says (Sec-Fetch-Site) it is cross-site; one with neither header
 * is not from a browser's page (a script, curl) and still needs the session cookie.
 */
export function crossSiteApiCall(request: Request, url: URL): boolean {
	if (!STATE_CHANGING.has(request.method)) return false;
	if (url.pathname !== '/api' && !url.pathname.startsWith('/api/')) return false;
	const origin = request.headers.get('origin');
	if (origin !== null) return !ownOrigins(url).includes(origin);
	const site = request.headers.get('sec-fetch-site');
	return site !== null && site !== 'same-origin' && site !== 'none';
}

function ownOrigins(url: URL): string[] {
	const configured = config().origin;
	const own = [url.origin];
	if (configured) {
		try {
			own.push(new URL(configured).origin);
		} catch {
			/* a bad ORIGIN fails elsewhere, loudly */
		}
	}
	return own;
}

/** HSTS only over https: sent over http it would be ignored, and it must not pin an intranet http site. */
export const HSTS = 'max-age=31536000';

/** Headers for every response, pages and API alike. */
export function baseHeaders(https: boolean): Record<string, string> {
	return {
		'x-content-type-options': 'nosniff',
		'referrer-policy': 'same-origin',
		// frame-ancestors in the CSP is the rule; this is for browsers that predate it.
		'x-frame-options': 'DENY',
		'cross-origin-opener-policy': 'same-origin',
		...(https ? { 'strict-transport-security': HSTS } : {})
	};
}

/**
 * Sets the security headers on a SvelteKit response. Pages get SvelteKit's CSP (kit.csp in
 * svelte.config.js, with a nonce per response) plus the WebSocket origin of this host, which
 * only the request knows; anything else gets a CSP that forbids framing, and JSON one that
 * forbids everything.
 */
export function applySecurityHeaders(headers: Headers, url: URL): void {
	for (const [k, v] of Object.entries(baseHeaders(url.protocol === 'https:'))) headers.set(k, v);
	const csp = headers.get('content-security-policy');
	const type = headers.get('content-type') ?? '';
	if (csp) {
		const ws = `${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}`;
		headers.set('content-security-policy', csp.replace(/connect-src ([^;]*)/, (_, list: string) => `connect-src ${list} ${ws}`));
	} else if (type.startsWith('application/json')) {
		headers.set('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
	} else if (type.startsWith('text/html')) {
		// SvelteKit's static error page (no nonce): its inline style only.
		headers.set('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
	} else {
		headers.set('content-security-policy', "frame-ancestors 'none'");
	}
}
