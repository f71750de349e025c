// The meeting's hearings (答辩): organizers set them, the secretary checks representatives in,
// experts submit their questions. The domain decides who may do what; this parses and answers.
import { error, fail, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireUser } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { actorOf } from '$lib/server/audit/actor';
import { meetingAccess } from '$lib/server/meetings/access';
import { getMeeting } from '$lib/server/meetings/schedule/queries';
import { meetingHearingsPage } from '$lib/server/meetings/hearings/pages';
import { addQuestion, addRepresentative, checkIn, deleteQuestion, removeHearing, removeRepresentative, setHearing, type HearingResult } from '$lib/server/meetings/hearings/commands';
import { checkInSchema, hearingSettingsSchema, itemSchema, questionIdSchema, questionSchema, representativeIdSchema, representativeSchema } from '$lib/server/meetings/hearings/schemas';
import { hearingProblemMessage, hearingProblemStatus } from '$lib/server/messages/hearings';
import { formFields, parse } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireUser(event);
	const access = await meetingAccess(db(), p, event.params.id);
	if (!access) error(404, m.not_found());
	const found = (await getMeeting(db(), access.meetingId))!;
	const page = await meetingHearingsPage(db(), p, access, found.meeting);
	if (!page) error(403, m.error_forbidden());
	return { access, meeting: { id: found.meeting.id, title: found.meeting.title, status: found.meeting.status, startsAt: found.meeting.startsAt }, ...page };
};

async function context(event: RequestEvent) {
	const p = requireUser(event);
	const fields = formFields(await event.request.formData());
	return { p, fields, actor: actorOf(event), meetingId: event.params.id! };
}

function answer(form: string, key: string, r: HearingResult, success: string) {
	if (!r.ok) return fail(hearingProblemStatus(r.code), { form, key, message: hearingProblemMessage(r.code) });
	return { form, key, success };
}

export const actions: Actions = {
	set: async (event) => {
		const { p, fields, actor, meetingId } = await context(event);
		const parsed = parse(hearingSettingsSchema, fields);
		const key = String(fields.itemId ?? '');
		if (!parsed.ok) return fail(400, { form: 'set', key, errors: parsed.errors, message: m.v_form_errors() });
		return answer('set', key, await setHearing(db(), p, actor, meetingId, parsed.data), m.hrg_saved());
	},
	remove: async (event) => {
		const { p, fields, actor, meetingId } = await context(event);
		const parsed = parse(itemSchema, fields);
		if (!parsed.ok) return fail(400, { form: 'set', key: '', message: m.v_invalid() });
		return answer('set', parsed.data.itemId, await removeHearing(db(), p, actor, meetingId, parsed.data.itemId), m.hrg_removed());
	},
	ask: async (event) => {
		const { p, fields, actor } = await context(event);
		const parsed = parse(questionSchema, fields);
		const key = String(fields.itemId ?? '');
		if (!parsed.ok) return fail(400, { form: 'ask', key, errors: parsed.errors, message: m.v_form_errors() });
		return answer('ask', key, await addQuestion(db(), p, actor, parsed.data.itemId, parsed.data.body), m.hrg_question_added());
	},
	unask: async (event) => {
		const { p, fields, actor } = await context(event);
		const parsed = parse(questionIdSchema, fields);
		if (!parsed.ok) return fail(400, { form: 'ask', key: '', message: m.v_invalid() });
		return answer('ask', String(fields.itemId ?? ''), await deleteQuestion(db(), p, actor, parsed.data.questionId), m.hrg_question_deleted());
	},
	addRep: async (event) => {
		const { p, fields, actor } = await context(event);
		const parsed = parse(representativeSchema, fields);
		const key = String(fields.itemId ?? '');
		if (!parsed.ok) return fail(400, { form: 'rep', key, errors: parsed.errors, message: m.v_form_errors() });
		return answer('rep', key, await addRepresentative(db(), p, actor, parsed.data), m.hrg_rep_added());
	},
	removeRep: async (event) => {
		const { p, fields, actor } = await context(event);
		const parsed = parse(representativeIdSchema, fields);
		if (!parsed.ok) return fail(400, { form: 'rep', key: '', message: m.v_invalid() });
		return answer('rep', String(fields.itemId ?? ''), await removeRepresentative(db(), p, actor, parsed.data.representativeId), m.hrg_rep_removed());
	},
	checkIn: async (event) => {
		const { p, fields, actor } = await context(event);
		const parsed = parse(checkInSchema, fields);
		const key = String(fields.representativeId ?? '');
		if (!parsed.ok) return fail(400, { form: 'checkIn', key, errors: parsed.errors, message: m.v_form_errors() });
		return answer('checkIn', key, await checkIn(db(), p, actor, parsed.data), m.hrg_checked_in());
	}
};
