import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireUser } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { getDocument } from '$lib/server/documents';
import { listThreads } from '$lib/server/documents/comments';
import { listVersions } from '$lib/server/documents/versions';
import { listShares } from '$lib/server/documents/shares';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireUser(event);
	const id = event.params.id;
	// Comments, versions and shares change while the page is open: the editor invalidates this.
	event.depends(`document:${id}`);
	const document = await getDocument(db(), p, id);
	if (!document) error(404, m.doc_error_not_found());
	const manages = document.access.canManage && document.ownerKind !== 'meeting';
	// A reader by grant (an applicant reading a published guideline) sees the content only.
	const inner = !document.access.readerOnly;
	const [threads, versions, shares] = await Promise.all([
		inner ? listThreads(db(), id) : Promise.resolve([]),
		inner ? listVersions(db(), id) : Promise.resolve([]),
		manages ? listShares(db(), id) : Promise.resolve([])
	]);
	return { document, threads, versions, shares, manages };
};
