// POST → makes the content that of this version again, as a new change everyone sees live.
import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { restoreVersion } from '$lib/server/documents/versions';
import { refuse } from '$lib/server/http/documents';
import { actorOf } from '$lib/server/audit/actor';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => {
	const p = requireUser(event);
	const result = await restoreVersion(db(), p, event.params.id, event.params.versionId, actorOf(event));
	if (!result.ok) return refuse(result.reason);
	return json({ number: result.number });
};
