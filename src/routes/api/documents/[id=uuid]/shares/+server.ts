// GET → who the document is shared with, and (with ?q=) people it could be shared with;
// POST {"userId","access":"view"|"comment"|"edit"|"none"} → grants, changes or removes a share.
import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { accessTo } from '$lib/server/documents/access';
import { listShares, setShare, shareCandidates } from '$lib/server/documents/shares';
import { invalid, refuse } from '$lib/server/http/documents';
import { actorOf } from '$lib/server/audit/actor';
import { shareSchema } from '$lib/server/documents/schemas';
import { parse, readJson } from '$lib/server/validation';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const p = requireUser(event);
	const allowed = await accessTo(db(), p, event.params.id);
	if (!allowed) return refuse('not_found');
	const q = event.url.searchParams.get('q');
	const candidates = q !== null && allowed.access.canManage ? await shareCandidates(db(), q.trim().slice(0, 50)) : [];
	return json({ shares: await listShares(db(), event.params.id), candidates });
};

export const POST: RequestHandler = async (event) => {
	const p = requireUser(event);
	const body = await readJson(event.request, 4096);
	if (!body.ok) return invalid(body.errors, body.status);
	const parsed = parse(shareSchema, body.data);
	if (!parsed.ok) return invalid(parsed.errors);
	const result = await setShare(db(), p, event.params.id, parsed.data.userId, parsed.data.access, actorOf(event));
	if (!result.ok) return refuse(result.reason);
	return json({ ok: true });
};
