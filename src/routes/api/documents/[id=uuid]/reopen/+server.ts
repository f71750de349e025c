// POST {"reason"} → an admin reopens a locked document; the reason is audited and names the new version.
import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { reopenDocument } from '$lib/server/documents/lock';
import { invalid, refuse } from '$lib/server/http/documents';
import { actorOf } from '$lib/server/audit/actor';
import { reopenSchema } from '$lib/server/documents/schemas';
import { parse, readJson } from '$lib/server/validation';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => {
	const p = requireUser(event);
	const body = await readJson(event.request, 4096);
	if (!body.ok) return invalid(body.errors, body.status);
	const parsed = parse(reopenSchema, body.data);
	if (!parsed.ok) return invalid(parsed.errors);
	const result = await reopenDocument(db(), p, event.params.id, parsed.data.reason, actorOf(event));
	if (!result.ok) return refuse(result.reason);
	return json({ version: result.versionNumber });
};
