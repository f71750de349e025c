import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireUser } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { getVisibleApplication } from '$lib/server/applications/queries';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireUser(event);
	const found = await getVisibleApplication(db(), p, event.params.id);
	// Not visible and not existing look the same: nothing about it is revealed.
	if (!found) error(404, m.apps_not_found());
	return { ...found, internal: p.isAdmin || p.memberships.length > 0 };
};
