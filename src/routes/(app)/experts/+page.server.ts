import { requireInternal } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { expertLoads, listExperts } from '$lib/server/experts/queries';
import { parseExpertFilter } from '$lib/server/experts/filter';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireInternal(event);
	const filter = parseExpertFilter(event.url.searchParams);
	const [experts, loads] = await Promise.all([listExperts(db(), filter), expertLoads(db())]);
	return { experts: experts.map((e) => ({ ...e, load: loads.get(e.id) ?? 0 })), filter, imported: Number(event.url.searchParams.get('imported')) || 0 };
};
