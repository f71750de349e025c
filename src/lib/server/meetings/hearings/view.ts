// What a hearing's participants receive, built apart from the meeting room's view on purpose:
// the applicant's view is made from their own item alone (its hearing, its questions, its
// representatives) and the meeting's current item id, compared and never sent. Nothing here
// reads another item, a score, a ballot or a decision, so nothing of them can leak. The
// control view is for members: every hearing of the meeting except those they are recused from.
import { eq } from 'drizzle-orm';
import { meetingMembers, users } from '$db/schema';
import type { DbOrTx } from '../../db';
import { recusalsOf } from '../recusals';
import type { ApplicantHearingView, HearingControlView } from '$lib/hearings/protocol';
import { clockOf, hearingContext, hearingsOfMeeting, questionsOf, representativesOf, type HearingContext } from './queries';

/** The room is on this hearing's item and the hearing has not ended. */
export function hearingIsLive(ctx: HearingContext): boolean {
	return ctx.meeting.status === 'open' && ctx.meeting.currentItemId === ctx.hearing.itemId && ctx.hearing.phase !== 'ended';
}

export async function applicantView(db: DbOrTx, itemId: string): Promise<ApplicantHearingView | null> {
	const ctx = await hearingContext(db, itemId);
	if (!ctx) return null;
	const base = {
		itemId,
		number: ctx.application.number,
		projectTitle: ctx.application.title,
		scheduledAt: ctx.hearing.scheduledAt.toISOString(),
		serverTime: new Date().toISOString()
	};
	if (!hearingIsLive(ctx)) return { status: 'waiting', ...base };
	const [questions, reps] = await Promise.all([questionsOf(db, [itemId]), representativesOf(db, [itemId])]);
	const members = ctx.hearing.showMembers
		? (
				await db
					.select({ name: users.name, role: meetingMembers.role })
					.from(meetingMembers)
					.innerJoin(users, eq(users.id, meetingMembers.userId))
					.where(eq(meetingMembers.meetingId, ctx.meeting.id))
			).sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || a.name.localeCompare(b.name, 'zh-CN'))
		: null;
	return {
		status: 'live',
		...base,
		enterpriseName: ctx.application.enterpriseName,
		clock: clockOf(ctx.hearing),
		questions: questions.map((q) => ({ id: q.id, body: q.body, author: ctx.hearing.anonymousQuestions ? null : q.authorName })),
		members,
		representatives: reps.filter((r) => r.checkedInAt).map((r) => ({ name: r.name, position: r.position }))
	};
}

const ROLE_ORDER = ['chair', 'secretary', 'expert', 'observer'];

/** The hearings of the meeting as a member follows them; connected counts come from the socket layer. */
export async function controlView(db: DbOrTx, meetingId: string, userId: string, connected: (itemId: string) => number): Promise<HearingControlView> {
	const all = await hearingsOfMeeting(db, meetingId);
	const recused = await recusalsOf(db, meetingId, { userIds: [userId] });
	const visible = all.filter((h) => !recused.has(h.applicationId));
	const ids = visible.map((h) => h.hearing.itemId);
	const [reps, questions] = await Promise.all([representativesOf(db, ids), questionsOf(db, ids)]);
	return {
		meetingId,
		serverTime: new Date().toISOString(),
		hearings: visible.map(({ hearing }) => ({
			itemId: hearing.itemId,
			clock: clockOf(hearing),
			scheduledAt: hearing.scheduledAt.toISOString(),
			maxRepresentatives: hearing.maxRepresentatives,
			representatives: reps
				.filter((r) => r.itemId === hearing.itemId)
				.map((r) => ({ id: r.id, name: r.name, position: r.position, checkedInAt: r.checkedInAt?.toISOString() ?? null })),
			questionCount: questions.filter((q) => q.itemId === hearing.itemId).length,
			applicantsConnected: connected(hearing.itemId)
		}))
	};
}
