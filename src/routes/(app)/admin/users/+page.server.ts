import { requireAdmin } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { listUsers, type UserFilter } from '$lib/server/org/users';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const q = event.url.searchParams;
	const kind = q.get('kind');
	const status = q.get('status');
	const filter: UserFilter = {
		q: (q.get('q') ?? '').slice(0, 100).trim(),
		kind: kind === 'admin' || kind === 'staff' || kind === 'expert' || kind === 'applicant' ? kind : '',
		status: status === 'active' || status === 'inactive' ? status : ''
	};
	return { users: await listUsers(db(), filter), filter };
};
