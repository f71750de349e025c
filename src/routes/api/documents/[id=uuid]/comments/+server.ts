// GET → the document's comment threads; POST {"anchorStart","anchorEnd","quote","body"} → 201 {"id"}.
import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { accessTo } from '$lib/server/documents/access';
import { listThreads, startThread } from '$lib/server/documents/comments';
import { invalid, refuse } from '$lib/server/http/documents';
import { threadSchema } from '$lib/server/documents/schemas';
import { parse, readJson } from '$lib/server/validation';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const p = requireUser(event);
	const allowed = await accessTo(db(), p, event.params.id);
	// A reader by grant (a published guideline's applicant) gets the content, not this.
	if (!allowed || allowed.access.readerOnly) return refuse('not_found');
	return json({ threads: await listThreads(db(), event.params.id) });
};

export const POST: RequestHandler = async (event) => {
	const p = requireUser(event);
	const body = await readJson(event.request, 16 * 1024);
	if (!body.ok) return invalid(body.errors, body.status);
	const parsed = parse(threadSchema, body.data);
	if (!parsed.ok) return invalid(parsed.errors);
	const result = await startThread(db(), p, event.params.id, parsed.data);
	if (!result.ok) return refuse(result.reason);
	return json({ id: result.id }, { status: 201 });
};
