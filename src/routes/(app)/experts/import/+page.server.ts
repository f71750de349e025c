import { fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireInternal } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { checkExpertImport, importExperts } from '$lib/server/imports/experts';
import { previewOf, withCellErrors } from '$lib/server/imports/preview';
import { readUpload } from '$lib/server/messages/imports';
import { dropUpload, stagedUpload, stageUpload } from '$lib/server/imports/staging';
import type { Actions, PageServerLoad } from './$types';
import { actorOf } from '$lib/server/audit/actor';

export const load: PageServerLoad = (event) => {
	requireInternal(event);
};

export const actions: Actions = {
	preview: async (event) => {
		const p = requireInternal(event);
		const upload = await readUpload(await event.request.formData());
		if (!upload.ok) return fail(400, { message: upload.message, preview: null });
		const check = withCellErrors(await checkExpertImport(db(), upload.text), upload.cellErrors);
		const uploadId = check.ok ? await stageUpload(db(), p.user.id, 'experts', null, upload.text) : null;
		return { preview: previewOf(check, upload.text, uploadId), message: '' };
	},
	confirm: async (event) => {
		const p = requireInternal(event);
		const uploadId = (await event.request.formData()).get('uploadId');
		const csv = await stagedUpload(db(), p.user.id, 'experts', null, uploadId);
		if (csv === null) return fail(400, { message: m.sec_import_expired(), preview: null });
		const result = await importExperts(db(), actorOf(event), csv);
		if (!result.ok) return fail(400, { message: m.import_changed_since(), preview: previewOf(result, csv, null) });
		await dropUpload(db(), uploadId as string);
		redirect(303, `/experts?imported=${result.created}`);
	}
};
