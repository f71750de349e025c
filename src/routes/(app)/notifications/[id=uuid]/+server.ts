// Opening a notification (from the inbox or a mail) marks it read and goes where it points.
import { error, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireUser } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { markRead, ownNotification } from '$lib/server/notifications';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const p = requireUser(event);
	const n = await ownNotification(db(), p.user.id, event.params.id);
	if (!n) error(404, m.not_found());
	await markRead(db(), p.user.id, [n.id]);
	// Only a path inside Panelroom: a stored link never sends anyone elsewhere.
	const to = n.link && n.link.startsWith('/') && !n.link.startsWith('//') ? n.link : '/notifications';
	redirect(303, to);
};
