// Checks that a realtime connection comes from the app's own pages (Origin), against
// cross-site socket hijacking. Who the connection belongs to is start-up's `authenticate` hook.
import type { IncomingMessage } from 'node:http';
import { config } from '../config';

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
