import { fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { db } from '$lib/server/db';
import { requireGuest } from '$lib/server/auth/guards';
import { registerApplicant, signIn } from '$lib/server/auth/accounts';
import { registerSchema } from '$lib/server/auth/schemas';
import { setSessionCookie } from '$lib/server/auth/cookies';
import { echo, formFields, parse } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	requireGuest(event);
};

export const actions: Actions = {
	default: async (event) => {
		requireGuest(event);
		const fields = formFields(await event.request.formData());
		const values = echo(fields);
		const parsed = parse(registerSchema, fields);
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values, message: m.v_form_errors() });

		const meta = { ip: event.locals.ip, userAgent: event.request.headers.get('user-agent') };
		const result = await registerApplicant(db(), parsed.data, meta);
		if (!result.ok) return fail(400, { errors: { username: m.register_taken() }, values, message: m.v_form_errors() });

		const session = await signIn(db(), parsed.data.username, parsed.data.password, meta);
		if (session.ok) setSessionCookie(event.cookies, event.url, session.token, session.session.expiresAt);
		redirect(303, session.ok ? '/' : '/login');
	}
};
