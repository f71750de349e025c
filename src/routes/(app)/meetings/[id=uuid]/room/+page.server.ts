// The meeting room. Only who may enter is decided here; the live state comes over the socket,
// which checks the same access again for every event.
import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireUser } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { meetingAccess } from '$lib/server/meetings/access';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireUser(event);
	const access = await meetingAccess(db(), p, event.params.id);
	if (!access || !access.mayEnter) error(404, m.room_not_found());
	return {
		meeting: { id: access.meetingId, title: access.title },
		user: { id: p.user.id, name: p.user.name, color: p.user.color }
	};
};
