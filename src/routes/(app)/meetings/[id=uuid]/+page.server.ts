import { error, fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireUser } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { emit } from '$lib/server/events';
import { meetingAccess } from '$lib/server/meetings/access';
import { meetingOverview } from '$lib/server/meetings/schedule/queries';
import { liftRecusal, listRecusals, mayLiftRecusals, maySeeRecusals } from '$lib/server/meetings/recusals';
import { liftRecusalSchema } from '$lib/server/meetings/schedule/schemas';
import { formFields, parse } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';
import { actorOf } from '$lib/server/audit/actor';

export const load: PageServerLoad = async (event) => {
	const p = requireUser(event);
	const access = await meetingAccess(db(), p, event.params.id);
	if (!access) error(404, m.not_found());
	const overview = await meetingOverview(db(), p, access);
	if (!overview) error(404, m.not_found());
	// Who is recused from what is for organizers and the secretary only.
	const recusals = maySeeRecusals(p, access) ? await listRecusals(db(), access.meetingId) : null;
	return { access, ...overview, recusals, mayLift: mayLiftRecusals(p, access) };
};

export const actions: Actions = {
	liftRecusal: async (event) => {
		const p = requireUser(event);
		const access = await meetingAccess(db(), p, event.params.id);
		if (!access) error(404, m.not_found());
		if (!mayLiftRecusals(p, access)) error(403, m.error_forbidden());
		const fields = formFields(await event.request.formData());
		const parsed = parse(liftRecusalSchema, fields);
		if (!parsed.ok) return fail(400, { action: 'lift', recusalId: String(fields.recusalId ?? ''), errors: parsed.errors, message: parsed.errors.reason ? m.rec_reason_required() : m.v_form_errors() });
		const result = await liftRecusal(db(), actorOf(event), { meetingId: access.meetingId, recusalId: parsed.data.recusalId, reason: parsed.data.reason });
		if (result === 'notFound') return fail(404, { action: 'lift', recusalId: parsed.data.recusalId, message: m.not_found() });
		if (result === 'stillConflicted') return fail(409, { action: 'lift', recusalId: parsed.data.recusalId, message: m.rec_lift_still_conflicted() });
		if (result === 'closed') return fail(409, { action: 'lift', recusalId: parsed.data.recusalId, message: m.rec_lift_closed() });
		// A live room reloads and lets the member back in.
		emit('meeting.changed', { meetingId: access.meetingId });
		return { action: 'lift', success: m.rec_lifted() };
	}
};
