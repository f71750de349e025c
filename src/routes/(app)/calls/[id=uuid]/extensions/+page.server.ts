import { error, fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { requireInternal } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { actorOf } from '$lib/server/audit/actor';
import { getManagedCall } from '$lib/server/calls/queries';
import { grantExtension, unfinishedForCall } from '$lib/server/notifications/deadlines';
import { fromBeijingInput, toBeijingInput } from '$lib/datetime';
import { formatDateTime } from '$lib/labels';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireInternal(event);
	const found = await getManagedCall(db(), p, event.params.id);
	if (!found) error(404, m.not_found());
	const rows = await unfinishedForCall(db(), found.call.id);
	return { call: found.call, rows: rows.map((r) => ({ ...r, suggested: toBeijingInput(r.deadline ? new Date(Math.max(r.deadline.getTime(), Date.now()) + 7 * 86400_000) : null) })) };
};

export const actions: Actions = {
	/** Division staff extend one expert's deadline on one assignment (audited). */
	extend: async (event) => {
		const p = requireInternal(event);
		if (!(await getManagedCall(db(), p, event.params.id))) error(404, m.not_found());
		const form = await event.request.formData();
		const assignmentId = String(form.get('assignmentId') ?? '');
		const until = fromBeijingInput(String(form.get('until') ?? '').slice(0, 40));
		const reason = String(form.get('reason') ?? '').slice(0, 1000);
		if (!/^[0-9a-f-]{36}$/i.test(assignmentId) || !until) return fail(400, { assignmentId, error: m.notif_ext_invalid() });
		const r = await grantExtension(db(), p, actorOf(event), assignmentId, until, reason);
		if (r.ok) return { assignmentId, success: m.notif_ext_granted({ name: r.name, until: formatDateTime(r.until, getLocale()) }) };
		const message = r.code === 'forbidden' ? m.notif_ext_forbidden() : r.code === 'notFound' ? m.notif_ext_not_found() : m.notif_ext_invalid();
		return fail(r.code === 'forbidden' ? 403 : r.code === 'notFound' ? 404 : 400, { assignmentId, error: message });
	}
};
