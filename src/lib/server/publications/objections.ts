// Objections (异议) to a published list: written and under a real name, during the period only.
// A person gives name, employer, title, phone and address; an organization its full name, a
// contact person and phone. The objector receives a receipt code (only its hash is stored) to
// follow the handling; their identity is seen only by the staff who handle it (the call's
// division and admins). Staff acknowledge, investigate (notes, files) and decide, upheld or
// dismissed, with a reason the objector reads. An upheld objection reopens the meeting's
// decision through the room's own reopen (the same transaction, audit and minutes addendum as
// an admin's) and takes the item off the final list.
import { createHash, randomBytes } from 'node:crypto';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import {
	applications,
	meetingItems,
	publicationObjectionFiles,
	publicationObjectionNotes,
	publicationObjections,
	publicationRows,
	publications,
	users
} from '$db/schema';
import type { Db, DbOrTx } from '../db';
import type { Principal } from '../auth/principal';
import { audit, type AuditActor } from '../audit';
import { managesCall } from '../calls/access';
import { emit } from '../events';
import { checkPdf } from '../applications/pdf';
import { MeetingRoom, RoomError } from '../meetings/room';
import { writePendingAddenda } from '../meetings/documents';
import { logger } from '../log';
import { tellObjectionAnswered, tellObjectionReceived } from '../notifications/tell';
import { spendNonce } from './antibot';

import { MAX_OBJECTION_FILE_BYTES, MAX_OBJECTION_FILES } from './files';

export { MAX_OBJECTION_FILE_BYTES, MAX_OBJECTION_FILES };

export interface ObjectorInput {
	kind: 'person' | 'organization';
	name: string;
	organization: string;
	title: string;
	contactName: string;
	phone: string;
	address: string;
	rowId: string;
	grounds: string;
}

export interface UploadedFile {
	name: string;
	type: string;
	bytes: Uint8Array;
}

export type LodgeProblem = 'notFound' | 'notOpen' | 'late' | 'early' | 'noSuchRow' | 'tokenUsed' | 'fileTooLarge' | 'fileType' | 'tooManyFiles';

export function receiptHash(code: string): string {
	return createHash('sha256').update(code.trim().toUpperCase()).digest('hex');
}

function newReceiptCode(): string {
	// 16 characters of Crockford base32: 80 bits, read aloud over the phone without 0/O, 1/I.
	const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
	const bytes = randomBytes(16);
	let out = '';
	for (const b of bytes) out += alphabet[b % 32];
	return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8, 12)}-${out.slice(12, 16)}`;
}

/** What a file is by its content: a PDF, a JPEG or a PNG; anything else is refused. */
export function fileKind(bytes: Uint8Array): string | null {
	if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
	if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
	if (checkPdf(bytes, MAX_OBJECTION_FILE_BYTES).ok) return 'application/pdf';
	return null;
}

export function checkFiles(files: UploadedFile[]): { ok: true; files: (UploadedFile & { contentType: string })[] } | { ok: false; code: 'fileTooLarge' | 'fileType' | 'tooManyFiles' } {
	const real = files.filter((f) => f.bytes.byteLength > 0);
	if (real.length > MAX_OBJECTION_FILES) return { ok: false, code: 'tooManyFiles' };
	const out: (UploadedFile & { contentType: string })[] = [];
	for (const f of real) {
		if (f.bytes.byteLength > MAX_OBJECTION_FILE_BYTES) return { ok: false, code: 'fileTooLarge' };
		const contentType = fileKind(f.bytes);
		if (!contentType) return { ok: false, code: 'fileType' };
		out.push({ ...f, name: f.name.slice(0, 200) || 'file', contentType });
	}
	return { ok: true, files: out };
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export interface LodgeOptions {
	/** The account it is lodged from (an applicant), or null. */
	userId: string | null;
	ip: string | null;
	/** The public form's token nonce, spent in the same transaction. */
	nonce?: string;
	now?: Date;
}

export async function lodgeObjection(
	db: DbOrTx,
	publicationId: string,
	input: ObjectorInput,
	files: UploadedFile[],
	opts: LodgeOptions
): Promise<{ ok: true; id: string; receipt: string } | { ok: false; code: LodgeProblem }> {
	const now = opts.now ?? new Date();
	const checked = checkFiles(files);
	if (!checked.ok) return checked;
	type R = { ok: true; id: string; receipt: string } | { ok: false; code: LodgeProblem };
	class Rollback extends Error {
		constructor(readonly result: R) {
			super('rollback');
		}
	}
	try {
		return await db.transaction(async (tx): Promise<R> => {
			// Locked for share: a finalization running now waits for this objection, and sees it.
			const [pub] = await tx.select().from(publications).where(eq(publications.id, publicationId)).for('share');
			if (!pub) return { ok: false, code: 'notFound' };
			if (pub.status !== 'open') return { ok: false, code: 'notOpen' };
			if (now < pub.startsAt) return { ok: false, code: 'early' };
			if (now >= pub.endsAt) return { ok: false, code: 'late' };
			const [row] = await tx.select({ id: publicationRows.id, label: publicationRows.label }).from(publicationRows).where(and(eq(publicationRows.id, input.rowId), eq(publicationRows.publicationId, publicationId)));
			if (!row) return { ok: false, code: 'noSuchRow' };
			if (opts.nonce !== undefined && !(await spendNonce(tx, opts.nonce))) throw new Rollback({ ok: false, code: 'tokenUsed' });
			const receipt = newReceiptCode();
			const person = input.kind === 'person';
			const [obj] = await tx
				.insert(publicationObjections)
				.values({
					publicationId,
					rowId: row.id,
					receiptHash: receiptHash(receipt),
					kind: input.kind,
					name: input.name,
					organization: person ? input.organization : '',
					title: person ? input.title : '',
					contactName: person ? '' : input.contactName,
					phone: input.phone,
					address: input.address,
					grounds: input.grounds,
					userId: opts.userId,
					ip: opts.ip,
					createdAt: now
				})
				.returning({ id: publicationObjections.id });
			for (const f of checked.files) {
				await tx.insert(publicationObjectionFiles).values({ objectionId: obj.id, fileName: f.name, contentType: f.contentType, size: f.bytes.byteLength, sha256: sha256(f.bytes), data: f.bytes, uploadedBy: opts.userId });
			}
			// The trail names the objection and the item, never who objected (that stays with the handlers).
			await audit(tx, opts.userId ? { id: opts.userId, ip: opts.ip } : { name: 'public', ip: opts.ip }, 'publication.objection_lodged', { type: 'publication_objection', id: obj.id }, { publicationId, row: row.label, files: checked.files.length });
			await tellObjectionReceived(tx, obj.id);
			return { ok: true, id: obj.id, receipt };
		});
	} catch (e) {
		if (e instanceof Rollback) return e.result;
		throw e;
	}
}

/** What the objector reads by their receipt code: the handling, never anyone's identity. */
export async function objectionByReceipt(db: DbOrTx, code: string) {
	if (!/^[0-9A-Z-]{10,24}$/i.test(code.trim())) return null;
	const [row] = await db
		.select({
			id: publicationObjections.id,
			status: publicationObjections.status,
			reason: publicationObjections.reason,
			createdAt: publicationObjections.createdAt,
			acknowledgedAt: publicationObjections.acknowledgedAt,
			decidedAt: publicationObjections.decidedAt,
			label: publicationRows.label,
			itemTitle: publicationRows.title,
			publicationId: publications.id,
			publicationTitle: publications.title
		})
		.from(publicationObjections)
		.innerJoin(publicationRows, eq(publicationRows.id, publicationObjections.rowId))
		.innerJoin(publications, eq(publications.id, publicationObjections.publicationId))
		.where(eq(publicationObjections.receiptHash, receiptHash(code)));
	return row ?? null;
}

/** The objections an account lodged, or lodged against its enterprise's applications (without the objector). */
export async function objectionsForApplication(db: DbOrTx, p: Principal, applicationId: string) {
	const mine = await db
		.select({ id: publicationObjections.id, status: publicationObjections.status, reason: publicationObjections.reason, createdAt: publicationObjections.createdAt, decidedAt: publicationObjections.decidedAt, label: publicationRows.label, userId: publicationObjections.userId, enterpriseId: applications.enterpriseId })
		.from(publicationObjections)
		.innerJoin(publicationRows, eq(publicationRows.id, publicationObjections.rowId))
		.leftJoin(applications, eq(applications.id, publicationRows.applicationId))
		.where(eq(publicationRows.applicationId, applicationId))
		.orderBy(asc(publicationObjections.createdAt));
	return mine.filter((o) => o.userId === p.user.id || (p.enterpriseId && o.enterpriseId === p.enterpriseId)).map(({ userId: _u, enterpriseId: _e, ...o }) => o);
}

/** The objections the account itself lodged (an applicant's own page). */
export async function objectionsLodgedBy(db: DbOrTx, userId: string) {
	return db
		.select({ id: publicationObjections.id, status: publicationObjections.status, reason: publicationObjections.reason, createdAt: publicationObjections.createdAt, decidedAt: publicationObjections.decidedAt, label: publicationRows.label, itemTitle: publicationRows.title, publicationId: publicationObjections.publicationId })
		.from(publicationObjections)
		.innerJoin(publicationRows, eq(publicationRows.id, publicationObjections.rowId))
		.where(eq(publicationObjections.userId, userId))
		.orderBy(desc(publicationObjections.createdAt));
}

// ---- handling (staff) -----------------------------------------------------------------

export type HandleProblem = 'notFound' | 'forbidden' | 'decided' | 'notAcknowledged' | 'final' | 'reopenFailed' | 'fileTooLarge' | 'fileType' | 'tooManyFiles';

async function publicationFor(db: DbOrTx, p: Principal, publicationId: string) {
	const [pub] = await db.select().from(publications).where(eq(publications.id, publicationId));
	if (!pub) return { ok: false as const, code: 'notFound' as const };
	if (!(await managesCall(db, p, pub.callId))) return { ok: false as const, code: 'forbidden' as const };
	return { ok: true as const, pub };
}

/** Every objection to a publication with the objector's identity: the handlers' view. */
export async function objectionsOf(db: DbOrTx, p: Principal, publicationId: string) {
	const found = await publicationFor(db, p, publicationId);
	if (!found.ok) return found;
	const list = await db
		.select({ o: publicationObjections, label: publicationRows.label, itemTitle: publicationRows.title, organizationOfItem: publicationRows.organization })
		.from(publicationObjections)
		.innerJoin(publicationRows, eq(publicationRows.id, publicationObjections.rowId))
		.where(eq(publicationObjections.publicationId, publicationId))
		.orderBy(asc(publicationObjections.createdAt));
	const ids = list.map((l) => l.o.id);
	const notes = ids.length
		? await db
				.select({ id: publicationObjectionNotes.id, objectionId: publicationObjectionNotes.objectionId, body: publicationObjectionNotes.body, createdAt: publicationObjectionNotes.createdAt, author: users.name })
				.from(publicationObjectionNotes)
				.innerJoin(users, eq(users.id, publicationObjectionNotes.authorId))
				.where(inArray(publicationObjectionNotes.objectionId, ids))
				.orderBy(asc(publicationObjectionNotes.createdAt))
		: [];
	const files = ids.length
		? await db
				.select({ id: publicationObjectionFiles.id, objectionId: publicationObjectionFiles.objectionId, noteId: publicationObjectionFiles.noteId, fileName: publicationObjectionFiles.fileName, size: publicationObjectionFiles.size, sha256: publicationObjectionFiles.sha256 })
				.from(publicationObjectionFiles)
				.where(inArray(publicationObjectionFiles.objectionId, ids))
		: [];
	return {
		ok: true as const,
		publication: found.pub,
		objections: list.map((l) => ({
			...l.o,
			receiptHash: undefined,
			label: l.label,
			itemTitle: l.itemTitle,
			itemOrganization: l.organizationOfItem,
			notes: notes.filter((n) => n.objectionId === l.o.id),
			files: files.filter((f) => f.objectionId === l.o.id)
		}))
	};
}

/** A file of an objection, for its handlers only. */
export async function objectionFile(db: DbOrTx, p: Principal, fileId: string) {
	const [f] = await db
		.select({ file: publicationObjectionFiles, publicationId: publicationObjections.publicationId })
		.from(publicationObjectionFiles)
		.innerJoin(publicationObjections, eq(publicationObjections.id, publicationObjectionFiles.objectionId))
		.where(eq(publicationObjectionFiles.id, fileId));
	if (!f) return null;
	const found = await publicationFor(db, p, f.publicationId);
	return found.ok ? f.file : null;
}

async function objectionFor(tx: DbOrTx, p: Principal, objectionId: string) {
	const [o] = await tx.select().from(publicationObjections).where(eq(publicationObjections.id, objectionId)).for('update');
	if (!o) return { ok: false as const, code: 'notFound' as const };
	const found = await publicationFor(tx, p, o.publicationId);
	if (!found.ok) return found;
	if (found.pub.status === 'final') return { ok: false as const, code: 'final' as const };
	return { ok: true as const, o, pub: found.pub };
}

export async function acknowledgeObjection(db: DbOrTx, p: Principal, actor: AuditActor, objectionId: string): Promise<{ ok: true } | { ok: false; code: HandleProblem }> {
	return db.transaction(async (tx) => {
		const found = await objectionFor(tx, p, objectionId);
		if (!found.ok) return found;
		if (found.o.status !== 'received') return { ok: false as const, code: 'decided' as const };
		await tx.update(publicationObjections).set({ status: 'acknowledged', acknowledgedBy: p.user.id, acknowledgedAt: new Date() }).where(eq(publicationObjections.id, objectionId));
		await audit(tx, actor, 'publication.objection_acknowledged', { type: 'publication_objection', id: objectionId }, { publicationId: found.pub.id });
		return { ok: true as const };
	});
}

export async function addObjectionNote(db: DbOrTx, p: Principal, actor: AuditActor, objectionId: string, body: string, files: UploadedFile[]): Promise<{ ok: true } | { ok: false; code: HandleProblem }> {
	const checked = checkFiles(files);
	if (!checked.ok) return checked;
	return db.transaction(async (tx) => {
		const found = await objectionFor(tx, p, objectionId);
		if (!found.ok) return found;
		if (found.o.status === 'upheld' || found.o.status === 'dismissed') return { ok: false as const, code: 'decided' as const };
		const [note] = await tx.insert(publicationObjectionNotes).values({ objectionId, authorId: p.user.id, body }).returning({ id: publicationObjectionNotes.id });
		for (const f of checked.files) {
			await tx.insert(publicationObjectionFiles).values({ objectionId, noteId: note.id, fileName: f.name, contentType: f.contentType, size: f.bytes.byteLength, sha256: sha256(f.bytes), data: f.bytes, uploadedBy: p.user.id });
		}
		await audit(tx, actor, 'publication.objection_note', { type: 'publication_objection', id: objectionId }, { noteId: note.id, files: checked.files.length });
		return { ok: true as const };
	});
}

/**
 * Decides an objection. Upheld: the item's meeting decision is reopened through the meeting
 * room's reopen (an admin's path: the staff's upheld objection is its authority, named in the
 * reason), in the same transaction, and the item is left off the final list.
 */
export async function decideObjection(
	db: Db,
	p: Principal,
	actor: AuditActor,
	objectionId: string,
	outcome: 'upheld' | 'dismissed',
	reason: string
): Promise<{ ok: true; reopenedMeetingId: string | null } | { ok: false; code: HandleProblem }> {
	type R = { ok: true; reopenedMeetingId: string | null } | { ok: false; code: HandleProblem };
	let result: R;
	try {
		result = await db.transaction(async (tx): Promise<R> => {
			const found = await objectionFor(tx, p, objectionId);
			if (!found.ok) return found;
			if (found.o.status === 'upheld' || found.o.status === 'dismissed') return { ok: false, code: 'decided' };
			if (found.o.status !== 'acknowledged') return { ok: false, code: 'notAcknowledged' };
			const now = new Date();
			let reopenedMeetingId: string | null = null;
			let reopenedDecisionId: string | null = null;
			if (outcome === 'upheld') {
				const [row] = await tx.select({ decisionId: publicationRows.decisionId, label: publicationRows.label, applicationId: publicationRows.applicationId }).from(publicationRows).where(eq(publicationRows.id, found.o.rowId));
				if (row?.applicationId) {
					const items = await tx.select({ itemId: meetingItems.id, meetingId: meetingItems.meetingId }).from(meetingItems).where(eq(meetingItems.applicationId, row.applicationId));
					// The item whose decision the row was published from.
					for (const it of items) {
						const room = await MeetingRoom.load(() => tx as unknown as Db, it.meetingId);
						const state = room?.state.items.find((x) => x.id === it.itemId);
						const inForce = state?.decisions.at(-1);
						if (!room || !state || !inForce || inForce.reopened || inForce.id !== row.decisionId) continue;
						await room.reopenDecision({ userId: p.user.id, name: p.user.name, isAdmin: true, ip: actor.ip ?? null }, it.itemId, `异议成立（公示 ${found.pub.title}，${row.label}）：${reason}`, { inTransaction: true });
						reopenedMeetingId = it.meetingId;
						reopenedDecisionId = inForce.id;
					}
				}
			}
			await tx
				.update(publicationObjections)
				.set({ status: outcome, reason, decidedBy: p.user.id, decidedAt: now, reopenedDecisionId })
				.where(eq(publicationObjections.id, objectionId));
			await audit(tx, actor, `publication.objection_${outcome}`, { type: 'publication_objection', id: objectionId }, { publicationId: found.pub.id, reason, reopenedDecisionId });
			await tellObjectionAnswered(tx, objectionId);
			return { ok: true, reopenedMeetingId };
		});
	} catch (e) {
		if (e instanceof RoomError) return { ok: false, code: 'reopenFailed' };
		throw e;
	}
	if (result.ok && result.reopenedMeetingId) {
		// The minutes' addendum for the reopen was queued in the transaction; written now, or at the next start.
		await writePendingAddenda(db, result.reopenedMeetingId).catch((err) => logger().warn({ err }, 'minutes addendum not written yet; retried at next start'));
		emit('meeting.changed', { meetingId: result.reopenedMeetingId });
	}
	return result;
}
