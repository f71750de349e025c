import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireInternal } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { getManagedCall, loadRubrics, rubricLocked } from '$lib/server/calls/queries';
import { setGuideline, updateCall } from '$lib/server/calls/manage';
import { listDocuments } from '$lib/server/documents';
import { accessTo } from '$lib/server/documents/access';
import { callValues, parseCallForm } from '$lib/server/calls/form';
import { callFormRefusal } from '$lib/server/messages/calls';
import { formFields, parse, z } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';
import { actorOf } from '$lib/server/audit/actor';

export const load: PageServerLoad = async (event) => {
	const p = requireInternal(event);
	const found = await getManagedCall(db(), p, event.params.id);
	if (!found) error(404, m.not_found());
	const [rubrics, locked, guidelines] = await Promise.all([
		loadRubrics(db(), found.call.id),
		rubricLocked(db(), found.call.id),
		listDocuments(db(), p, { kind: 'guideline' })
	]);
	return {
		call: found.call,
		values: callValues(found.call),
		checklist: found.call.intakeChecklist,
		rubrics,
		locked,
		guidelines: guidelines.map((d) => ({ id: d.id, title: d.title, locked: d.locked }))
	};
};

const guidelineSchema = z.object({
	guidelineDocumentId: z
		.string()
		.optional()
		.transform((v) => v || null)
		.pipe(z.uuid().nullable())
});

export const actions: Actions = {
	guideline: async (event) => {
		const p = requireInternal(event);
		const found = await getManagedCall(db(), p, event.params.id);
		if (!found) error(404, m.not_found());
		const parsed = parse(guidelineSchema, formFields(await event.request.formData()));
		if (!parsed.ok) return fail(400, { guideline: true, message: m.call_guideline_invalid() });
		const documentId = parsed.data.guidelineDocumentId;
		if (documentId) {
			const target = await accessTo(db(), p, documentId);
			if (!target || target.document.kind !== 'guideline' || target.access.access === 'none') return fail(400, { guideline: true, message: m.call_guideline_invalid() });
		}
		await setGuideline(db(), actorOf(event), found.call.id, documentId);
		return { guideline: true, success: m.call_guideline_saved() };
	},
	save: async (event) => {
		const p = requireInternal(event);
		const found = await getManagedCall(db(), p, event.params.id);
		if (!found) error(404, m.not_found());
		const fields = formFields(await event.request.formData());
		const parsed = parseCallForm(fields);
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: fields, ...callFormRefusal(parsed) });
		const result = await updateCall(db(), actorOf(event), found.call.id, parsed.settings, parsed.rubrics);
		if (!result.ok) {
			const message = result.problem === 'rubricLocked' ? m.call_rubric_locked() : m.v_form_errors();
			return fail(result.problem === 'rubricLocked' ? 409 : 400, { errors: (result.problem === 'codeTaken' ? { code: m.call_code_taken() } : {}) as Record<string, string>, rubricErrors: [], values: fields, message });
		}
		redirect(303, `/calls/${found.call.id}`);
	}
};
