import { fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireAdmin } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { createUser, listDivisions } from '$lib/server/org/users';
import { toUserInput, userCreateSchema } from '$lib/server/org/schemas';
import { echo, formFields, parse } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';
import { actorOf } from '$lib/server/audit/actor';

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	return { divisions: await listDivisions(db()) };
};

export const actions: Actions = {
	save: async (event) => {
		requireAdmin(event);
		const fields = formFields(await event.request.formData());
		const values = echo(fields);
		const parsed = parse(userCreateSchema, fields);
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values, message: m.v_form_errors() });
		const result = await createUser(
			db(),
			actorOf(event),
			{ username: parsed.data.username, ...toUserInput(parsed.data) },
			parsed.data.password
		);
		if (!result.ok) return fail(400, { errors: { username: m.register_taken() }, values, message: m.v_form_errors() });
		redirect(303, `/admin/users/${result.id}?created`);
	}
};
