import { requireRole, roles } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { listMeetings, schedulableCalls } from '$lib/server/meetings/schedule/queries';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, (x) => roles.isInternal(x) || roles.isExpert(x));
	const [meetings, calls] = await Promise.all([listMeetings(db(), p), roles.isInternal(p) ? schedulableCalls(db(), p) : []]);
	return { meetings, canSchedule: calls.length > 0 };
};
