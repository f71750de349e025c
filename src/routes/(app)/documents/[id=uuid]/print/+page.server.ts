import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireUser } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { exportContent } from '$lib/server/documents/exporting';
import { renderHtml } from '$lib/server/documents/render';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireUser(event);
	const found = await exportContent(db(), p, event.params.id);
	if (!found.ok) error(404, m.doc_error_not_found());
	return { id: event.params.id, title: found.title, html: renderHtml(found.content), footer: found.footer ?? null, printedAt: new Date() };
};
