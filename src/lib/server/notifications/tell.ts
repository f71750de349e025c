// What other domains call, inside their transaction, to tell people of what they just did.
// Each reads what the message needs by ids, so the caller adds one line.
import { and, eq, inArray, ne, or } from 'drizzle-orm';
import {
	applications,
	assignments,
	calls,
	documentComments,
	documents,
	enterprises,
	experts,
	hearings,
	meetingItems,
	meetingMembers,
	meetings,
	memberships,
	programDivisions,
	publicationObjections,
	publicationRows,
	publications
} from '$db/schema';
import type { DbOrTx } from '../db';
import { notify } from './index';

/** Experts learn of assignments made (manual, matching or draw). */
export async function tellAssignmentsMade(tx: DbOrTx, assignmentIds: string[]): Promise<void> {
	if (assignmentIds.length === 0) return;
	const rows = await tx
		.select({ id: assignments.id, form: assignments.form, userId: experts.userId, number: applications.number, title: applications.title, callTitle: calls.title, callTitleEn: calls.titleEn, deadline: calls.reviewDeadline })
		.from(assignments)
		.innerJoin(experts, eq(experts.id, assignments.expertId))
		.innerJoin(applications, eq(applications.id, assignments.applicationId))
		.innerJoin(calls, eq(calls.id, assignments.callId))
		.where(inArray(assignments.id, assignmentIds));
	for (const r of rows) {
		if (!r.userId) continue;
		await notify(tx, {
			userIds: [r.userId],
			kind: 'assignment_made',
			params: { number: r.number, title: r.title, form: r.form, callTitle: r.callTitle, callTitleEn: r.callTitleEn, deadline: r.deadline?.toISOString() ?? null },
			link: `/reviews/${r.id}`,
			dedupeKey: `assignment_made:${r.id}`
		});
	}
}

/** The expert learns staff took an assignment off them. */
export async function tellAssignmentWithdrawn(tx: DbOrTx, assignmentId: string, reason: string): Promise<void> {
	const [r] = await tx
		.select({ userId: experts.userId, number: applications.number, title: applications.title })
		.from(assignments)
		.innerJoin(experts, eq(experts.id, assignments.expertId))
		.innerJoin(applications, eq(applications.id, assignments.applicationId))
		.where(eq(assignments.id, assignmentId));
	if (!r?.userId) return;
	await notify(tx, { userIds: [r.userId], kind: 'assignment_withdrawn', params: { number: r.number, title: r.title, reason }, link: '/reviews' });
}

/** The applicant learns intake's outcome (the rejection with its reason). */
export async function tellIntakeOutcome(tx: DbOrTx, applicationId: string, outcome: 'accepted' | 'rejected', reason = ''): Promise<void> {
	const [r] = await tx
		.select({ userId: enterprises.userId, number: applications.number, title: applications.title })
		.from(applications)
		.innerJoin(enterprises, eq(enterprises.id, applications.enterpriseId))
		.where(eq(applications.id, applicationId));
	if (!r?.userId) return;
	const link = `/applications/${applicationId}`;
	if (outcome === 'accepted') await notify(tx, { userIds: [r.userId], kind: 'application_accepted', params: { number: r.number, title: r.title }, link, dedupeKey: `application_accepted:${applicationId}` });
	else await notify(tx, { userIds: [r.userId], kind: 'application_rejected', params: { number: r.number, title: r.title, reason }, link });
}

/**
 * Members of a meeting learn it was scheduled (those in `userIds`: new members) or changed
 * (everyone but `except`, who made the change).
 */
export async function tellMeeting(tx: DbOrTx, meetingId: string, kind: 'meeting_scheduled' | 'meeting_changed', opts: { userIds?: string[]; except?: string | null } = {}): Promise<void> {
	const [mt] = await tx.select({ title: meetings.title, startsAt: meetings.startsAt, place: meetings.place }).from(meetings).where(eq(meetings.id, meetingId));
	if (!mt) return;
	const members = opts.userIds ?? (await tx.select({ userId: meetingMembers.userId }).from(meetingMembers).where(eq(meetingMembers.meetingId, meetingId))).map((x) => x.userId);
	const userIds = members.filter((u) => u !== opts.except);
	await notify(tx, { userIds, kind, params: { meetingId, title: mt.title, startsAt: mt.startsAt.toISOString(), place: mt.place ?? '' }, link: `/meetings/${meetingId}` });
}

/** A person learns a document was shared with them. */
export async function tellDocumentShared(tx: DbOrTx, documentId: string, userId: string, access: 'view' | 'comment' | 'edit', by: { id: string; name: string }): Promise<void> {
	if (userId === by.id) return;
	const [d] = await tx.select({ title: documents.title }).from(documents).where(eq(documents.id, documentId));
	if (!d) return;
	await notify(tx, { userIds: [userId], kind: 'document_shared', params: { title: d.title, by: by.name, access }, link: `/documents/${documentId}` });
}

/** The document's author and the thread's earlier participants learn of a comment. */
export async function tellDocumentCommented(tx: DbOrTx, documentId: string, threadId: string | null, body: string, by: { id: string; name: string }): Promise<void> {
	const [d] = await tx.select({ title: documents.title, createdBy: documents.createdBy }).from(documents).where(eq(documents.id, documentId));
	if (!d) return;
	const earlier = threadId
		? (
				await tx
					.selectDistinct({ u: documentComments.authorId })
					.from(documentComments)
					.where(and(eq(documentComments.documentId, documentId), or(eq(documentComments.id, threadId), eq(documentComments.parentId, threadId)), ne(documentComments.authorId, by.id)))
			).map((r) => r.u)
		: [];
	const userIds = [d.createdBy, ...earlier].filter((u): u is string => !!u && u !== by.id);
	const excerpt = body.length > 120 ? body.slice(0, 120) + '…' : body;
	await notify(tx, { userIds, kind: 'document_commented', params: { title: d.title, by: by.name, excerpt }, link: `/documents/${documentId}` });
}


/** Staff of the divisions running a call (its program's divisions): who handles its objections. */
async function callStaffIds(tx: DbOrTx, callId: string): Promise<string[]> {
	const rows = await tx
		.selectDistinct({ userId: memberships.userId })
		.from(calls)
		.innerJoin(programDivisions, eq(programDivisions.programId, calls.programId))
		.innerJoin(memberships, eq(memberships.divisionId, programDivisions.divisionId))
		.where(eq(calls.id, callId));
	return rows.map((r) => r.userId);
}

/** Applicants on a published list learn it is out for objections, and until when. */
export async function tellPublished(tx: DbOrTx, publicationId: string): Promise<void> {
	const rows = await tx
		.select({ userId: enterprises.userId, applicationId: applications.id, number: applications.number, title: applications.title, callTitle: calls.title, callTitleEn: calls.titleEn, until: publications.endsAt })
		.from(publicationRows)
		.innerJoin(publications, eq(publications.id, publicationRows.publicationId))
		.innerJoin(calls, eq(calls.id, publications.callId))
		.innerJoin(applications, eq(applications.id, publicationRows.applicationId))
		.innerJoin(enterprises, eq(enterprises.id, applications.enterpriseId))
		.where(eq(publicationRows.publicationId, publicationId));
	for (const r of rows) {
		if (!r.userId) continue;
		await notify(tx, {
			userIds: [r.userId],
			kind: 'decision_published',
			params: { number: r.number, title: r.title, callTitle: r.callTitle, callTitleEn: r.callTitleEn, until: r.until.toISOString() },
			link: `/public/publications/${publicationId}`,
			dedupeKey: `decision_published:${publicationId}:${r.applicationId}`
		});
	}
}

async function objectionRow(tx: DbOrTx, objectionId: string) {
	const [r] = await tx
		.select({ o: publicationObjections, callId: publications.callId, label: publicationRows.label, title: publicationRows.title })
		.from(publicationObjections)
		.innerJoin(publications, eq(publications.id, publicationObjections.publicationId))
		.innerJoin(publicationRows, eq(publicationRows.id, publicationObjections.rowId))
		.where(eq(publicationObjections.id, objectionId));
	return r ?? null;
}

/**
 * The call's staff learn an objection was lodged (they handle it and may see who objected);
 * an objector with an account gets the receipt in their inbox.
 */
export async function tellObjectionReceived(tx: DbOrTx, objectionId: string): Promise<void> {
	const r = await objectionRow(tx, objectionId);
	if (!r) return;
	const params = { number: r.label, title: r.title, objector: r.o.name };
	const staff = (await callStaffIds(tx, r.callId)).filter((u) => u !== r.o.userId);
	await notify(tx, { userIds: staff, kind: 'objection_received', params, link: `/calls/${r.callId}/publication`, dedupeKey: `objection_received:${objectionId}` });
	if (r.o.userId) await notify(tx, { userIds: [r.o.userId], kind: 'objection_received', params, link: '/applications', dedupeKey: `objection_receipt:${objectionId}` });
}

/** The objector (with an account) learns the objection was upheld or dismissed, and why. */
export async function tellObjectionAnswered(tx: DbOrTx, objectionId: string): Promise<void> {
	const r = await objectionRow(tx, objectionId);
	if (!r?.o.userId || (r.o.status !== 'upheld' && r.o.status !== 'dismissed')) return;
	await notify(tx, {
		userIds: [r.o.userId],
		kind: 'objection_answered',
		params: { number: r.label, title: r.title, outcome: r.o.status, reason: r.o.reason ?? '' },
		link: '/applications',
		dedupeKey: `objection_answered:${objectionId}`
	});
}

/** The applicant learns their project will be heard (答辩): when, where, in which meeting. */
export async function tellHearingInvitation(tx: DbOrTx, itemId: string): Promise<void> {
	const [r] = await tx
		.select({ userId: enterprises.userId, number: applications.number, title: applications.title, meetingTitle: meetings.title, startsAt: hearings.scheduledAt, place: meetings.place })
		.from(hearings)
		.innerJoin(meetingItems, eq(meetingItems.id, hearings.itemId))
		.innerJoin(meetings, eq(meetings.id, meetingItems.meetingId))
		.innerJoin(applications, eq(applications.id, meetingItems.applicationId))
		.innerJoin(enterprises, eq(enterprises.id, applications.enterpriseId))
		.where(eq(hearings.itemId, itemId));
	if (!r?.userId) return;
	await notify(tx, {
		userIds: [r.userId],
		kind: 'hearing_invitation',
		params: { number: r.number, title: r.title, meetingTitle: r.meetingTitle, startsAt: r.startsAt.toISOString(), place: r.place ?? '' },
		link: `/hearings/${itemId}`,
		dedupeKey: `hearing_invitation:${itemId}:${r.startsAt.toISOString()}`
	});
}
