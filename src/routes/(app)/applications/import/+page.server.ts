import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireInternal } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { getManagedCall, listManagedCalls } from '$lib/server/calls/queries';
import { checkApplicationImport, importApplications } from '$lib/server/imports/applications';
import { previewOf, withCellErrors } from '$lib/server/imports/preview';
import { readUpload } from '$lib/server/messages/imports';
import { dropUpload, stagedUpload, stageUpload } from '$lib/server/imports/staging';
import type { Principal } from '$lib/server/auth/principal';
import type { Actions, PageServerLoad } from './$types';
import { actorOf } from '$lib/server/audit/actor';

export const load: PageServerLoad = async (event) => {
	const p = requireInternal(event);
	const calls = await listManagedCalls(db(), p);
	if (calls.length === 0) error(403, m.error_forbidden());
	const chosen = event.url.searchParams.get('callId');
	return { calls, callId: calls.some((c) => c.id === chosen) ? chosen : calls[0].id };
};

/** The chosen call if well formed; a call the user does not manage is refused, not "invalid". */
async function managedCallId(p: Principal, value: FormDataEntryValue | null): Promise<string | null> {
	if (typeof value !== 'string' || !/^[0-9a-f-]{36}$/i.test(value)) return null;
	if (!(await getManagedCall(db(), p, value))) error(403, m.error_forbidden());
	return value;
}

export const actions: Actions = {
	preview: async (event) => {
		const p = requireInternal(event);
		const form = await event.request.formData();
		const callId = await managedCallId(p, form.get('callId'));
		if (!callId) return fail(400, { message: m.v_choice(), preview: null });
		const upload = await readUpload(form);
		if (!upload.ok) return fail(400, { message: upload.message, preview: null });
		const check = withCellErrors(await checkApplicationImport(db(), callId, upload.text), upload.cellErrors);
		const uploadId = check.ok ? await stageUpload(db(), p.user.id, 'applications', callId, upload.text) : null;
		return { preview: previewOf(check, upload.text, uploadId), message: '' };
	},
	confirm: async (event) => {
		const p = requireInternal(event);
		const form = await event.request.formData();
		const callId = await managedCallId(p, form.get('callId'));
		if (!callId) return fail(400, { message: m.v_invalid(), preview: null });
		const uploadId = form.get('uploadId');
		const csv = await stagedUpload(db(), p.user.id, 'applications', callId, uploadId);
		if (csv === null) return fail(400, { message: m.sec_import_expired(), preview: null });
		const result = await importApplications(db(), actorOf(event), callId, csv);
		if (!result.ok) return fail(400, { message: m.import_changed_since(), preview: previewOf(result, csv, null) });
		await dropUpload(db(), uploadId as string);
		redirect(303, `/applications?callId=${callId}&imported=${result.created}`);
	}
};
