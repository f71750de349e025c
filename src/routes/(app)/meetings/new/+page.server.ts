import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireInternal } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { createMeeting } from '$lib/server/meetings/schedule/commands';
import { schedulableCalls } from '$lib/server/meetings/schedule/queries';
import { newMeetingSchema } from '$lib/server/meetings/schedule/schemas';
import { echo, formFields, parse } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';
import { actorOf } from '$lib/server/audit/actor';

export const load: PageServerLoad = async (event) => {
	const p = requireInternal(event);
	const calls = await schedulableCalls(db(), p);
	if (calls.length === 0) error(403, m.meetings_no_calls());
	const callId = calls.find((c) => c.id === event.url.searchParams.get('callId'))?.id ?? calls[0].id;
	return { calls, start: { callId, quorum: '0.667', ballotThreshold: '0.667' } };
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireInternal(event);
		const fields = formFields(await event.request.formData());
		const parsed = parse(newMeetingSchema, fields);
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: echo(fields), message: m.v_form_errors() });
		const { callId, ...details } = parsed.data;
		const result = await createMeeting(db(), p, actorOf(event), callId, details);
		if (!result.ok) return fail(result.problem === 'forbidden' ? 403 : 400, { errors: result.errors, values: echo(fields), message: result.message });
		redirect(303, `/meetings/${result.id}/edit`);
	}
};
