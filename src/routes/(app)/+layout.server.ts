import { requireUser } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { meSummary, navFor } from '$lib/server/navigation';
import { unreadCount } from '$lib/server/notifications';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async (event) => {
	const p = requireUser(event);
	return { me: meSummary(p), nav: navFor(p), unread: await unreadCount(db(), p.user.id) };
};
