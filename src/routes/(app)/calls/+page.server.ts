import { requireInternal } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { listManagedCalls, managedPrograms } from '$lib/server/calls/queries';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireInternal(event);
	const [calls, programs] = await Promise.all([listManagedCalls(db(), p), managedPrograms(db(), p)]);
	return { calls, canCreate: programs.length > 0 };
};
