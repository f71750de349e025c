import { requireExpert } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { myAssignments } from '$lib/server/reviews';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireExpert(event);
	const all = await myAssignments(db(), p.expertId!);
	// After declining an assignment (its page is closed to them now), said here.
	const flag = event.url.searchParams.get('declined');
	const justDeclined = flag === 'conflict' || flag === 'done' ? flag : null;
	return { active: all.filter((a) => a.status === 'active'), declined: all.filter((a) => a.status === 'declined'), justDeclined };
};
