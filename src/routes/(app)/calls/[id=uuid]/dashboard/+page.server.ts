import { error, fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireInternal } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { actorOf } from '$lib/server/audit/actor';
import { getManagedCall } from '$lib/server/calls/queries';
import { callDashboard } from '$lib/server/calls/dashboard';
import { reminderState, remindExpert } from '$lib/server/notifications/deadlines';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireInternal(event);
	const found = await getManagedCall(db(), p, event.params.id);
	if (!found) error(404, m.not_found());
	const reminders = Object.fromEntries(await reminderState(db(), found.call.id));
	return { call: found.call, dashboard: await callDashboard(db(), found.call), reminders };
};

export const actions: Actions = {
	/** One click: remind an expert of their unfinished sheets (once a day per expert). */
	remind: async (event) => {
		const p = requireInternal(event);
		// Staff of another division are not told the call exists, as on the page itself.
		if (!(await getManagedCall(db(), p, event.params.id))) error(404, m.not_found());
		const expertId = String((await event.request.formData()).get('expertId') ?? '');
		if (!/^[0-9a-f-]{36}$/i.test(expertId)) return fail(400, { remind: { ok: false, message: m.notif_remind_nothing() } });
		const r = await remindExpert(db(), p, actorOf(event), event.params.id, expertId);
		if (r.ok) return { remind: { ok: true, message: m.notif_remind_sent({ name: r.name }) } };
		const message = r.code === 'limited' ? m.notif_remind_limited({ name: r.name ?? '' }) : r.code === 'forbidden' ? m.notif_remind_forbidden() : m.notif_remind_nothing();
		return fail(r.code === 'forbidden' ? 403 : r.code === 'limited' ? 429 : 400, { remind: { ok: false, message } });
	}
};
