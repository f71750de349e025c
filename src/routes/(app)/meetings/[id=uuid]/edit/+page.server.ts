import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireUser } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { meetingAccess } from '$lib/server/meetings/access';
import { agendaCandidates, agendaOf, conflictsAmong, withEstablished, getMeeting, meetingMembersOf, memberCandidates } from '$lib/server/meetings/schedule/queries';
import { deleteMeeting, membersFromForm, setAgenda, setMembers, updateMeeting, type Refusal } from '$lib/server/meetings/schedule/commands';
import { agendaFormSchema, meetingDetailsSchema, membersSchema } from '$lib/server/meetings/schedule/schemas';
import { echo, formFields, parse } from '$lib/server/validation';
import { toBeijingInput } from '$lib/datetime';
import type { Actions, PageServerLoad } from './$types';
import { actorOf } from '$lib/server/audit/actor';

/** Organizers only: strangers get 404, members who do not organize 403. */
async function organizer(event: RequestEvent) {
	const p = requireUser(event);
	const access = await meetingAccess(db(), p, event.params.id!);
	if (!access) error(404, m.not_found());
	if (!access.organizer) error(403, m.error_forbidden());
	return { p, access, actor: actorOf(event) };
}

const statusOf = (r: Refusal) => (r.problem === 'notScheduled' ? 409 : r.problem === 'notFound' ? 404 : r.problem === 'forbidden' ? 403 : 400);

export const load: PageServerLoad = async (event) => {
	const { access } = await organizer(event);
	if (access.status !== 'scheduled') redirect(303, `/meetings/${access.meetingId}`);
	const found = (await getMeeting(db(), access.meetingId))!;
	const [members, agenda, candidates, people] = await Promise.all([
		meetingMembersOf(db(), access.meetingId),
		agendaOf(db(), access.meetingId),
		agendaCandidates(db(), access.callId),
		memberCandidates(db())
	]);
	// Every conflict between the call's candidates and the people who could sit on the panel,
	// so the builder shows them for any selection before it is saved. Organizers may see these.
	// Recusals already established for this meeting count as well, whatever became of their conflict.
	const conflicts = await withEstablished(
		db(),
		access.meetingId,
		await conflictsAmong(
			db(),
			candidates.map((c) => c.applicationId),
			people.experts.map((x) => x.userId)
		)
	);
	const meeting = found.meeting;
	return {
		meeting: { id: meeting.id, title: meeting.title, startsAt: meeting.startsAt },
		callCode: found.callCode,
		callTitle: found.callTitle,
		callTitleEn: found.callTitleEn,
		values: {
			title: meeting.title,
			startsAt: toBeijingInput(meeting.startsAt),
			place: meeting.place,
			videoLink: meeting.videoLink,
			quorum: Number(meeting.quorum).toFixed(3),
			ballotThreshold: Number(meeting.ballotThreshold).toFixed(3)
		},
		members: {
			chairId: members.find((x) => x.role === 'chair')?.userId ?? '',
			secretaryId: members.find((x) => x.role === 'secretary')?.userId ?? '',
			expertIds: members.filter((x) => x.role === 'expert').map((x) => x.userId),
			observerIds: members.filter((x) => x.role === 'observer').map((x) => x.userId)
		},
		agenda: agenda.map((a) => ({ applicationId: a.applicationId, timeboxMinutes: a.timeboxMinutes })),
		candidates,
		people,
		conflicts
	};
};

export const actions: Actions = {
	details: async (event) => {
		const { access, actor } = await organizer(event);
		const fields = formFields(await event.request.formData());
		const parsed = parse(meetingDetailsSchema, fields);
		if (!parsed.ok) return fail(400, { form: 'details', errors: parsed.errors, values: echo(fields), message: m.v_form_errors() });
		const r = await updateMeeting(db(), actor, access.meetingId, parsed.data);
		if (!r.ok) return fail(statusOf(r), { form: 'details', errors: r.errors, values: echo(fields), message: r.message });
		return { form: 'details', success: m.meetings_saved() };
	},
	members: async (event) => {
		const { access, actor } = await organizer(event);
		const fields = formFields(await event.request.formData());
		const parsed = parse(membersSchema, fields);
		if (!parsed.ok) return fail(400, { form: 'members', errors: parsed.errors, message: m.v_form_errors() });
		const r = await setMembers(db(), actor, access.meetingId, membersFromForm(parsed.data));
		if (!r.ok) return fail(statusOf(r), { form: 'members', errors: r.errors, message: r.message });
		return { form: 'members', success: m.meetings_saved() };
	},
	agenda: async (event) => {
		const { access, actor } = await organizer(event);
		const parsed = parse(agendaFormSchema, formFields(await event.request.formData()));
		if (!parsed.ok) return fail(400, { form: 'agenda', errors: { agenda: m.v_invalid() }, message: m.v_form_errors() });
		const r = await setAgenda(db(), actor, access.meetingId, parsed.data.agenda);
		if (!r.ok) return fail(statusOf(r), { form: 'agenda', errors: r.errors, message: r.errors.agenda ?? r.message });
		return { form: 'agenda', success: m.meetings_saved() };
	},
	delete: async (event) => {
		const { access, actor } = await organizer(event);
		const r = await deleteMeeting(db(), actor, access.meetingId);
		if (!r.ok) return fail(statusOf(r), { form: 'delete', errors: r.errors, message: r.message });
		redirect(303, '/meetings');
	}
};
