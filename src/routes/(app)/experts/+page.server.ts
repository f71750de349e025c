import { requireInternal } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { listExperts } from '$lib/server/experts/queries';
import { FIELDS } from '$lib/labels';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireInternal(event);
	const q = event.url.searchParams;
	const field = q.get('field') ?? '';
	const kind = q.get('kind') ?? '';
	const status = q.get('status') ?? '';
	const filter = {
		q: (q.get('q') ?? '').trim().slice(0, 100),
		field: (FIELDS as readonly string[]).includes(field) ? field : '',
		kind: kind === 'technical' || kind === 'finance' ? kind : '',
		status: status === 'active' || status === 'inactive' ? (status as 'active' | 'inactive') : ('' as const)
	};
	return { experts: await listExperts(db(), filter), filter };
};
