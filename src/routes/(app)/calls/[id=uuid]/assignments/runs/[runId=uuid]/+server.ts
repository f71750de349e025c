// The record of a random draw as JSON, for anyone to re-run it: the seed, every application's
// eligible pools in the recorded order, and who was drawn. The algorithm is spelled out so
// the draw can be checked without this software.
import { error, json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireInternal } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { getManagedCall } from '$lib/server/calls/queries';
import { runRecord } from '$lib/server/assignment/queries';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const p = requireInternal(event);
	const found = await getManagedCall(db(), p, event.params.id);
	if (!found) error(404, m.not_found());
	const record = await runRecord(db(), found.call.id, event.params.runId);
	if (!record) error(404, m.not_found());
	const { run, names } = record;
	const body = {
		call: found.call.code,
		runId: run.id,
		method: run.method,
		createdAt: run.createdAt,
		createdBy: run.createdByName,
		seed: run.seed,
		params: run.params,
		algorithm:
			'For each application: h = SHA-256(UTF-8 of "<seed>|<application number>"); sfc32 seeded with the first four big-endian 32-bit words of h, first 12 outputs discarded; ' +
			'Fisher–Yates shuffle (i from n−1 down to 1, j = floor(next() × (i + 1))) of financePool, take the first financeNeeded; then of technicalPool with the same generator, take the first technicalNeeded.',
		draws: run.draws.map((d) => ({ ...d, drawnNames: d.drawn.map((id) => names.get(id) ?? id) })),
		unstaffed: run.unstaffed
	};
	return json(body, { headers: { 'content-disposition': `attachment; filename="draw-${found.call.code}-${run.id.slice(0, 8)}.json"` } });
};
