import { fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { db } from '$lib/server/db';
import { requireGuest } from '$lib/server/auth/guards';
import { signIn } from '$lib/server/auth/accounts';
import { loginSchema } from '$lib/server/auth/schemas';
import { isLocale, safeNext, setLocaleCookie, setSessionCookie } from '$lib/server/auth/cookies';
import { formFields, parse } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	requireGuest(event);
	return { next: safeNext(event.url.searchParams.get('next')), loggedOut: event.url.searchParams.has('signedOut') };
};

export const actions: Actions = {
	default: async (event) => {
		requireGuest(event);
		const fields = formFields(await event.request.formData());
		const values = { username: typeof fields.username === 'string' ? fields.username.slice(0, 100) : '' };
		const parsed = parse(loginSchema, fields);
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values });

		const result = await signIn(db(), parsed.data.username, parsed.data.password, {
			ip: event.locals.ip,
			userAgent: event.request.headers.get('user-agent')
		});
		if (!result.ok) {
			const message =
				result.reason === 'throttled'
					? m.login_throttled({ seconds: result.retryAfter })
					: result.reason === 'inactive'
						? m.login_inactive()
						: m.login_invalid();
			return fail(result.reason === 'throttled' ? 429 : 400, { message, values });
		}
		setSessionCookie(event.cookies, event.url, result.token, result.session.expiresAt);
		if (isLocale(result.locale)) setLocaleCookie(event.cookies, result.locale);
		redirect(303, safeNext(String(fields.next ?? '')));
	}
};
