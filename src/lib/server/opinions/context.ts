// Everything a rule about one item's panel opinion needs, read in one place: the item, its
// meeting and call, who may sign (the chair and experts not recused from the application),
// who is recused, the decision in force, the opinion with its signatures, excusals, release,
// and the hash of the text as it stands now. Every command and view of the domain reads it
// fresh, so no rule works on a stale copy.
import { and, asc, desc, eq, inArray, notInArray } from 'drizzle-orm';
import {
	applications,
	calls,
	documentLocks,
	documents,
	meetingDecisionReopens,
	meetingDecisions,
	meetingItems,
	meetingMembers,
	meetings,
	panelOpinionExcusals,
	panelOpinionReleases,
	panelOpinionSignatures,
	panelOpinions,
	programs,
	users
} from '$db/schema';
import type { DbOrTx } from '../db';
import type { Principal } from '../auth/principal';
import { roles } from '../auth/principal';
import { managesCall } from '../calls/access';
import { recusalsOf } from '../meetings/recusals';
import { currentContent } from '../documents';
import { canonicalJSON } from '../documents/content';
import { sha256Hex } from '../documents/lock';

export interface Member {
	userId: string;
	name: string;
	role: 'chair' | 'secretary' | 'expert' | 'observer';
}

export interface OpinionContext {
	item: { id: string; position: number; meetingId: string; applicationId: string };
	meeting: { id: string; title: string; status: 'scheduled' | 'open' | 'closed'; callId: string };
	call: { id: string; code: string; title: string; divisionId: string };
	application: { id: string; number: string; title: string; enterpriseName: string; enterpriseId: string | null };
	members: Member[];
	/** The chair and experts not recused from the application: they edit and sign. */
	signers: Member[];
	recused: Set<string>;
	decision: {
		id: string;
		version: number;
		outcome: 'fund' | 'decline' | 'defer';
		amount: string | null;
		fundingMode: string | null;
		rationale: string;
		sha256: string;
		auditAnchor: string | null;
		lockedAt: Date;
	} | null;
	opinion: {
		id: string;
		documentId: string;
		leadUserId: string;
		leadChosenAt: Date;
		submittedAt: Date | null;
		submittedSha256: string | null;
	} | null;
	signatures: { userId: string; kind: 'sign' | 'dissent'; dissent: string; sha256: string; signedAt: Date }[];
	excusals: { userId: string; reason: string; recordedBy: string; recordedAt: Date }[];
	release: { options: Record<string, boolean>; view: Record<string, unknown>; viewSha256: string; releasedBy: string; releasedAt: Date } | null;
	lock: { sha256: string; lockedAt: Date; lockedBy: string; content: string; auditAnchor: string | null } | null;
	/** SHA-256 of the opinion's canonical content now (the lock's hash once finalized). */
	currentSha256: string | null;
}

/** The decision in force on an item: the newest version not reopened. */
export async function decisionOf(db: DbOrTx, itemId: string) {
	const reopened = db.select({ id: meetingDecisionReopens.decisionId }).from(meetingDecisionReopens);
	const [d] = await db
		.select()
		.from(meetingDecisions)
		.where(and(eq(meetingDecisions.itemId, itemId), notInArray(meetingDecisions.id, reopened)))
		.orderBy(desc(meetingDecisions.version))
		.limit(1);
	return d ?? null;
}

export async function opinionContext(db: DbOrTx, itemId: string): Promise<OpinionContext | null> {
	const [row] = await db
		.select({
			item: meetingItems,
			meeting: { id: meetings.id, title: meetings.title, status: meetings.status, callId: meetings.callId },
			call: { id: calls.id, code: calls.code, title: calls.title, divisionId: programs.divisionId },
			application: { id: applications.id, number: applications.number, title: applications.title, enterpriseId: applications.enterpriseId, enterpriseName: applications.enterpriseName }
		})
		.from(meetingItems)
		.innerJoin(meetings, eq(meetings.id, meetingItems.meetingId))
		.innerJoin(calls, eq(calls.id, meetings.callId))
		.innerJoin(programs, eq(programs.id, calls.programId))
		.innerJoin(applications, eq(applications.id, meetingItems.applicationId))
		.where(eq(meetingItems.id, itemId));
	if (!row) return null;
	const members = await db
		.select({ userId: meetingMembers.userId, name: users.name, role: meetingMembers.role })
		.from(meetingMembers)
		.innerJoin(users, eq(users.id, meetingMembers.userId))
		.where(eq(meetingMembers.meetingId, row.meeting.id))
		.orderBy(asc(meetingMembers.role), asc(users.name));
	const recusals = await recusalsOf(db, row.meeting.id, { applicationIds: [row.item.applicationId] });
	const recused = new Set(recusals.get(row.item.applicationId)?.keys() ?? []);
	const signers = members.filter((m) => (m.role === 'chair' || m.role === 'expert') && !recused.has(m.userId));
	const d = await decisionOf(db, itemId);
	const [o] = await db.select().from(panelOpinions).where(eq(panelOpinions.itemId, itemId));
	let signatures: OpinionContext['signatures'] = [];
	let excusals: OpinionContext['excusals'] = [];
	let release: OpinionContext['release'] = null;
	let lock: OpinionContext['lock'] = null;
	let currentSha256: string | null = null;
	if (o) {
		signatures = await db
			.select({ userId: panelOpinionSignatures.userId, kind: panelOpinionSignatures.kind, dissent: panelOpinionSignatures.dissent, sha256: panelOpinionSignatures.sha256, signedAt: panelOpinionSignatures.signedAt })
			.from(panelOpinionSignatures)
			.where(eq(panelOpinionSignatures.opinionId, o.id));
		excusals = await db
			.select({ userId: panelOpinionExcusals.userId, reason: panelOpinionExcusals.reason, recordedBy: panelOpinionExcusals.recordedBy, recordedAt: panelOpinionExcusals.recordedAt })
			.from(panelOpinionExcusals)
			.where(eq(panelOpinionExcusals.opinionId, o.id));
		const [r] = await db.select().from(panelOpinionReleases).where(eq(panelOpinionReleases.opinionId, o.id));
		release = r ? { options: r.options, view: r.view, viewSha256: r.viewSha256, releasedBy: r.releasedBy, releasedAt: r.releasedAt } : null;
		const [doc] = await db.select({ lockId: documents.lockId }).from(documents).where(eq(documents.id, o.documentId));
		if (doc?.lockId) {
			const [l] = await db
				.select({ sha256: documentLocks.contentSha256, lockedAt: documentLocks.lockedAt, lockedBy: documentLocks.lockedBy, content: documentLocks.content, auditAnchor: documentLocks.auditAnchor })
				.from(documentLocks)
				.where(eq(documentLocks.id, doc.lockId));
			lock = l ?? null;
		}
		currentSha256 = lock ? lock.sha256 : await contentSha256(db, o.documentId);
	}
	return {
		item: { id: row.item.id, position: row.item.position, meetingId: row.item.meetingId, applicationId: row.item.applicationId },
		meeting: row.meeting,
		call: row.call,
		application: row.application,
		members,
		signers,
		recused,
		decision: d
			? { id: d.id, version: d.version, outcome: d.outcome, amount: d.amount, fundingMode: d.fundingMode, rationale: d.rationale, sha256: d.sha256, auditAnchor: d.auditAnchor, lockedAt: d.lockedAt }
			: null,
		opinion: o ? { id: o.id, documentId: o.documentId, leadUserId: o.leadUserId, leadChosenAt: o.leadChosenAt, submittedAt: o.submittedAt, submittedSha256: o.submittedSha256 } : null,
		signatures,
		excusals,
		release,
		lock,
		currentSha256
	};
}

/** The SHA-256 of a document's canonical content now, computed as the lock computes it. */
export async function contentSha256(db: DbOrTx, documentId: string): Promise<string> {
	const { doc, json } = await currentContent(db, documentId);
	doc.destroy();
	return sha256Hex(canonicalJSON(json));
}

/** The opinion of an item by its document id (for the access resolver). */
export async function opinionByDocument(db: DbOrTx, documentId: string) {
	const [o] = await db.select({ itemId: panelOpinions.itemId }).from(panelOpinions).where(eq(panelOpinions.documentId, documentId));
	return o ?? null;
}

/** Opinions of items on a meeting's agenda, by item id (for the meeting page's links). */
export async function opinionsOfItems(db: DbOrTx, itemIds: string[]) {
	if (itemIds.length === 0) return new Map<string, string>();
	const rows = await db.select({ itemId: panelOpinions.itemId, id: panelOpinions.id }).from(panelOpinions).where(inArray(panelOpinions.itemId, itemIds));
	return new Map(rows.map((r) => [r.itemId, r.id]));
}

export type OpinionRole = 'lead' | 'chair' | 'signer' | 'staff' | 'none';

/** What the principal is to this opinion. Recused members and applicants are 'none' whatever else they are. */
export async function rolesOf(db: DbOrTx, p: Principal, ctx: OpinionContext): Promise<{ signer: boolean; chair: boolean; lead: boolean; staff: boolean; admin: boolean; viewer: boolean }> {
	const recused = ctx.recused.has(p.user.id);
	const member = ctx.members.find((m) => m.userId === p.user.id);
	const signer = !recused && ctx.signers.some((m) => m.userId === p.user.id);
	const chair = signer && member?.role === 'chair';
	const lead = signer && ctx.opinion?.leadUserId === p.user.id;
	const staff = !recused && roles.isStaff(p) && (await managesCall(db, p, ctx.call.id));
	const viewer = signer || staff || p.isAdmin || (!recused && !!member && (member.role === 'secretary' || member.role === 'observer'));
	return { signer, chair, lead, staff, admin: p.isAdmin, viewer };
}

/** Whether a signature still counts: given on exactly the text as it stands. */
export function validSignature(ctx: OpinionContext, s: { sha256: string }): boolean {
	return ctx.currentSha256 !== null && s.sha256 === ctx.currentSha256;
}

/** Who has not yet given a valid signature or dissent, and is not excused. */
export function pendingSigners(ctx: OpinionContext, extraExcused: Set<string> = new Set()): Member[] {
	return ctx.signers.filter((m) => {
		if (extraExcused.has(m.userId) || ctx.excusals.some((e) => e.userId === m.userId)) return false;
		const s = ctx.signatures.find((x) => x.userId === m.userId);
		return !s || !validSignature(ctx, s);
	});
}

/** The lead submitted exactly the text as it stands. */
export function submittedCurrent(ctx: OpinionContext): boolean {
	return !!ctx.opinion?.submittedSha256 && ctx.opinion.submittedSha256 === ctx.currentSha256;
}
