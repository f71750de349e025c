// Every request: a request id and its logger, the language (Paraglide), the session.
import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { m } from '$lib/paraglide/messages';
import { db, ensureDatabase } from '$lib/server/db';
import { logger } from '$lib/server/log';
import { reportDatabaseError } from '$lib/server/db/health';
import { SESSION_COOKIE, sessionCookieOptions, validateSessionToken } from '$lib/server/auth/session';
import { loadPrincipal } from '$lib/server/auth/principal';

export const init: ServerInit = async () => {
	await ensureDatabase();
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

export const handle: Handle = sequence(requestContext, i18n, session);

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	const requestId = event.locals.requestId;
	if (status >= 500) (event.locals.log ?? logger()).error({ err: error, path: event.url.pathname }, 'unhandled error');
	let text = message;
	const unavailable = status >= 500 && reportDatabaseError(error);
	if (unavailable) event.locals.unavailable = true;
	try {
		text = status === 404 ? m.error_not_found() : unavailable ? m.error_unavailable() : m.error_internal();
	} catch {
		/* outside a request's locale context */
	}
	return { message: text, requestId };
};
