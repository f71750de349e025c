import { fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { requireUser } from '$lib/server/auth/guards';
import { config } from '$lib/server/config';
import { db } from '$lib/server/db';
import { preferences, recipient, setPreferences } from '$lib/server/notifications';
import { kindLabel } from '$lib/server/notifications/render';
import { NOTIFICATION_KINDS } from '$lib/notifications/kinds';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireUser(event);
	const locale = getLocale();
	const [prefs, me] = await Promise.all([preferences(db(), p.user.id), recipient(db(), p.user.id)]);
	return {
		kinds: NOTIFICATION_KINDS.map((kind) => ({ kind, label: kindLabel(kind, locale), mode: prefs[kind] })),
		email: me?.email ?? null,
		digestHour: config().digestHour
	};
};

export const actions: Actions = {
	default: async (event) => {
		const p = requireUser(event);
		const form = await event.request.formData();
		const choices: Record<string, string> = {};
		for (const kind of NOTIFICATION_KINDS) {
			const v = form.get(kind);
			if (typeof v === 'string') choices[kind] = v;
		}
		const result = await setPreferences(db(), p.user.id, choices);
		if (!result.ok) return fail(400, { error: m.notif_prefs_invalid() });
		return { success: m.notif_prefs_saved() };
	}
};
