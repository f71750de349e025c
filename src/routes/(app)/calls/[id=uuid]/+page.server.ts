import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireInternal } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { getManagedCall, loadRubrics, rubricLocked } from '$lib/server/calls/queries';
import { callDashboard } from '$lib/server/calls/dashboard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireInternal(event);
	const found = await getManagedCall(db(), p, event.params.id);
	if (!found) error(404, m.not_found());
	const [rubrics, locked, dashboard] = await Promise.all([loadRubrics(db(), found.call.id), rubricLocked(db(), found.call.id), callDashboard(db(), found.call)]);
	return { ...found, rubrics, locked, totals: dashboard.totals, byStatus: dashboard.byStatus };
};
