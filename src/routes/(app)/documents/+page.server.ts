import { fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireUser } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { createDocument, divisionOptions, listDocuments, ownerChoices } from '$lib/server/documents';
import { createFormSchema, listSchema } from '$lib/server/documents/schemas';
import { actorOf } from '$lib/server/audit/actor';
import { formFields, parse, type FieldErrors } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireUser(event);
	const parsed = parse(listSchema, Object.fromEntries(event.url.searchParams));
	const filter = parsed.ok ? parsed.data : {};
	const [documents, divisions, owners] = await Promise.all([
		listDocuments(db(), p, { q: filter.q, kind: filter.kind || undefined, divisionId: filter.divisionId || undefined }),
		divisionOptions(db()),
		ownerChoices(db(), p)
	]);
	return { documents, divisions, owners, filter: { q: filter.q ?? '', kind: filter.kind ?? '', divisionId: filter.divisionId ?? '' } };
};

export const actions: Actions = {
	create: async (event) => {
		const p = requireUser(event);
		const fields = formFields(await event.request.formData());
		const parsed = parse(createFormSchema, fields);
		if (!parsed.ok) return fail(400, { errors: parsed.errors, values: fields });
		const [kind, id] = parsed.data.owner.split(':') as ['division' | 'program', string];
		const result = await createDocument(db(), p, { ...parsed.data, owner: { kind, id } }, actorOf(event));
		if (!result.ok) return fail(403, { errors: { owner: m.doc_create_forbidden() } as FieldErrors, values: fields });
		redirect(303, `/documents/${result.id}`);
	}
};
