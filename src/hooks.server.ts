// Every request: a request id and its logger, the language (Paraglide), the session.
import { json, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { m } from '$lib/paraglide/messages';
import { db } from '$lib/server/db';
import { ensureApp } from '$lib/server/app';
import { logger } from '$lib/server/log';
import { reportDatabaseError } from '$lib/server/db/health';
import { SESSION_COOKIE, sessionCookieOptions, validateSessionToken } from '$lib/server/auth/session';
import { loadPrincipal } from '$lib/server/auth/principal';
import { announcedTooLarge, bodyLimit, formatLimit, limitRequestBody } from '$lib/server/http/limits';
import { requestLocale } from '$lib/server/http/locale';
import { applySecurityHeaders, crossSiteApiCall } from '$lib/server/http/security';

export const init: ServerInit = async () => {
	await ensureApp();
};

const requestContext: Handle = async ({ event, resolve }) => {
	const incoming = event.request.headers.get('x-request-id');
	const requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : crypto.randomUUID();
	event.locals.requestId = requestId;
	event.locals.log = logger().child({ reqId: requestId });
	event.locals.principal = null;
	try {
		event.locals.ip = event.getClientAddress();
	} catch {
		event.locals.ip = null;
	}
	const started = performance.now();
	let response = await resolve(event);
	// The database was away: say so (503, try again), not "internal error".
	if (event.locals.unavailable && response.status === 500) {
		response = new Response(response.body, { status: 503, headers: response.headers });
		response.headers.set('retry-after', '5');
	}
	response.headers.set('x-request-id', requestId);
	applySecurityHeaders(response.headers, event.url);
	const ms = Math.round(performance.now() - started);
	if (event.url.pathname !== '/healthz') {
		event.locals.log.info(
			{ method: event.request.method, path: event.url.pathname, status: response.status, ms, user: (event.locals as App.Locals).principal?.user.username },
			'request'
		);
	}
	return response;
};

const i18n: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%lang%', locale)
		});
	});

/** A refusal in the form the caller reads: an action result, JSON, or text. */
function refuse(request: Request, status: number, message: string, requestId: string): Response {
	const headers = { 'cache-control': 'no-store' };
	if (request.headers.get('x-sveltekit-action') === 'true') return json({ type: 'error', status, error: { message, requestId } }, { status, headers });
	if (new URL(request.url).pathname.startsWith('/api/') || (request.headers.get('accept') ?? '').includes('application/json')) {
		return json({ message }, { status, headers });
	}
	return new Response(message, { status, headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' } });
}

/**
 * Before anything reads the request: state-changing API calls from other sites are refused,
 * and the body is capped for its route (announced sizes at once, streamed ones as they come).
 */
const guard: Handle = async ({ event, resolve }) => {
	const locale = requestLocale(event.request);
	if (crossSiteApiCall(event.request, event.url)) return refuse(event.request, 403, m.sec_cross_site({}, { locale }), event.locals.requestId);
	if (event.request.body) {
		const limit = bodyLimit(event.route.id, event.url);
		const message = m.sec_body_too_large({ limit: formatLimit(limit) }, { locale });
		if (announcedTooLarge(event.request, limit)) return refuse(event.request, 413, message, event.locals.requestId);
		event.request = limitRequestBody(event.request, limit, message);
	}
	return resolve(event);
};

const session: Handle = async ({ event, resolve }) => {
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const result = await validateSessionToken(db(), token);
		if (result) {
			event.locals.principal = await loadPrincipal(db(), result.user, result.session.id);
			if (result.refreshed) {
				event.cookies.set(SESSION_COOKIE, token, sessionCookieOptions(event.url.protocol === 'https:', result.session.expiresAt));
			}
		} else {
			event.cookies.delete(SESSION_COOKIE, { path: '/' });
		}
	}
	return resolve(event);
};

export const handle: Handle = sequence(requestContext, i18n, guard, session);

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	const requestId = event.locals.requestId;
	if (status >= 500) (event.locals.log ?? logger()).error({ err: error, path: event.url.pathname }, 'unhandled error');
	// Errors SvelteKit itself raises (the adapter's BODY_SIZE_LIMIT, a malformed form) carry
	// their status: say what it means, not "internal error". A database that is away is said so.
	const unavailable = status >= 500 && reportDatabaseError(error);
	if (unavailable) event.locals.unavailable = true;
	const locale = requestLocale(event.request);
	const text =
		status === 404
			? m.error_not_found({}, { locale })
			: status === 413
				? m.v_body_too_large({}, { locale })
				: status === 403
					? m.error_forbidden({}, { locale })
					: status < 500
						? m.sec_bad_request({}, { locale })
						: unavailable
							? m.error_unavailable({}, { locale })
							: m.error_internal({}, { locale });
	return { message: text || message, requestId };
};
