// GET → a call's results for its staff: per application the raw and calibrated aggregates,
// per submitted sheet {application, expert, total, z}. Other staff: 404 (as the pages);
// experts and applicants: 403; without a session: 401.
import { error, json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireInternal } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { resultsFor } from '$lib/server/calls/api';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const p = requireInternal(event);
	const outcome = await resultsFor(db(), p, event.params.id);
	if (!outcome.ok) error(404, m.not_found());
	return json(outcome.body, { headers: { 'cache-control': 'no-store' } });
};
