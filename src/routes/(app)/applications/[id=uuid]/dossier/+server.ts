// The sealed dossier of a decided application, for the owning division's staff and admins.
// Anyone else gets 404 (nothing about the application is revealed); every download is audited.
import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireUser } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { actorOf } from '$lib/server/audit/actor';
import { buildDossier } from '$lib/server/dossier/build';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const p = requireUser(event);
	const r = await buildDossier(db(), p, actorOf(event), event.params.id);
	// No dossier before a decision: 404 as for any dossier that is not there for the asker.
	if (!r.ok) error(404, r.code === 'not_decided' ? m.dossier_not_decided() : m.not_found());
	return new Response(r.zip as BodyInit, {
		headers: {
			'content-type': 'application/zip',
			'content-length': String(r.zip.byteLength),
			'content-disposition': `attachment; filename="${r.fileName}"`,
			'x-content-type-options': 'nosniff',
			'cache-control': 'private, no-store'
		}
	});
};
