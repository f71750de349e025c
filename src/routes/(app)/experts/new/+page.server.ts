import { fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireInternal } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { createExpert } from '$lib/server/experts/manage';
import { expertSchema } from '$lib/server/experts/schemas';
import { echo, formFields, parse } from '$lib/server/validation';
import type { TechnicalField } from '$lib/values';
import type { Actions, PageServerLoad } from './$types';
import { actorOf } from '$lib/server/audit/actor';

export const load: PageServerLoad = (event) => {
	requireInternal(event);
};

export const actions: Actions = {
	save: async (event) => {
		requireInternal(event);
		const fields = formFields(await event.request.formData());
		const parsed = parse(expertSchema, fields);
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: echo(fields), message: m.v_form_errors() });
		const d = parsed.data;
		const id = await createExpert(db(), actorOf(event), {
			...d,
			primaryField: d.primaryField as TechnicalField,
			secondaryFields: d.secondaryFields as TechnicalField[]
		});
		redirect(303, `/experts/${id}?created=1`);
	}
};
