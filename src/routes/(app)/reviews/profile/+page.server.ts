import { error, fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireExpert } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { getExpert, pendingInstitutionChange, updateOwnProfile } from '$lib/server/experts/manage';
import { profileSchema } from '$lib/server/experts/schemas';
import { handleConflictForm } from '$lib/server/experts/conflict-form';
import { conflictFormRefusal } from '$lib/server/messages/experts';
import { listStatedConflicts } from '$lib/server/conflicts';
import { echo, formFields, parse } from '$lib/server/validation';
import type { TechnicalField } from '$lib/values';
import type { Actions, PageServerLoad } from './$types';
import { actorOf } from '$lib/server/audit/actor';

export const load: PageServerLoad = async (event) => {
	const p = requireExpert(event);
	const expert = await getExpert(db(), p.expertId!);
	if (!expert) error(404, m.not_found());
	// An expert sees their own declarations; what staff recorded is theirs to tell.
	const conflicts = (await listStatedConflicts(db(), { expertId: expert.id })).filter((c) => c.source === 'declared');
	return { expert, conflicts, pending: await pendingInstitutionChange(db(), expert.id) };
};

export const actions: Actions = {
	save: async (event) => {
		const p = requireExpert(event);
		const fields = formFields(await event.request.formData());
		const parsed = parse(profileSchema, fields);
		if (!parsed.ok) return fail(400, { action: 'save', errors: parsed.errors, values: echo(fields), message: m.v_form_errors() });
		const d = parsed.data;
		const result = await updateOwnProfile(db(), actorOf(event), p.expertId!, {
			...d,
			primaryField: d.primaryField as TechnicalField,
			secondaryFields: d.secondaryFields as TechnicalField[]
		});
		if (!result) error(404, m.not_found());
		return { action: 'save', success: result.institution === 'requested' ? m.rec_institution_requested() : result.institution === 'withdrawn' ? m.rec_institution_request_withdrawn() : m.saved() };
	},
	conflict: async (event) => {
		const p = requireExpert(event);
		const result = await handleConflictForm(db(), p, actorOf(event), p.expertId!, formFields(await event.request.formData()), 'declared');
		if (!result.ok) return fail(400, { action: 'conflict', ...conflictFormRefusal(result) });
		return { action: 'conflict', success: result.ended ? m.conflict_declared_ended({ count: result.ended }) : m.conflict_declared_done() };
	}
	// No withdrawal here: a declared conflict is withdrawn only by staff, with a reason.
};
