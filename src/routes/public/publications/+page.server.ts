import { db } from '$lib/server/db';
import { publicPublications } from '$lib/server/publications';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	return { publications: await publicPublications(db()) };
};
