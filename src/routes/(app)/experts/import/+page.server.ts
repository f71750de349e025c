import { fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireInternal } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { checkExpertImport, importExperts } from '$lib/server/imports/experts';
import { previewOf, readUpload, withCellErrors } from '$lib/server/imports/preview';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	requireInternal(event);
};

export const actions: Actions = {
	preview: async (event) => {
		requireInternal(event);
		const upload = await readUpload(await event.request.formData());
		if (!upload.ok) return fail(400, { message: upload.message, preview: null });
		return { preview: previewOf(withCellErrors(await checkExpertImport(db(), upload.text), upload.cellErrors), upload.text), message: '' };
	},
	confirm: async (event) => {
		const p = requireInternal(event);
		const csv = (await event.request.formData()).get('csv');
		if (typeof csv !== 'string') return fail(400, { message: m.v_invalid(), preview: null });
		const result = await importExperts(db(), { id: p.user.id, name: p.user.name, ip: event.locals.ip }, csv);
		if (!result.ok) return fail(400, { message: m.import_changed_since(), preview: previewOf(result, csv) });
		redirect(303, `/experts?imported=${result.created}`);
	}
};
