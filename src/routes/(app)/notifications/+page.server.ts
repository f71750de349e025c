import { fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { requireUser } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { fetchPage } from '$lib/server/paging';
import { parsePageRequest } from '$lib/paging';
import { listNotifications, markAllRead, markRead } from '$lib/server/notifications';
import { toInboxItem } from '$lib/server/notifications/render';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
	const p = requireUser(event);
	const unreadOnly = event.url.searchParams.get('filter') === 'unread';
	const locale = getLocale();
	const paged = await fetchPage(parsePageRequest(event.url.searchParams), (limit, offset) => listNotifications(db(), p.user.id, { unreadOnly, limit, offset }));
	return { ...paged, rows: paged.rows.map((r) => toInboxItem(r, locale)), unreadOnly };
};

export const actions: Actions = {
	read: async (event) => {
		const p = requireUser(event);
		const id = String((await event.request.formData()).get('id') ?? '');
		if (!UUID.test(id)) return fail(400, { error: m.not_found() });
		await markRead(db(), p.user.id, [id]);
		return {};
	},
	readAll: async (event) => {
		const p = requireUser(event);
		await markAllRead(db(), p.user.id);
		return { success: m.notif_marked_all() };
	}
};
