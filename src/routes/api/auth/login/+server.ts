// POST {"username","password"} → 200 with the session cookie, 401 with a message.
import { json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { db } from '$lib/server/db';
import { signIn } from '$lib/server/auth/accounts';
import { loginSchema } from '$lib/server/auth/schemas';
import { isLocale, setLocaleCookie, setSessionCookie } from '$lib/server/auth/cookies';
import { parse, readJson } from '$lib/server/validation';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => {
	const body = await readJson(event.request, 4096);
	if (!body.ok) return json({ message: body.errors._ }, { status: body.status });
	const parsed = parse(loginSchema, body.data);
	if (!parsed.ok) return json({ message: m.v_form_errors(), errors: parsed.errors }, { status: 400 });

	const result = await signIn(db(), parsed.data.username, parsed.data.password, {
		ip: event.locals.ip,
		userAgent: event.request.headers.get('user-agent')
	});
	if (!result.ok) {
		if (result.reason === 'throttled') {
			return json(
				{ message: m.login_throttled({ seconds: result.retryAfter }), retryAfter: result.retryAfter },
				{ status: 429, headers: { 'retry-after': String(result.retryAfter) } }
			);
		}
		return json({ message: result.reason === 'inactive' ? m.login_inactive() : m.login_invalid() }, { status: 401 });
	}
	setSessionCookie(event.cookies, event.url, result.token, result.session.expiresAt);
	if (isLocale(result.locale)) setLocaleCookie(event.cookies, result.locale);
	return json({ message: m.login_success(), user: { id: result.userId }, expiresAt: result.session.expiresAt.toISOString() });
};
