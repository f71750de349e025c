import { error, fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireInternal } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { decideInstitutionChange, getExpert, institutionChanges, updateExpert } from '$lib/server/experts/manage';
import { expertAssignments } from '$lib/server/experts/queries';
import { expertSchema, institutionDecisionSchema, withdrawConflictSchema } from '$lib/server/experts/schemas';
import { handleConflictForm } from '$lib/server/experts/conflict-form';
import { conflictFormRefusal } from '$lib/server/messages/experts';
import { findConflicts, listStatedConflicts } from '$lib/server/conflicts';
import { withdrawConflict } from '$lib/server/conflicts/withdraw';
import { listApplications } from '$lib/server/applications/queries';
import { echo, formFields, parse } from '$lib/server/validation';
import type { TechnicalField } from '$lib/values';
import type { Actions, PageServerLoad } from './$types';
import { actorOf } from '$lib/server/audit/actor';

export const load: PageServerLoad = async (event) => {
	const p = requireInternal(event);
	const expert = await getExpert(db(), event.params.id);
	if (!expert) error(404, m.not_found());
	const [conflicts, assignments, found, changes] = await Promise.all([
		listStatedConflicts(db(), { expertId: expert.id }),
		expertAssignments(db(), expert.id),
		findConflicts(db(), { expertIds: [expert.id] }),
		institutionChanges(db(), expert.id)
	]);
	// Conflicts found from the institution, on applications this staff member may see.
	const byInstitution = found.filter((c) => c.kind === 'institution');
	const { rows: visible } = byInstitution.length ? await listApplications(db(), p, { limit: 5000 }) : { rows: [] };
	const detected = visible.filter((a) => byInstitution.some((c) => c.applicationId === a.id)).map((a) => ({ id: a.id, number: a.number, title: a.title, enterpriseName: a.enterpriseName }));
	return { expert, conflicts, assignments, detected, changes, created: event.url.searchParams.has('created') };
};

function actor(event: Parameters<Actions[string]>[0]) {
	const p = requireInternal(event);
	return { p, actor: actorOf(event) };
}

export const actions: Actions = {
	save: async (event) => {
		const { actor: who } = actor(event);
		const fields = formFields(await event.request.formData());
		const parsed = parse(expertSchema, fields);
		if (!parsed.ok) return fail(400, { action: 'save', errors: parsed.errors, values: echo(fields), message: m.v_form_errors() });
		const d = parsed.data;
		const ok = await updateExpert(db(), who, event.params.id, { ...d, primaryField: d.primaryField as TechnicalField, secondaryFields: d.secondaryFields as TechnicalField[] });
		if (!ok) error(404, m.not_found());
		return { action: 'save', success: m.saved() };
	},
	conflict: async (event) => {
		const { p, actor: who } = actor(event);
		if (!(await getExpert(db(), event.params.id))) error(404, m.not_found());
		const result = await handleConflictForm(db(), p, who, event.params.id, formFields(await event.request.formData()), 'recorded');
		if (!result.ok) return fail(400, { action: 'conflict', ...conflictFormRefusal(result) });
		return { action: 'conflict', success: result.ended ? m.conflict_recorded_ended({ count: result.ended }) : m.conflict_recorded_done() };
	},
	withdrawConflict: async (event) => {
		const { actor: who } = actor(event);
		const parsed = parse(withdrawConflictSchema, formFields(await event.request.formData()));
		if (!parsed.ok) return fail(400, { action: 'conflict', errors: parsed.errors, message: parsed.errors.reason ? m.rec_reason_required() : m.v_form_errors() });
		if (!(await withdrawConflict(db(), who, { conflictId: parsed.data.conflictId, reason: parsed.data.reason, expertId: event.params.id }))) return fail(404, { action: 'conflict', message: m.not_found() });
		return { action: 'conflict', success: m.rec_conflict_withdrawn() };
	},
	institution: async (event) => {
		const { actor: who } = actor(event);
		const parsed = parse(institutionDecisionSchema, formFields(await event.request.formData()));
		if (!parsed.ok) return fail(400, { action: 'institution', errors: parsed.errors, message: parsed.errors.note ? m.rec_reject_note_required() : m.v_form_errors() });
		const approve = parsed.data.decision === 'approve';
		const ok = await decideInstitutionChange(db(), who, { expertId: event.params.id, changeId: parsed.data.changeId, approve, note: parsed.data.note });
		if (!ok) return fail(404, { action: 'institution', message: m.not_found() });
		return { action: 'institution', success: approve ? m.rec_institution_approved() : m.rec_institution_rejected() };
	}
};
