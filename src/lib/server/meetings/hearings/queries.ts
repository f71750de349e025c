// Hearings (答辩), the reading: a meeting's hearings with their representatives and questions,
// one item's hearing, and the hearings an applicant is invited to. Who may see what is decided
// by the callers (pages through access.ts, the socket through view.ts).
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { applications, hearingQuestions, hearingRepresentatives, hearings, meetingItems, meetings, users } from '$db/schema';
import type { DbOrTx } from '../../db';
import type { Principal } from '../../auth/principal';
import type { HearingClock } from '$lib/hearings/protocol';

export type HearingRow = typeof hearings.$inferSelect;
export type RepresentativeRow = typeof hearingRepresentatives.$inferSelect;

/** The hearing of an item with its meeting's state and the application it is about. */
export interface HearingContext {
	hearing: HearingRow;
	meeting: { id: string; title: string; status: 'scheduled' | 'open' | 'closed'; currentItemId: string | null; startsAt: Date; place: string; videoLink: string };
	application: { id: string; number: string; title: string; enterpriseId: string | null; enterpriseName: string };
	position: number;
}

export function clockOf(h: HearingRow): HearingClock {
	const iso = (d: Date | null) => (d ? d.toISOString() : null);
	return {
		phase: h.phase,
		presentationMinutes: h.presentationMinutes,
		questionMinutes: h.questionMinutes,
		presentationStartedAt: iso(h.presentationStartedAt),
		questionsStartedAt: iso(h.questionsStartedAt),
		endedAt: iso(h.endedAt)
	};
}

export async function hearingContext(db: DbOrTx, itemId: string): Promise<HearingContext | null> {
	const [row] = await db
		.select({
			hearing: hearings,
			meeting: {
				id: meetings.id,
				title: meetings.title,
				status: meetings.status,
				currentItemId: meetings.currentItemId,
				startsAt: meetings.startsAt,
				place: meetings.place,
				videoLink: meetings.videoLink
			},
			application: { id: applications.id, number: applications.number, title: applications.title, enterpriseId: applications.enterpriseId, enterpriseName: applications.enterpriseName },
			position: meetingItems.position
		})
		.from(hearings)
		.innerJoin(meetingItems, eq(meetingItems.id, hearings.itemId))
		.innerJoin(meetings, eq(meetings.id, hearings.meetingId))
		.innerJoin(applications, eq(applications.id, meetingItems.applicationId))
		.where(eq(hearings.itemId, itemId));
	return row ?? null;
}

/** Whether the principal is the applicant of the hearing's application (its enterprise's account). */
export function isApplicantOf(p: Principal, ctx: HearingContext): boolean {
	return p.enterpriseId !== null && ctx.application.enterpriseId === p.enterpriseId;
}

export async function representativesOf(db: DbOrTx, itemIds: string[]): Promise<RepresentativeRow[]> {
	if (itemIds.length === 0) return [];
	return db.select().from(hearingRepresentatives).where(inArray(hearingRepresentatives.itemId, itemIds)).orderBy(asc(hearingRepresentatives.addedAt), asc(hearingRepresentatives.id));
}

export interface QuestionRow {
	id: string;
	itemId: string;
	authorId: string;
	authorName: string;
	body: string;
	createdAt: Date;
}

export async function questionsOf(db: DbOrTx, itemIds: string[]): Promise<QuestionRow[]> {
	if (itemIds.length === 0) return [];
	return db
		.select({ id: hearingQuestions.id, itemId: hearingQuestions.itemId, authorId: hearingQuestions.authorId, authorName: users.name, body: hearingQuestions.body, createdAt: hearingQuestions.createdAt })
		.from(hearingQuestions)
		.innerJoin(users, eq(users.id, hearingQuestions.authorId))
		.where(inArray(hearingQuestions.itemId, itemIds))
		.orderBy(asc(hearingQuestions.createdAt), asc(hearingQuestions.id));
}

/** The meeting's hearings in agenda order, with the item's application. */
export async function hearingsOfMeeting(db: DbOrTx, meetingId: string) {
	return db
		.select({
			hearing: hearings,
			position: meetingItems.position,
			applicationId: applications.id,
			number: applications.number,
			title: applications.title,
			enterpriseName: applications.enterpriseName
		})
		.from(hearings)
		.innerJoin(meetingItems, eq(meetingItems.id, hearings.itemId))
		.innerJoin(applications, eq(applications.id, meetingItems.applicationId))
		.where(eq(hearings.meetingId, meetingId))
		.orderBy(asc(meetingItems.position));
}

/** The hearings the applicant's enterprise is invited to, soonest first. */
export async function hearingsOfApplicant(db: DbOrTx, p: Principal) {
	if (!p.enterpriseId) return [];
	return db
		.select({
			itemId: hearings.itemId,
			scheduledAt: hearings.scheduledAt,
			phase: hearings.phase,
			number: applications.number,
			title: applications.title,
			meetingStatus: meetings.status,
			place: meetings.place,
			videoLink: meetings.videoLink
		})
		.from(hearings)
		.innerJoin(meetingItems, eq(meetingItems.id, hearings.itemId))
		.innerJoin(meetings, eq(meetings.id, hearings.meetingId))
		.innerJoin(applications, eq(applications.id, meetingItems.applicationId))
		.where(eq(applications.enterpriseId, p.enterpriseId))
		.orderBy(asc(hearings.scheduledAt));
}

/** Hearings of the meeting that are running although the room is no longer on their item. */
export async function strandedHearings(db: DbOrTx, meetingId: string) {
	return db
		.select({ itemId: hearings.itemId })
		.from(hearings)
		.innerJoin(meetings, eq(meetings.id, hearings.meetingId))
		.where(
			and(
				eq(hearings.meetingId, meetingId),
				inArray(hearings.phase, ['presentation', 'questions']),
				sql`(${meetings.status} <> 'open' OR ${meetings.currentItemId} IS DISTINCT FROM ${hearings.itemId})`
			)
		);
}
