// Hearings (答辩), the changes. Who may do what:
//   organizers   put a hearing on an agenda item and set it (time box, representatives, what
//                the applicant sees) while the meeting is scheduled;
//   experts      (members who score, not recused from the item) submit questions before the
//                meeting opens;
//   applicant    (the item's enterprise) names its representatives, at most the hearing's
//                maximum, until they are checked in;
//   secretary    (and organizers) checks each representative's identity in; only then may
//                the applicant join the hearing;
//   chair        moves the hearing on (presentation, questions, end) while the room is on it.
// Each change is one transaction with its audit entry, and is announced ('hearing.changed').
import { and, count, eq, isNull, sql } from 'drizzle-orm';
import { hearingQuestions, hearingRepresentatives, hearings, meetingItems, meetings } from '$db/schema';
import type { Db, DbOrTx, Tx } from '../../db';
import type { Principal } from '../../auth/principal';
import { audit, type AuditActor } from '../../audit';
import { emit } from '../../events';
import { meetingAccess, type MeetingAccess } from '../access';
import { isRecused } from '../recusals';
import { votes } from '$lib/meetings/protocol';
import { hearingContext, isApplicantOf, strandedHearings, type HearingContext } from './queries';
import { MAX_QUESTIONS_PER_EXPERT, type CheckInInput, type HearingSettings } from './schemas';
import { tellHearingInvitation } from '../../notifications/tell';

export type HearingProblem =
	| 'notFound'
	| 'forbidden'
	| 'notScheduled'
	| 'closed'
	| 'ended'
	| 'tooMany'
	| 'tooManyQuestions'
	| 'checkedIn'
	| 'recused'
	| 'notOpen'
	| 'notCurrent'
	| 'badPhase';
export type HearingResult<T = object> = ({ ok: true } & T) | { ok: false; code: HearingProblem };

class Refused extends Error {
	constructor(readonly code: HearingProblem) {
		super(code);
	}
}
const no = (code: HearingProblem) => ({ ok: false, code }) as const;

async function refusing<T>(work: () => Promise<T>): Promise<T | { ok: false; code: HearingProblem }> {
	try {
		return await work();
	} catch (e) {
		if (e instanceof Refused) return no(e.code);
		throw e;
	}
}

function announce<T extends { ok: boolean }>(meetingId: string, r: T): T {
	if (r.ok) emit('hearing.changed', { meetingId });
	return r;
}

/** The hearing row locked for this transaction (changes to one hearing run one at a time). */
async function lockHearing(tx: Tx, itemId: string) {
	const [row] = await tx.select().from(hearings).where(eq(hearings.itemId, itemId)).for('update');
	if (!row) throw new Refused('notFound');
	return row;
}

/** May check representatives in: the meeting's secretary, its organizers, admins. */
export function mayCheckIn(access: MeetingAccess | null): boolean {
	return !!access && (access.role === 'secretary' || access.organizer);
}

/** Puts a hearing on an agenda item, or changes its settings, while the meeting is scheduled. */
export async function setHearing(db: Db, p: Principal, actor: AuditActor, meetingId: string, s: HearingSettings): Promise<HearingResult> {
	const access = await meetingAccess(db, p, meetingId);
	if (!access) return no('notFound');
	if (!access.organizer) return no('forbidden');
	const r = await refusing(() =>
		db.transaction(async (tx) => {
			const [m] = await tx.select({ status: meetings.status }).from(meetings).where(eq(meetings.id, meetingId)).for('update');
			if (!m) throw new Refused('notFound');
			if (m.status !== 'scheduled') throw new Refused('notScheduled');
			const [item] = await tx.select({ id: meetingItems.id }).from(meetingItems).where(and(eq(meetingItems.id, s.itemId), eq(meetingItems.meetingId, meetingId)));
			if (!item) throw new Refused('notFound');
			const values = {
				scheduledAt: s.scheduledAt,
				presentationMinutes: s.presentationMinutes,
				questionMinutes: s.questionMinutes,
				maxRepresentatives: s.maxRepresentatives,
				anonymousQuestions: s.anonymousQuestions,
				showMembers: s.showMembers
			};
			// The item's time box holds the whole hearing (DOMAIN.md: 25 minutes per project).
			await tx
				.update(meetingItems)
				.set({ timeboxMinutes: sql`GREATEST(${meetingItems.timeboxMinutes}, ${s.presentationMinutes + s.questionMinutes})` })
				.where(eq(meetingItems.id, s.itemId));
			const [before] = await tx.select({ itemId: hearings.itemId }).from(hearings).where(eq(hearings.itemId, s.itemId));
			if (before) await tx.update(hearings).set(values).where(eq(hearings.itemId, s.itemId));
			else await tx.insert(hearings).values({ itemId: s.itemId, meetingId, invitedBy: p.user.id, ...values });
			await audit(tx, actor, before ? 'hearing.updated' : 'hearing.invited', { type: 'hearing', id: s.itemId }, { meetingId, ...values, scheduledAt: s.scheduledAt.toISOString() });
			await tellHearingInvitation(tx, s.itemId);
			return { ok: true } as const;
		})
	);
	// A room already loaded shows the new time box.
	if (r.ok) emit('meeting.changed', { meetingId });
	return announce(meetingId, r);
}

export async function removeHearing(db: Db, p: Principal, actor: AuditActor, meetingId: string, itemId: string): Promise<HearingResult> {
	const access = await meetingAccess(db, p, meetingId);
	if (!access) return no('notFound');
	if (!access.organizer) return no('forbidden');
	const r = await refusing(() =>
		db.transaction(async (tx) => {
			const [m] = await tx.select({ status: meetings.status }).from(meetings).where(eq(meetings.id, meetingId)).for('update');
			if (!m) throw new Refused('notFound');
			if (m.status !== 'scheduled') throw new Refused('notScheduled');
			const gone = await tx.delete(hearings).where(and(eq(hearings.itemId, itemId), eq(hearings.meetingId, meetingId))).returning({ itemId: hearings.itemId });
			if (gone.length === 0) throw new Refused('notFound');
			await audit(tx, actor, 'hearing.removed', { type: 'hearing', id: itemId }, { meetingId });
			return { ok: true } as const;
		})
	);
	return announce(meetingId, r);
}

/** The hearing as this expert may question it: a scoring member, not recused, before the meeting. */
async function questioner(db: DbOrTx, p: Principal, itemId: string): Promise<HearingResult<{ ctx: HearingContext }>> {
	const ctx = await hearingContext(db, itemId);
	if (!ctx) return no('notFound');
	const access = await meetingAccess(db, p, ctx.meeting.id);
	if (!access?.role || !votes(access.role)) return no('notFound');
	if (await isRecused(db, ctx.meeting.id, p.user.id, [ctx.application.id])) return no('notFound');
	if (ctx.meeting.status !== 'scheduled') return no('notScheduled');
	return { ok: true, ctx };
}

export async function addQuestion(db: Db, p: Principal, actor: AuditActor, itemId: string, body: string): Promise<HearingResult<{ id: string }>> {
	const q = await questioner(db, p, itemId);
	if (!q.ok) return q;
	const r = await refusing(() =>
		db.transaction(async (tx) => {
			await lockHearing(tx, itemId);
			const [{ n }] = await tx.select({ n: count() }).from(hearingQuestions).where(and(eq(hearingQuestions.itemId, itemId), eq(hearingQuestions.authorId, p.user.id)));
			if (n >= MAX_QUESTIONS_PER_EXPERT) throw new Refused('tooManyQuestions');
			const [row] = await tx.insert(hearingQuestions).values({ itemId, authorId: p.user.id, body }).returning({ id: hearingQuestions.id });
			await audit(tx, actor, 'hearing.question_added', { type: 'hearing', id: itemId }, { questionId: row.id });
			return { ok: true, id: row.id } as const;
		})
	);
	return announce(q.ctx.meeting.id, r);
}

export async function deleteQuestion(db: Db, p: Principal, actor: AuditActor, questionId: string): Promise<HearingResult> {
	const [row] = await db.select({ itemId: hearingQuestions.itemId, authorId: hearingQuestions.authorId }).from(hearingQuestions).where(eq(hearingQuestions.id, questionId));
	if (!row || row.authorId !== p.user.id) return no('notFound');
	const q = await questioner(db, p, row.itemId);
	if (!q.ok) return q;
	const r = await db.transaction(async (tx) => {
		await tx.delete(hearingQuestions).where(eq(hearingQuestions.id, questionId));
		await audit(tx, actor, 'hearing.question_deleted', { type: 'hearing', id: row.itemId }, { questionId });
		return { ok: true } as const;
	});
	return announce(q.ctx.meeting.id, r);
}

/** The hearing as this person may manage its representatives: the applicant, or the secretary's side. */
async function representativeManager(db: DbOrTx, p: Principal, itemId: string): Promise<HearingResult<{ ctx: HearingContext; staff: boolean }>> {
	const ctx = await hearingContext(db, itemId);
	if (!ctx) return no('notFound');
	const applicant = isApplicantOf(p, ctx);
	const staff = !applicant && mayCheckIn(await meetingAccess(db, p, ctx.meeting.id));
	if (!applicant && !staff) return no('notFound');
	if (ctx.meeting.status === 'closed') return no('closed');
	if (ctx.hearing.phase === 'ended') return no('ended');
	return { ok: true, ctx, staff };
}

export async function addRepresentative(db: Db, p: Principal, actor: AuditActor, input: { itemId: string; name: string; position: string }): Promise<HearingResult<{ id: string }>> {
	const who = await representativeManager(db, p, input.itemId);
	if (!who.ok) return who;
	const r = await refusing(() =>
		db.transaction(async (tx) => {
			const h = await lockHearing(tx, input.itemId);
			const [{ n }] = await tx.select({ n: count() }).from(hearingRepresentatives).where(eq(hearingRepresentatives.itemId, input.itemId));
			if (n >= h.maxRepresentatives) throw new Refused('tooMany');
			const [row] = await tx
				.insert(hearingRepresentatives)
				.values({ itemId: input.itemId, name: input.name, position: input.position, addedBy: p.user.id })
				.returning({ id: hearingRepresentatives.id });
			await audit(tx, actor, 'hearing.representative_added', { type: 'hearing', id: input.itemId }, { representativeId: row.id, name: input.name, position: input.position });
			return { ok: true, id: row.id } as const;
		})
	);
	return announce(who.ctx.meeting.id, r);
}

export async function removeRepresentative(db: Db, p: Principal, actor: AuditActor, representativeId: string): Promise<HearingResult> {
	const [rep] = await db.select().from(hearingRepresentatives).where(eq(hearingRepresentatives.id, representativeId));
	if (!rep) return no('notFound');
	const who = await representativeManager(db, p, rep.itemId);
	if (!who.ok) return who;
	const r = await refusing(() =>
		db.transaction(async (tx) => {
			await lockHearing(tx, rep.itemId);
			// A checked-in representative stays on the record (the minutes name who attended).
			const gone = await tx
				.delete(hearingRepresentatives)
				.where(and(eq(hearingRepresentatives.id, representativeId), isNull(hearingRepresentatives.checkedInAt)))
				.returning({ id: hearingRepresentatives.id });
			if (gone.length === 0) throw new Refused('checkedIn');
			await audit(tx, actor, 'hearing.representative_removed', { type: 'hearing', id: rep.itemId }, { representativeId, name: rep.name });
			return { ok: true } as const;
		})
	);
	return announce(who.ctx.meeting.id, r);
}

/** The secretary checks a representative's identity in: who checked, when, and how, audited. */
export async function checkIn(db: Db, p: Principal, actor: AuditActor, input: CheckInInput): Promise<HearingResult> {
	const [rep] = await db.select().from(hearingRepresentatives).where(eq(hearingRepresentatives.id, input.representativeId));
	if (!rep) return no('notFound');
	const ctx = await hearingContext(db, rep.itemId);
	if (!ctx) return no('notFound');
	const access = await meetingAccess(db, p, ctx.meeting.id);
	if (!mayCheckIn(access)) return no(access ? 'forbidden' : 'notFound');
	if (ctx.meeting.status === 'closed') return no('closed');
	if (ctx.hearing.phase === 'ended') return no('ended');
	const r = await refusing(() =>
		db.transaction(async (tx) => {
			await lockHearing(tx, rep.itemId);
			const document = input.method === 'document';
			const done = await tx
				.update(hearingRepresentatives)
				.set({
					checkMethod: input.method,
					idType: document ? input.idType! : null,
					idLast4: document ? input.idLast4! : null,
					checkedInBy: p.user.id,
					checkedInAt: new Date()
				})
				.where(and(eq(hearingRepresentatives.id, rep.id), isNull(hearingRepresentatives.checkedInAt)))
				.returning({ id: hearingRepresentatives.id });
			if (done.length === 0) throw new Refused('checkedIn');
			await audit(tx, actor, 'hearing.checked_in', { type: 'hearing', id: rep.itemId }, {
				representativeId: rep.id,
				name: rep.name,
				method: input.method,
				idType: document ? input.idType : null,
				idLast4: document ? input.idLast4 : null
			});
			return { ok: true } as const;
		})
	);
	return announce(ctx.meeting.id, r);
}

const NEXT: Record<string, string[]> = { pending: ['presentation', 'questions', 'ended'], presentation: ['questions', 'ended'], questions: ['ended'], ended: [] };

/** The chair moves the hearing of the room's current item on. */
export async function setPhase(
	db: Db,
	actor: AuditActor & { id: string },
	meetingId: string,
	itemId: string,
	phase: 'presentation' | 'questions' | 'ended'
): Promise<HearingResult> {
	const ctx = await hearingContext(db, itemId);
	if (!ctx || ctx.meeting.id !== meetingId) return no('notFound');
	const r = await refusing(() =>
		db.transaction(async (tx) => {
			const [m] = await tx.select({ status: meetings.status, currentItemId: meetings.currentItemId }).from(meetings).where(eq(meetings.id, meetingId)).for('update');
			if (m.status !== 'open') throw new Refused('notOpen');
			if (m.currentItemId !== itemId) throw new Refused('notCurrent');
			const h = await lockHearing(tx, itemId);
			if (!NEXT[h.phase].includes(phase)) throw new Refused('badPhase');
			const now = new Date();
			const set =
				phase === 'presentation'
					? { phase, presentationStartedAt: now }
					: phase === 'questions'
						? { phase, questionsStartedAt: now }
						: { phase, endedAt: now };
			await tx.update(hearings).set(set).where(eq(hearings.itemId, itemId));
			await audit(tx, actor, `hearing.${phase === 'ended' ? 'ended' : `${phase}_started`}`, { type: 'hearing', id: itemId }, { meetingId, at: now.toISOString() });
			return { ok: true } as const;
		})
	);
	return announce(meetingId, r);
}

/**
 * Ends the hearings still running once the room has left their item (the chair moved on at
 * time) or closed: their applicants go back to waiting, and the minutes get the end time.
 */
export async function endStrandedHearings(db: Db, meetingId: string): Promise<number> {
	const stranded = await strandedHearings(db, meetingId);
	let ended = 0;
	for (const { itemId } of stranded) {
		await db.transaction(async (tx) => {
			const now = new Date();
			const done = await tx
				.update(hearings)
				.set({ phase: 'ended', endedAt: now })
				.where(and(eq(hearings.itemId, itemId), eq(hearings.meetingId, meetingId)))
				.returning({ itemId: hearings.itemId });
			if (done.length) {
				ended++;
				await audit(tx, { name: 'system' }, 'hearing.ended', { type: 'hearing', id: itemId }, { meetingId, at: now.toISOString(), reason: 'movedOn' });
			}
		});
	}
	if (ended) emit('hearing.changed', { meetingId });
	return ended;
}
