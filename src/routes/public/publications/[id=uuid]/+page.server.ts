import { error, fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { db } from '$lib/server/db';
import { issueFormToken, minFillMs, MAX_OBJECTION_FILE_BYTES, MAX_OBJECTION_FILES, publicPublication, takeObjectionSlot } from '$lib/server/publications';
import { formFiles, submitObjection } from '$lib/server/publications/edge';
import { formatLimit } from '$lib/server/http/limits';
import { echo, formFields } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	event.setHeaders({ 'cache-control': 'no-store' });
	const publication = await publicPublication(db(), event.params.id);
	if (!publication) error(404, m.pub_not_found());
	const p = event.locals.principal;
	// A token per page view for visitors; an account's session stands in for it.
	const token = publication.accepting && !p && (await takeObjectionSlot('token', event.locals.ip)) ? issueFormToken(publication.id) : null;
	return {
		publication,
		token,
		minFillMs: minFillMs(),
		account: p ? { name: p.user.name } : null,
		limits: { count: MAX_OBJECTION_FILES, size: formatLimit(MAX_OBJECTION_FILE_BYTES) }
	};
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const fields = formFields(form);
		const result = await submitObjection({ publicationId: event.params.id, fields, files: await formFiles(form, 'files'), principal: event.locals.principal, ip: event.locals.ip });
		const { token: _t, website: _w, ...rest } = fields;
		if (!result.ok) return fail(result.status, { message: result.message, errors: result.errors ?? {}, values: echo(rest) });
		return { receipt: result.receipt };
	}
};
