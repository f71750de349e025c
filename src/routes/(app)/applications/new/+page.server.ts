import { fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireApplicant } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { openCalls } from '$lib/server/calls/queries';
import { createDraft } from '$lib/server/applications/drafts';
import { newApplicationSchema } from '$lib/server/applications/schemas';
import { echo, formFields, parse } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';
import { actorOf } from '$lib/server/audit/actor';

export const load: PageServerLoad = async (event) => {
	requireApplicant(event);
	const calls = await openCalls(db());
	const chosen = event.url.searchParams.get('callId');
	return { calls, chosen: calls.some((c) => c.id === chosen) ? chosen : (calls[0]?.id ?? null) };
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireApplicant(event);
		const fields = formFields(await event.request.formData());
		const parsed = parse(newApplicationSchema, fields);
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: echo(fields), message: m.v_form_errors() });
		const result = await createDraft(db(), p, actorOf(event), parsed.data);
		if (!result.ok) {
			const message = result.problem === 'callClosed' ? m.app_call_closed() : m.not_found();
			return fail(400, { errors: {} as Record<string, string>, values: echo(fields), message });
		}
		redirect(303, `/applications/${result.id}${result.existing ? '?existing=1' : ''}`);
	}
};
