// GET → the calls the signed-in person may see: the calls of their division's programs
// (managed: true) and the calls open for applications; 401 without a session.
import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { visibleCalls } from '$lib/server/calls/api';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const p = requireUser(event);
	const calls = await visibleCalls(db(), p);
	return json({ calls: calls.map((c) => ({ ...c, results: c.managed ? `/api/calls/${c.id}/results` : null })) });
};
