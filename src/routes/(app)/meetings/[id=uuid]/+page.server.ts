import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireUser } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { meetingAccess } from '$lib/server/meetings/access';
import { meetingOverview } from '$lib/server/meetings/schedule';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireUser(event);
	const access = await meetingAccess(db(), p, event.params.id);
	if (!access) error(404, m.not_found());
	const overview = await meetingOverview(db(), p, access);
	if (!overview) error(404, m.not_found());
	return { access, ...overview };
};
