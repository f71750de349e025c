// The applicant's hearings: the items of their applications that have a hearing.
import { requireApplicant } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { hearingsOfApplicant } from '$lib/server/meetings/hearings/queries';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireApplicant(event);
	return { hearings: await hearingsOfApplicant(db(), p) };
};
