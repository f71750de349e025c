// Downloads an attachment for whoever may read the application: its applicant, staff of its
// program, or an expert assigned to it and not conflicted. Anyone else gets 404.
import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireUser } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { getAttachment, getVisibleApplication } from '$lib/server/applications/queries';
import { expertMayRead } from '$lib/server/reviews';
import { audit } from '$lib/server/audit';
import type { RequestHandler } from './$types';
import { actorOf } from '$lib/server/audit/actor';

export const GET: RequestHandler = async (event) => {
	const p = requireUser(event);
	const { id, attachmentId } = event.params;
	const visible = !!(await getVisibleApplication(db(), p, id));
	const asExpert = !visible && p.expertId ? await expertMayRead(db(), p.expertId, id) : false;
	if (!visible && !asExpert) error(404, m.not_found());
	const file = await getAttachment(db(), id, attachmentId);
	if (!file) error(404, m.not_found());
	if (asExpert) await audit(db(), actorOf(event), 'attachment.downloaded', { type: 'application', id }, { attachmentId, name: file.fileName });
	const ascii = file.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '');
	const mode = event.url.searchParams.has('download') ? 'attachment' : 'inline';
	return new Response(file.data as BodyInit, {
		headers: {
			'content-type': 'application/pdf',
			'content-length': String(file.data.byteLength),
			'content-disposition': `${mode}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
			'x-content-type-options': 'nosniff',
			'cache-control': 'private, no-store'
		}
	});
};
