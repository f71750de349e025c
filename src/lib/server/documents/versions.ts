// Versions of a document: named ones saved by hand, automatic ones while people edit, and
// those made by a lock, a reopen or a restore. Each keeps the full Yjs state and its
// ProseMirror JSON; versions are never changed (trigger). Restoring one makes a new change
// that everyone sees live; history is never rewritten.
import * as Y from 'yjs';
import { and, desc, eq, sql } from 'drizzle-orm';
import { documentVersions, users } from '$db/schema';
import { rows, type Db, type DbOrTx } from '../db';
import type { Principal } from '../auth/principal';
import { audit, type AuditActor } from '../audit';
import { emit } from '../events';
import { appendUpdate, encodeFullState, readableDoc } from '../collab/persistence';
import { collabServer } from '../collab';
import { accessTo } from './access';
import { jsonOf, replaceContent } from './content';
import { storedContent } from './shape';

export type VersionKind = 'initial' | 'manual' | 'auto' | 'restore' | 'lock' | 'reopen';

export interface NewVersion {
	documentId: string;
	kind: VersionKind;
	name?: string | null;
	doc: Y.Doc;
	upToSeq: number;
	createdBy?: string | null;
}

const VERSION_LOCK = 72610004;

/** Saves a version of the given content; returns its id and number. */
export async function insertVersion(tx: DbOrTx, v: NewVersion): Promise<{ id: string; number: number }> {
	// Numbers are per document; concurrent savers take turns.
	await tx.execute(sql`SELECT pg_advisory_xact_lock(${VERSION_LOCK}, hashtext(${v.documentId}))`);
	const [{ next }] = await rows<{ next: number }>(
		tx,
		sql`SELECT coalesce(max(number), 0) + 1 AS next FROM document_versions WHERE document_id = ${v.documentId}`
	);
	const [row] = await tx
		.insert(documentVersions)
		.values({
			documentId: v.documentId,
			number: Number(next),
			kind: v.kind,
			name: v.name ?? null,
			state: encodeFullState(v.doc),
			content: JSON.stringify(jsonOf(v.doc)),
			upToSeq: v.upToSeq,
			createdBy: v.createdBy ?? null
		})
		.returning({ id: documentVersions.id, number: documentVersions.number });
	return row;
}

/** Minimum time between two automatic versions of a document. */
export const AUTO_VERSION_MIN_MS = 10 * 60_000;

/**
 * The collaboration server's hook: an automatic version when the content changed since the
 * last version and the last automatic one is old enough.
 */
export async function autoVersion(db: Db, documentId: string, doc: Y.Doc, seq: number, minMs = AUTO_VERSION_MIN_MS): Promise<boolean> {
	return db.transaction(async (tx) => {
		const [last] = await rows<{ up_to_seq: string | number; created_at: Date | string; kind: VersionKind }>(
			tx,
			sql`SELECT up_to_seq, created_at, kind FROM document_versions WHERE document_id = ${documentId} ORDER BY number DESC LIMIT 1`
		);
		if (last && Number(last.up_to_seq) >= seq) return false;
		if (last && last.kind === 'auto' && Date.now() - new Date(last.created_at).getTime() < minMs) return false;
		const [doc_] = await rows<{ locked: boolean }>(tx, sql`SELECT lock_id IS NOT NULL AS locked FROM documents WHERE id = ${documentId}`);
		if (!doc_ || doc_.locked) return false;
		await insertVersion(tx, { documentId, kind: 'auto', doc, upToSeq: seq });
		return true;
	});
}

export interface VersionSummary {
	id: string;
	number: number;
	kind: VersionKind;
	name: string | null;
	createdAt: Date;
	createdBy: string | null;
	createdByName: string | null;
}

export async function listVersions(db: DbOrTx, documentId: string): Promise<VersionSummary[]> {
	return db
		.select({
			id: documentVersions.id,
			number: documentVersions.number,
			kind: documentVersions.kind,
			name: documentVersions.name,
			createdAt: documentVersions.createdAt,
			createdBy: documentVersions.createdBy,
			createdByName: users.name
		})
		.from(documentVersions)
		.leftJoin(users, eq(users.id, documentVersions.createdBy))
		.where(eq(documentVersions.documentId, documentId))
		.orderBy(desc(documentVersions.number));
}

export async function getVersion(db: DbOrTx, documentId: string, versionId: string) {
	const [row] = await db
		.select({
			id: documentVersions.id,
			number: documentVersions.number,
			kind: documentVersions.kind,
			name: documentVersions.name,
			content: documentVersions.content,
			state: documentVersions.state,
			upToSeq: documentVersions.upToSeq,
			createdAt: documentVersions.createdAt,
			createdByName: users.name
		})
		.from(documentVersions)
		.leftJoin(users, eq(users.id, documentVersions.createdBy))
		.where(and(eq(documentVersions.documentId, documentId), eq(documentVersions.id, versionId)));
	return row ?? null;
}


export type VersionResult<T = object> = ({ ok: true } & T) | { ok: false; reason: 'not_found' | 'forbidden' | 'locked' };

/** Saves the current content as a named version. */
export async function saveVersion(db: Db, principal: Principal, documentId: string, name: string): Promise<VersionResult<{ number: number }>> {
	const allowed = await accessTo(db, principal, documentId);
	if (!allowed) return { ok: false, reason: 'not_found' };
	if (allowed.access.locked) return { ok: false, reason: 'locked' };
	if (allowed.access.access !== 'edit') return { ok: false, reason: 'forbidden' };
	const version = await db.transaction(async (tx) => {
		const { doc, seq } = await readableDoc(tx, documentId);
		const v = await insertVersion(tx, { documentId, kind: 'manual', name, doc, upToSeq: seq, createdBy: principal.user.id });
		doc.destroy();
		return v;
	});
	emit('document.changed', { documentId, what: 'versions' });
	return { ok: true, number: version.number };
}

/**
 * Makes the document's content that of an old version, as a new change: everyone connected
 * sees it happen, the history before it stays, and a version records the restore.
 */
export async function restoreVersion(db: Db, principal: Principal, documentId: string, versionId: string, actor: AuditActor): Promise<VersionResult<{ number: number }>> {
	const allowed = await accessTo(db, principal, documentId);
	if (!allowed) return { ok: false, reason: 'not_found' };
	if (allowed.access.locked) return { ok: false, reason: 'locked' };
	if (allowed.access.access !== 'edit') return { ok: false, reason: 'forbidden' };
	const old = await getVersion(db, documentId, versionId);
	if (!old) return { ok: false, reason: 'not_found' };
	// Read leniently: a version saved from a broken state still restores what it can.
	const content = storedContent(old.content);
	const server = collabServer();
	if (server) {
		await server.edit(documentId, (doc) => replaceContent(doc, content));
	} else {
		const { doc } = await readableDoc(db, documentId);
		const before = Y.encodeStateVector(doc);
		replaceContent(doc, content);
		await appendUpdate(db, documentId, Y.encodeStateAsUpdate(doc, before));
		doc.destroy();
	}
	const version = await db.transaction(async (tx) => {
		const { doc, seq } = await readableDoc(tx, documentId);
		const v = await insertVersion(tx, { documentId, kind: 'restore', name: String(old.number), doc, upToSeq: seq, createdBy: principal.user.id });
		doc.destroy();
		await audit(tx, actor, 'document.restored', { type: 'document', id: documentId }, { from: old.number, version: v.number });
		return v;
	});
	emit('document.changed', { documentId, what: 'versions' });
	return { ok: true, number: version.number };
}
