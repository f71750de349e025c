// POST {"action":"reply","body"} | {"action":"resolve"} | {"action":"reopen"} on a thread.
import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { reply, setResolved } from '$lib/server/documents/comments';
import { invalid, refuse } from '$lib/server/http/documents';
import { commentActionSchema } from '$lib/server/documents/schemas';
import { parse, readJson } from '$lib/server/validation';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => {
	const p = requireUser(event);
	const body = await readJson(event.request, 16 * 1024);
	if (!body.ok) return invalid(body.errors, body.status);
	const parsed = parse(commentActionSchema, body.data);
	if (!parsed.ok) return invalid(parsed.errors);
	const { id, commentId } = event.params;
	const input = parsed.data;
	const result =
		input.action === 'reply' ? await reply(db(), p, id, commentId, input.body) : await setResolved(db(), p, id, commentId, input.action === 'resolve');
	if (!result.ok) return refuse(result.reason);
	return json({ id: result.id }, { status: input.action === 'reply' ? 201 : 200 });
};
