import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireInternal } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { managedPrograms } from '$lib/server/calls/queries';
import { createCall } from '$lib/server/calls/manage';
import { newCallStart, parseCallForm } from '$lib/server/calls/form';
import { callFormRefusal } from '$lib/server/messages/calls';
import { formFields } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';
import { actorOf } from '$lib/server/audit/actor';

export const load: PageServerLoad = async (event) => {
	const p = requireInternal(event);
	const programs = await managedPrograms(db(), p);
	if (programs.length === 0) error(403, m.error_forbidden());
	const chosen = programs.find((x) => x.id === event.url.searchParams.get('programId')) ?? programs[0];
	return { programs, start: await newCallStart(db(), chosen.id) };
};

export const actions: Actions = {
	save: async (event) => {
		const p = requireInternal(event);
		const fields = formFields(await event.request.formData());
		const programs = await managedPrograms(db(), p);
		const programId = typeof fields.programId === 'string' ? fields.programId : '';
		const parsed = parseCallForm(fields);
		const programOk = programs.some((x) => x.id === programId);
		if (!parsed.ok || !programOk || !parsed.rubrics) {
			const errors = { ...(parsed.ok ? {} : parsed.errors), ...(programOk ? {} : { programId: m.v_choice() }) };
			const refusal = parsed.ok ? null : callFormRefusal(parsed);
			return fail(400, { errors, rubricErrors: refusal?.rubricErrors ?? [], values: fields, message: refusal?.message ?? m.v_form_errors() });
		}
		const result = await createCall(db(), actorOf(event), programId, parsed.settings, parsed.rubrics);
		if (!result.ok) return fail(400, { errors: { code: m.call_code_taken() }, rubricErrors: [], values: fields, message: m.v_form_errors() });
		redirect(303, `/calls/${result.id}`);
	}
};
