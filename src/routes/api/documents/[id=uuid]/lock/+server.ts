// POST → locks (finalizes) the document: its final content and SHA-256 are stored and audited.
import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { lockDocument } from '$lib/server/documents/lock';
import { refuse } from '$lib/server/http/documents';
import { actorOf } from '$lib/server/audit/actor';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => {
	const p = requireUser(event);
	const result = await lockDocument(db(), p, event.params.id, actorOf(event));
	if (!result.ok) return refuse(result.reason);
	return json({ sha256: result.sha256, version: result.versionNumber });
};
