// The applicant's hearing: the invitation, their representatives, the experts' questions (from
// two days before) and the live hearing. Anyone but the item's applicant gets a 404.
import { error, fail, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireApplicant } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { actorOf } from '$lib/server/audit/actor';
import { applicantHearingPage } from '$lib/server/meetings/hearings/pages';
import { addRepresentative, removeRepresentative } from '$lib/server/meetings/hearings/commands';
import { representativeIdSchema, representativeSchema } from '$lib/server/meetings/hearings/schemas';
import { hearingProblemMessage, hearingProblemStatus } from '$lib/server/messages/hearings';
import { formFields, parse } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireApplicant(event);
	const page = await applicantHearingPage(db(), p, event.params.itemId);
	if (!page) error(404, m.hrg_p_notFound());
	return page;
};

async function context(event: RequestEvent) {
	const p = requireApplicant(event);
	return { p, actor: actorOf(event), fields: formFields(await event.request.formData()) };
}

export const actions: Actions = {
	addRep: async (event) => {
		const { p, actor, fields } = await context(event);
		const parsed = parse(representativeSchema, { ...fields, itemId: event.params.itemId });
		if (!parsed.ok) return fail(400, { errors: parsed.errors, message: m.v_form_errors() });
		const r = await addRepresentative(db(), p, actor, parsed.data);
		if (!r.ok) return fail(hearingProblemStatus(r.code), { message: hearingProblemMessage(r.code) });
		return { success: m.hrg_rep_added() };
	},
	removeRep: async (event) => {
		const { p, actor, fields } = await context(event);
		const parsed = parse(representativeIdSchema, fields);
		if (!parsed.ok) return fail(400, { message: m.v_invalid() });
		const r = await removeRepresentative(db(), p, actor, parsed.data.representativeId);
		if (!r.ok) return fail(hearingProblemStatus(r.code), { message: hearingProblemMessage(r.code) });
		return { success: m.hrg_rep_removed() };
	}
};
