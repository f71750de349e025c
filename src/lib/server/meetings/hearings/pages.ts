// What the hearing pages show each person: the meeting's hearings page (organizers set
// hearings, the secretary checks representatives in, experts submit questions) and the
// applicant's own hearing page (the invitation, their representatives, and the experts'
// questions without names from two days before, as the national rules have it).
import { asc, eq } from 'drizzle-orm';
import { applications, meetingItems } from '$db/schema';
import type { DbOrTx } from '../../db';
import type { Principal } from '../../auth/principal';
import type { MeetingAccess } from '../access';
import { recusalsOf } from '../recusals';
import { votes } from '$lib/meetings/protocol';
import { mayCheckIn } from './commands';
import { clockOf, hearingContext, hearingsOfMeeting, isApplicantOf, questionsOf, representativesOf } from './queries';
import { HEARING_DEFAULTS } from './schemas';

/** Questions reach the applicant this long before the hearing. */
export const QUESTIONS_LEAD_MS = 2 * 24 * 3600 * 1000;

export async function meetingHearingsPage(db: DbOrTx, p: Principal, access: MeetingAccess, meeting: { startsAt: Date }) {
	const staff = mayCheckIn(access);
	const asks = !!access.role && votes(access.role);
	if (!staff && !asks) return null;
	const hearings = await hearingsOfMeeting(db, access.meetingId);
	const byItem = new Map(hearings.map((x) => [x.hearing.itemId, x.hearing]));
	const agenda = await db
		.select({ itemId: meetingItems.id, position: meetingItems.position, applicationId: applications.id, number: applications.number, title: applications.title, enterpriseName: applications.enterpriseName })
		.from(meetingItems)
		.innerJoin(applications, eq(applications.id, meetingItems.applicationId))
		.where(eq(meetingItems.meetingId, access.meetingId))
		.orderBy(asc(meetingItems.position));
	// An expert sees only the hearings of items they are not recused from, and nothing else.
	const recused = staff ? new Map() : await recusalsOf(db, access.meetingId, { userIds: [p.user.id] });
	const visible = agenda.filter((a) => (staff ? true : byItem.has(a.itemId) && !recused.has(a.applicationId)));
	const ids = visible.filter((a) => byItem.has(a.itemId)).map((a) => a.itemId);
	const [reps, questions] = await Promise.all([staff ? representativesOf(db, ids) : Promise.resolve([]), questionsOf(db, ids)]);
	return {
		representativesShown: staff,
		isExpert: asks,
		mayCheckIn: staff && access.status !== 'closed',
		maySet: access.organizer && access.status === 'scheduled',
		mayAsk: asks && access.status === 'scheduled',
		defaults: { ...HEARING_DEFAULTS, scheduledAt: meeting.startsAt },
		items: visible.map((a) => {
			const hr = byItem.get(a.itemId);
			return {
				itemId: a.itemId,
				position: a.position,
				number: a.number,
				title: a.title,
				enterpriseName: a.enterpriseName,
				hearing: hr
					? {
							scheduledAt: hr.scheduledAt,
							presentationMinutes: hr.presentationMinutes,
							questionMinutes: hr.questionMinutes,
							maxRepresentatives: hr.maxRepresentatives,
							anonymousQuestions: hr.anonymousQuestions,
							showMembers: hr.showMembers,
							clock: clockOf(hr)
						}
					: null,
				representatives: reps
					.filter((r) => r.itemId === a.itemId)
					.map((r) => ({ id: r.id, name: r.name, position: r.position, checkMethod: r.checkMethod, idType: r.idType, idLast4: r.idLast4, checkedInAt: r.checkedInAt })),
				questionCount: questions.filter((q) => q.itemId === a.itemId).length,
				// Experts see their own questions; the panel's others stay with their authors.
				myQuestions: questions.filter((q) => q.itemId === a.itemId && q.authorId === p.user.id).map((q) => ({ id: q.id, body: q.body, createdAt: q.createdAt }))
			};
		})
	};
}

/** The applicant's hearing page, or null when it is not theirs (a stranger gets a 404). */
export async function applicantHearingPage(db: DbOrTx, p: Principal, itemId: string, now = new Date()) {
	const ctx = await hearingContext(db, itemId);
	if (!ctx || !isApplicantOf(p, ctx)) return null;
	const [reps, questions] = await Promise.all([representativesOf(db, [itemId]), questionsOf(db, [itemId])]);
	const questionsDue = ctx.meeting.status !== 'scheduled' || now.getTime() >= ctx.hearing.scheduledAt.getTime() - QUESTIONS_LEAD_MS;
	return {
		itemId,
		number: ctx.application.number,
		title: ctx.application.title,
		enterpriseName: ctx.application.enterpriseName,
		scheduledAt: ctx.hearing.scheduledAt,
		place: ctx.meeting.place,
		videoLink: ctx.meeting.videoLink,
		meetingStatus: ctx.meeting.status,
		presentationMinutes: ctx.hearing.presentationMinutes,
		questionMinutes: ctx.hearing.questionMinutes,
		maxRepresentatives: ctx.hearing.maxRepresentatives,
		phase: ctx.hearing.phase,
		representatives: reps.map((r) => ({ id: r.id, name: r.name, position: r.position, checkedInAt: r.checkedInAt })),
		mayEditRepresentatives: ctx.meeting.status !== 'closed' && ctx.hearing.phase !== 'ended',
		questions: questionsDue ? questions.map((q) => ({ id: q.id, body: q.body, author: ctx.hearing.anonymousQuestions ? null : q.authorName })) : null
	};
}
