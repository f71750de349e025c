// The documents domain: listing what a person may open, creating documents (from templates),
// a document's details, and its current content. Comments, versions, the lock, shares and
// exports have files of their own beside this one; access.ts decides every right.
import * as Y from 'yjs';
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { divisions, documentLocks, documents, documentSnapshots, programs, users } from '$db/schema';
import type { Db, DbOrTx } from '../db';
import type { Principal } from '../auth/principal';
import { audit, type AuditActor } from '../audit';
import { readableDoc, writeInitialSnapshot } from '../collab/persistence';
import { collabServer } from '../collab';
import { accessibleDocuments, accessTo, resolveAccess, type Access, type DocumentRef, type EffectiveAccess } from './access';
import { docFromJSON, jsonOf, textOf } from './content';
import { templateContent, type TemplateKey } from './templates';
import { insertVersion } from './versions';
import type { PMNode } from '$lib/editor/extensions';

export const DOCUMENT_KINDS = ['plan', 'guideline', 'minutes', 'notes', 'other'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export interface DocumentListItem {
	id: string;
	title: string;
	kind: DocumentKind;
	ownerKind: 'division' | 'program' | 'meeting';
	ownerId: string | null;
	ownerName: string;
	ownerNameEn: string;
	/** The division the document belongs to for filtering: its own, or its program's lead division. */
	divisionId: string | null;
	access: Access;
	locked: boolean;
	editedAt: Date;
	createdByName: string | null;
}

export interface DocumentFilter {
	q?: string;
	kind?: DocumentKind | '';
	divisionId?: string;
}

function like(q: string): string {
	return `%${q.replace(/[%_\\]/g, (c) => '\\' + c)}%`;
}

/** Every document the principal may open, newest edits first, narrowed by the filter. */
export async function listDocuments(db: DbOrTx, principal: Principal, filter: DocumentFilter = {}): Promise<DocumentListItem[]> {
	const allowed = await accessibleDocuments(db, principal);
	if (allowed.size === 0) return [];
	const where: SQL[] = [inArray(documents.id, [...allowed.keys()])];
	if (filter.kind) where.push(eq(documents.kind, filter.kind));
	if (filter.divisionId) where.push(sql`coalesce(${documents.divisionId}, ${programs.divisionId}) = ${filter.divisionId}`);
	const q = filter.q?.trim();
	if (q) where.push(sql`(${documents.title} ILIKE ${like(q)} OR ${documentSnapshots.text} ILIKE ${like(q)})`);
	const found = await db
		.select({
			id: documents.id,
			title: documents.title,
			kind: documents.kind,
			ownerKind: documents.ownerKind,
			documentDivisionId: documents.divisionId,
			programId: documents.programId,
			meetingId: documents.meetingId,
			divisionName: divisions.name,
			divisionNameEn: divisions.nameEn,
			programName: programs.name,
			programNameEn: programs.nameEn,
			programDivisionId: programs.divisionId,
			lockId: documents.lockId,
			editedAt: documents.editedAt,
			createdByName: users.name
		})
		.from(documents)
		.leftJoin(divisions, eq(divisions.id, documents.divisionId))
		.leftJoin(programs, eq(programs.id, documents.programId))
		.leftJoin(documentSnapshots, eq(documentSnapshots.documentId, documents.id))
		.leftJoin(users, eq(users.id, documents.createdBy))
		.where(and(...where))
		.orderBy(desc(documents.editedAt));
	return found.map((d) => ({
		id: d.id,
		title: d.title,
		kind: d.kind,
		ownerKind: d.ownerKind,
		ownerId: d.documentDivisionId ?? d.programId ?? d.meetingId,
		ownerName: d.divisionName ?? d.programName ?? '评审会',
		ownerNameEn: d.divisionNameEn ?? d.programNameEn ?? 'Panel meeting',
		divisionId: d.documentDivisionId ?? d.programDivisionId,
		access: allowed.get(d.id)!.access,
		locked: d.lockId !== null,
		editedAt: d.editedAt,
		createdByName: d.createdByName
	}));
}

export interface OwnerChoice {
	kind: 'division' | 'program';
	id: string;
	name: string;
	nameEn: string;
}

/** Where the principal may create documents: their divisions, and the programs their division leads. */
export async function ownerChoices(db: DbOrTx, principal: Principal): Promise<OwnerChoice[]> {
	const divisionIds = principal.memberships.map((m) => m.divisionId);
	const divs = principal.isAdmin
		? await db.select().from(divisions).orderBy(asc(divisions.sort))
		: divisionIds.length
			? await db.select().from(divisions).where(inArray(divisions.id, divisionIds)).orderBy(asc(divisions.sort))
			: [];
	const progs = principal.isAdmin
		? await db.select().from(programs).orderBy(asc(programs.code))
		: divisionIds.length
			? await db.select().from(programs).where(inArray(programs.divisionId, divisionIds)).orderBy(asc(programs.code))
			: [];
	return [
		...divs.map((d) => ({ kind: 'division' as const, id: d.id, name: d.name, nameEn: d.nameEn })),
		...progs.map((p) => ({ kind: 'program' as const, id: p.id, name: p.name, nameEn: p.nameEn }))
	];
}

/** Every division, for the list's filter. */
export async function divisionOptions(db: DbOrTx) {
	return db.select({ id: divisions.id, name: divisions.name, nameEn: divisions.nameEn }).from(divisions).orderBy(asc(divisions.sort));
}

export interface NewDocument {
	title: string;
	kind: DocumentKind;
	owner: { kind: 'division' | 'program'; id: string } | { kind: 'meeting'; id: string; agendaItemId?: string | null };
	content: PMNode;
	template?: TemplateKey | null;
	createdBy: string | null;
}

/**
 * Inserts a document with its first content (snapshot and version 1). No rights are checked:
 * callers decide (createDocument for people; the meetings domain and seeding for themselves).
 */
export async function insertDocument(tx: DbOrTx, input: NewDocument): Promise<string> {
	const ydoc = docFromJSON(input.content);
	const owner = input.owner;
	const [row] = await tx
		.insert(documents)
		.values({
			title: input.title,
			kind: input.kind,
			ownerKind: owner.kind,
			divisionId: owner.kind === 'division' ? owner.id : null,
			programId: owner.kind === 'program' ? owner.id : null,
			meetingId: owner.kind === 'meeting' ? owner.id : null,
			agendaItemId: owner.kind === 'meeting' ? (owner.agendaItemId ?? null) : null,
			template: input.template && input.template !== 'blank' ? input.template : null,
			createdBy: input.createdBy
		})
		.returning({ id: documents.id });
	await writeInitialSnapshot(tx, row.id, Y.encodeStateAsUpdate(ydoc), textOf(ydoc));
	await insertVersion(tx, { documentId: row.id, kind: 'initial', doc: ydoc, upToSeq: 0, createdBy: input.createdBy });
	ydoc.destroy();
	return row.id;
}

export interface CreateInput {
	title: string;
	kind: DocumentKind;
	owner: { kind: 'division' | 'program'; id: string };
	template: TemplateKey;
}

export type CreateResult = { ok: true; id: string } | { ok: false; reason: 'forbidden' | 'owner_not_found' };

/** A person creates a document where they may edit: one of their divisions, or a program their division leads. */
export async function createDocument(db: Db, principal: Principal, input: CreateInput, actor: AuditActor): Promise<CreateResult> {
	const exists = input.owner.kind === 'division'
		? await db.select({ id: divisions.id }).from(divisions).where(eq(divisions.id, input.owner.id))
		: await db.select({ id: programs.id }).from(programs).where(eq(programs.id, input.owner.id));
	if (exists.length === 0) return { ok: false, reason: 'owner_not_found' };
	const probe: DocumentRef = {
		id: '00000000-0000-0000-0000-000000000000',
		kind: input.kind,
		ownerKind: input.owner.kind,
		divisionId: input.owner.kind === 'division' ? input.owner.id : null,
		programId: input.owner.kind === 'program' ? input.owner.id : null,
		meetingId: null,
		agendaItemId: null,
		lockId: null
	};
	if ((await resolveAccess(db, principal, probe)).access !== 'edit') return { ok: false, reason: 'forbidden' };
	const year = Number(/(20\d\d)\s*年/.exec(input.title)?.[1] ?? new Date().getFullYear());
	const content = templateContent(input.template, input.title, year);
	const id = await db.transaction(async (tx) => {
		const id = await insertDocument(tx, { title: input.title, kind: input.kind, owner: input.owner, content, template: input.template, createdBy: principal.user.id });
		await audit(tx, actor, 'document.created', { type: 'document', id }, { title: input.title, kind: input.kind, owner: input.owner, template: input.template });
		return id;
	});
	return { ok: true, id };
}

export interface DocumentDetails {
	id: string;
	title: string;
	kind: DocumentKind;
	ownerKind: 'division' | 'program' | 'meeting';
	ownerName: string;
	ownerNameEn: string;
	createdAt: Date;
	editedAt: Date;
	createdByName: string | null;
	access: EffectiveAccess;
	lock: { lockedAt: Date; lockedByName: string; sha256: string; versionId: string; auditAnchor: string | null } | null;
}

/** A document's details for someone who may open it, or null (no such document, or hidden from them). */
export async function getDocument(db: DbOrTx, principal: Principal, id: string): Promise<DocumentDetails | null> {
	const allowed = await accessTo(db, principal, id);
	if (!allowed) return null;
	const [d] = await db
		.select({
			id: documents.id,
			title: documents.title,
			kind: documents.kind,
			ownerKind: documents.ownerKind,
			divisionName: divisions.name,
			divisionNameEn: divisions.nameEn,
			programName: programs.name,
			programNameEn: programs.nameEn,
			createdAt: documents.createdAt,
			editedAt: documents.editedAt,
			createdByName: users.name,
			lockId: documents.lockId
		})
		.from(documents)
		.leftJoin(divisions, eq(divisions.id, documents.divisionId))
		.leftJoin(programs, eq(programs.id, documents.programId))
		.leftJoin(users, eq(users.id, documents.createdBy))
		.where(eq(documents.id, id));
	let lock: DocumentDetails['lock'] = null;
	if (d.lockId) {
		const [l] = await db
			.select({ lockedAt: documentLocks.lockedAt, lockedByName: users.name, sha256: documentLocks.contentSha256, versionId: documentLocks.versionId, auditAnchor: documentLocks.auditAnchor })
			.from(documentLocks)
			.innerJoin(users, eq(users.id, documentLocks.lockedBy))
			.where(eq(documentLocks.id, d.lockId));
		lock = l ?? null;
	}
	return {
		id: d.id,
		title: d.title,
		kind: d.kind,
		ownerKind: d.ownerKind,
		ownerName: d.divisionName ?? d.programName ?? '评审会',
		ownerNameEn: d.divisionNameEn ?? d.programNameEn ?? 'Panel meeting',
		createdAt: d.createdAt,
		editedAt: d.editedAt,
		createdByName: d.createdByName,
		access: allowed.access,
		lock
	};
}

/**
 * The document's content now. Everything the collaboration server accepted is in the
 * database before anyone sees it, so the database is current; a loaded copy saves the read.
 */
export async function currentContent(db: DbOrTx, id: string): Promise<{ doc: Y.Doc; json: PMNode }> {
	const live = collabServer()?.stateOf(id);
	let doc: Y.Doc;
	if (live) {
		doc = new Y.Doc();
		Y.applyUpdate(doc, live);
	} else {
		doc = (await readableDoc(db, id)).doc;
	}
	return { doc, json: jsonOf(doc) };
}
