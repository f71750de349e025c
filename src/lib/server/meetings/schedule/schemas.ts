// What the meeting scheduling forms may send, parsed with localized messages (given as functions, so
// they are worded in the language of the request that parses, not of the first import): the details,
// the members with their roles, and the whole ordered agenda.
import { m } from '$lib/paraglide/messages';
import { z } from '../../validation';
import { fromBeijingInput } from '$lib/datetime';

export const TIMEBOX_MIN = 5;
export const TIMEBOX_MAX = 180;
export const MAX_AGENDA = 200;
export const MAX_EXPERTS = 60;
export const MAX_OBSERVERS = 30;

const share = z.coerce.number().min(0.5).max(1).transform((v) => Math.round(v * 1000) / 1000);

export const meetingDetailsSchema = z
	.object({
		title: z.string().trim().min(1).max(200),
		startsAt: z
			.string()
			.trim()
			.transform((v, ctx) => {
				const d = fromBeijingInput(v);
				if (!d) ctx.addIssue({ code: 'custom', message: v ? m.v_invalid() : m.v_required() });
				return d as Date;
			}),
		place: z.string().trim().max(200).default(''),
		videoLink: z
			.string()
			.trim()
			.max(500)
			.default('')
			.refine((v) => v === '' || /^https?:\/\/[^\s]+$/i.test(v), { error: () => m.meetings_v_video_link() }),
		quorum: share,
		ballotThreshold: share
	})
	.superRefine((v, ctx) => {
		if (!v.place && !v.videoLink) ctx.addIssue({ code: 'custom', path: ['place'], message: m.meetings_v_place_or_link() });
	});
export type MeetingDetails = z.output<typeof meetingDetailsSchema>;

export const newMeetingSchema = z.object({ callId: z.uuid({ error: () => m.v_choice() }) }).and(meetingDetailsSchema);

/** Repeated form fields (checkboxes) as a list of ids; none is an empty list. */
const ids = (max: number) =>
	z
		.union([z.string(), z.array(z.string())])
		.optional()
		.transform((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]))
		.pipe(z.array(z.uuid()).max(max));

export const membersSchema = z.object({
	chairId: z.uuid({ error: () => m.meetings_v_chair() }),
	secretaryId: z.uuid({ error: () => m.meetings_v_secretary() }),
	expertIds: ids(MAX_EXPERTS),
	observerIds: ids(MAX_OBSERVERS)
});
export type MembersInput = z.output<typeof membersSchema>;

export const agendaItemSchema = z.object({
	applicationId: z.uuid(),
	timeboxMinutes: z.coerce.number().int().min(TIMEBOX_MIN).max(TIMEBOX_MAX)
});
export type AgendaItemInput = z.output<typeof agendaItemSchema>;

export const agendaSchema = z.array(agendaItemSchema).max(MAX_AGENDA);

/** The agenda form posts the ordered list as JSON in one field. */
export const agendaFormSchema = z.object({
	agenda: z.string().transform((v, ctx) => {
		try {
			return JSON.parse(v) as unknown;
		} catch {
			ctx.addIssue({ code: 'custom', message: m.v_invalid() });
			return z.NEVER;
		}
	})
});

/** The secretary's or an admin's lifting of a recusal: always with a written reason. */
export const liftRecusalSchema = z.object({ recusalId: z.uuid(), reason: z.string().trim().min(2).max(500) });
