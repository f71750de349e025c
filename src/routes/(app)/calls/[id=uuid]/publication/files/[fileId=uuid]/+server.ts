// GET → a file of an objection (the objector's evidence or a staff note's), for its handlers only.
import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireInternal } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { objectionFile } from '$lib/server/publications';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const p = requireInternal(event);
	const f = await objectionFile(db(), p, event.params.fileId);
	if (!f) error(404, m.not_found());
	return new Response(new Uint8Array(f.data), {
		headers: {
			'content-type': f.contentType,
			'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(f.fileName)}`,
			'cache-control': 'private, no-store'
		}
	});
};
