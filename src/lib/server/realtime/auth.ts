// Authenticates a socket from the same session cookie HTTP uses, and checks that the
// connection comes from the app's own pages (Origin), against cross-site socket hijacking.
import type { IncomingMessage } from 'node:http';
import { db } from '../db';
import { config } from '../config';
import { tokenFromCookieHeader, validateSessionToken } from '../auth/session';
import { loadPrincipal, type Principal } from '../auth/principal';

/**
 * True when the Origin header names this app: the configured ORIGIN, or else the host the
 * request was sent to. Clients that send no Origin (scripts, Node's ws) pass: the session
 * cookie is what they must still present, and browsers always send Origin.
 */
export function originAllowed(req: IncomingMessage): boolean {
	const origin = req.headers.origin;
	if (!origin) return true;
	let url: URL;
	try {
		url = new URL(origin);
	} catch {
		return false;
	}
	const configured = config().origin;
	if (configured) return url.origin === new URL(configured).origin;
	const host = req.headers['x-forwarded-host'] ?? req.headers.host;
	return typeof host === 'string' && url.host === host;
}

export async function principalFromRequest(req: IncomingMessage): Promise<Principal | null> {
	const token = tokenFromCookieHeader(req.headers.cookie);
	if (!token) return null;
	const result = await validateSessionToken(db(), token);
	if (!result) return null;
	return loadPrincipal(db(), result.user, result.session.id);
}

/** The locale a socket's messages should be in: the Paraglide cookie, else Chinese. */
export function localeFromRequest(req: IncomingMessage): 'zh-CN' | 'en' {
	const cookie = req.headers.cookie ?? '';
	return /(?:^|;\s*)PARAGLIDE_LOCALE=en(?:;|$)/.test(cookie) ? 'en' : 'zh-CN';
}
