import { fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireAdmin } from '$lib/server/auth/guards';
import { config } from '$lib/server/config';
import { db } from '$lib/server/db';
import { audit } from '$lib/server/audit';
import { actorOf } from '$lib/server/audit/actor';
import { outboxStatus, retryMail } from '$lib/server/notifications/mail';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	return { ...(await outboxStatus(db())), smtp: !!config().smtpUrl };
};

export const actions: Actions = {
	retry: async (event) => {
		requireAdmin(event);
		const id = String((await event.request.formData()).get('id') ?? '');
		if (!/^[0-9a-f-]{36}$/i.test(id)) return fail(400, { error: m.notif_outbox_not_found() });
		const result = await db().transaction(async (tx) => {
			const r = await retryMail(tx, id);
			if (r.ok) await audit(tx, actorOf(event), 'mail.retried', { type: 'mail', id }, {});
			return r;
		});
		if (!result.ok) return fail(404, { error: m.notif_outbox_not_found() });
		return { success: m.notif_outbox_retried() };
	}
};
