import { requireUser } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { workspace } from '$lib/server/home';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireUser(event);
	return { workspace: await workspace(db(), p) };
};
