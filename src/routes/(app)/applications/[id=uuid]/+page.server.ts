import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireApplicant, requireInternal, requireUser } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { applicationPage } from '$lib/server/applications/detail';
import { addAttachment, removeAttachment, saveDraft, submitApplication, withdrawApplication } from '$lib/server/applications/drafts';
import { draftSchema } from '$lib/server/applications/schemas';
import { acceptApplication, rejectApplication, saveChecks, type CheckInput } from '$lib/server/intake';
import { pdfProblemMessage, submitErrors } from '$lib/server/messages/applications';
import { formFields, parse, z } from '$lib/server/validation';
import { parseJsonOr } from '$lib/json';
import type { Actions, PageServerLoad } from './$types';
import { actorOf } from '$lib/server/audit/actor';
import { objectionsLodgedBy } from '$lib/server/publications';
import { releasedForApplicant } from '$lib/server/opinions/queries';
import { mayDownloadDossier } from '$lib/server/dossier/build';

export const load: PageServerLoad = async (event) => {
	const p = requireUser(event);
	const page = await applicationPage(db(), p, event.params.id);
	// Not visible and not existing look the same: nothing about it is revealed.
	if (!page) error(404, m.apps_not_found());
	// An applicant who objected to a published list reads the handling here (issue 11).
	const myObjections = page.view === 'applicant' ? await objectionsLodgedBy(db(), p.user.id) : [];
	// The applicant sees only what the division released of the panel's opinion (frozen views).
	const opinions = page.view === 'applicant' ? await releasedForApplicant(db(), p, event.params.id) : [];
	const dossier = page.view === 'staff' && page.application.status === 'decided' && (await mayDownloadDossier(db(), p, event.params.id));
	return { ...page, opinions, dossier, myObjections, existing: event.url.searchParams.has('existing') };
};

function readDraft(fields: Record<string, string | string[]>) {
	return parse(draftSchema, parseJsonOr(fields.draft, {}));
}

function readChecks(fields: Record<string, string | string[]>): CheckInput[] {
	const out: CheckInput[] = [];
	for (const [name, value] of Object.entries(fields)) {
		const key = /^check_(.+)$/.exec(name)?.[1];
		if (!key || (value !== 'pass' && value !== 'fail')) continue;
		const note = fields[`note_${key}`];
		out.push({ key, passed: value === 'pass', note: (typeof note === 'string' ? note : '').trim().slice(0, 500) });
	}
	return out;
}

const intakeMessages = () => ({
	notFound: m.apps_not_found(),
	notSubmitted: m.intake_not_submitted(),
	incomplete: m.intake_incomplete(),
	failedChecks: m.intake_failed_checks(),
	unknownCheck: m.v_invalid()
});

export const actions: Actions = {
	save: async (event) => {
		const p = requireApplicant(event);
		const draft = readDraft(formFields(await event.request.formData()));
		if (!draft.ok) return fail(400, { action: 'save', errors: draft.errors, message: m.v_form_errors() });
		const result = await saveDraft(db(), p, event.params.id, draft.data);
		if (!result.ok) error(result.problem === 'notFound' ? 404 : 409, result.problem === 'notFound' ? m.apps_not_found() : m.app_not_draft());
		return { action: 'save', success: m.saved() };
	},
	submit: async (event) => {
		const p = requireApplicant(event);
		const draft = readDraft(formFields(await event.request.formData()));
		if (!draft.ok) return fail(400, { action: 'submit', errors: draft.errors, message: m.v_form_errors() });
		const result = await submitApplication(db(), p, actorOf(event), event.params.id, draft.data);
		if (result.ok) redirect(303, `/applications/${event.params.id}?submitted=1`);
		if (result.problem === 'notFound') error(404, m.apps_not_found());
		if (result.problem === 'invalid') return fail(400, { action: 'submit', errors: submitErrors(result.errors), message: m.app_submit_invalid() });
		const message = result.problem === 'callClosed' ? m.app_call_closed() : result.problem === 'duplicate' ? m.app_duplicate() : m.app_not_draft();
		return fail(409, { action: 'submit', errors: {} as Record<string, string>, message });
	},
	upload: async (event) => {
		const p = requireApplicant(event);
		const form = await event.request.formData();
		const kind = z.enum(['proposal', 'financials', 'other']).safeParse(form.get('kind'));
		const file = form.get('file');
		if (!kind.success || !(file instanceof File) || file.size === 0) return fail(400, { action: 'upload', message: m.attachment_choose_file() });
		const bytes = new Uint8Array(await file.arrayBuffer());
		const result = await addAttachment(db(), p, actorOf(event), event.params.id, { kind: kind.data, name: file.name, bytes });
		if (result.ok) return { action: 'upload', success: m.attachment_uploaded({ name: file.name }) };
		if (result.problem === 'notFound') error(404, m.apps_not_found());
		return fail(400, { action: 'upload', message: pdfProblemMessage(result.problem) });
	},
	removeAttachment: async (event) => {
		const p = requireApplicant(event);
		const id = formFields(await event.request.formData()).attachmentId;
		const result = typeof id === 'string' && z.uuid().safeParse(id).success ? await removeAttachment(db(), p, actorOf(event), event.params.id, id) : { ok: false };
		if (!result.ok) return fail(404, { action: 'upload', message: m.not_found() });
		return { action: 'upload', success: m.attachment_removed() };
	},
	withdraw: async (event) => {
		const p = requireApplicant(event);
		const result = await withdrawApplication(db(), p, actorOf(event), event.params.id);
		if (!result.ok) return fail(409, { action: 'withdraw', message: m.app_cannot_withdraw() });
		redirect(303, `/applications/${event.params.id}`);
	},
	checks: async (event) => {
		const p = requireInternal(event);
		const result = await saveChecks(db(), p, actorOf(event), event.params.id, readChecks(formFields(await event.request.formData())));
		if (!result.ok) {
			if (result.problem === 'notFound') error(404, m.apps_not_found());
			return fail(409, { action: 'intake', message: intakeMessages()[result.problem] });
		}
		return { action: 'intake', success: m.intake_checks_saved() };
	},
	accept: async (event) => {
		const p = requireInternal(event);
		const result = await acceptApplication(db(), p, actorOf(event), event.params.id, readChecks(formFields(await event.request.formData())));
		if (!result.ok) {
			if (result.problem === 'notFound') error(404, m.apps_not_found());
			return fail(409, { action: 'intake', message: intakeMessages()[result.problem] });
		}
		return { action: 'intake', success: m.intake_accepted() };
	},
	reject: async (event) => {
		const p = requireInternal(event);
		const fields = formFields(await event.request.formData());
		const reason = parse(z.object({ reason: z.string().trim().min(10).max(2000) }), fields);
		if (!reason.ok) return fail(400, { action: 'intake', errors: reason.errors, message: m.intake_reason_required() });
		const result = await rejectApplication(db(), p, actorOf(event), event.params.id, reason.data.reason, readChecks(fields));
		if (!result.ok) {
			if (result.problem === 'notFound') error(404, m.apps_not_found());
			return fail(409, { action: 'intake', message: intakeMessages()[result.problem] });
		}
		return { action: 'intake', success: m.intake_rejected() };
	}
};
