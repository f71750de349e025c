// Locking (finalizing) a document and reopening it. The lock stores the final content, its
// SHA-256, who and when, and writes an audit entry; from then on every channel refuses
// changes, the database included (documents_lock migration). Only an admin reopens, with a
// reason: that is recorded on the lock, audited, and starts a new version.
import { createHash } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { documentLocks, documents } from '$db/schema';
import { rows, type Db } from '../db';
import type { Principal } from '../auth/principal';
import { audit, type AuditActor } from '../audit';
import { anchorNow, recordAnchor } from '../audit/anchors';
import { emit } from '../events';
import { loadDoc } from '../collab/persistence';
import { collabServer } from '../collab';
import { accessTo } from './access';
import { canonicalJSON, jsonOf } from './content';
import { insertVersion } from './versions';

export type LockResult = { ok: true; sha256: string; versionNumber: number } | { ok: false; reason: 'not_found' | 'forbidden' | 'already_locked' };
export type ReopenResult = { ok: true; versionNumber: number } | { ok: false; reason: 'not_found' | 'forbidden' | 'not_locked' };

export function sha256Hex(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex');
}

export async function lockDocument(db: Db, principal: Principal, documentId: string, actor: AuditActor): Promise<LockResult> {
	const allowed = await accessTo(db, principal, documentId);
	if (!allowed) return { ok: false, reason: 'not_found' };
	if (allowed.access.locked) return { ok: false, reason: 'already_locked' };
	if (!allowed.access.canLock) return { ok: false, reason: 'forbidden' };

	const lock = () =>
		db.transaction(async (tx) => {
			// The row lock makes appenders in every process wait, and then see the lock.
			const [row] = await rows<{ lock_id: string | null; update_seq: string | number }>(
				tx,
				sql`SELECT lock_id, update_seq FROM documents WHERE id = ${documentId} FOR UPDATE`
			);
			if (!row) return { ok: false as const, reason: 'not_found' as const };
			if (row.lock_id) return { ok: false as const, reason: 'already_locked' as const };
			const { doc, seq } = await loadDoc(tx, documentId);
			const content = canonicalJSON(jsonOf(doc));
			const sha256 = sha256Hex(content);
			const version = await insertVersion(tx, { documentId, kind: 'lock', name: '定稿', doc, upToSeq: seq, createdBy: principal.user.id });
			doc.destroy();
			const [l] = await tx
				.insert(documentLocks)
				.values({ documentId, versionId: version.id, content, contentSha256: sha256, lockedBy: principal.user.id, auditAnchor: await recordAnchor(tx) })
				.returning({ id: documentLocks.id });
			await tx.update(documents).set({ lockId: l.id }).where(eq(documents.id, documentId));
			await audit(tx, actor, 'document.locked', { type: 'document', id: documentId }, { sha256, version: version.number, seq });
			return { ok: true as const, sha256, versionNumber: version.number };
		});

	const server = collabServer();
	const result = server ? await server.whileLocking(documentId, lock) : await lock();
	if (result.ok) {
		emit('document.locked', { documentId });
		await anchorNow('lock:document');
	}
	return result;
}

export async function reopenDocument(db: Db, principal: Principal, documentId: string, reason: string, actor: AuditActor): Promise<ReopenResult> {
	const allowed = await accessTo(db, principal, documentId);
	if (!allowed) return { ok: false, reason: 'not_found' };
	// Who may reopen is answered before the document's state, which is none of the others' business.
	if (!principal.isAdmin) return { ok: false, reason: 'forbidden' };
	if (!allowed.access.locked) return { ok: false, reason: 'not_locked' };
	const result = await db.transaction(async (tx) => {
		const [row] = await rows<{ lock_id: string | null; update_seq: string | number }>(
			tx,
			sql`SELECT lock_id, update_seq FROM documents WHERE id = ${documentId} FOR UPDATE`
		);
		if (!row?.lock_id) return { ok: false as const, reason: 'not_locked' as const };
		await tx
			.update(documentLocks)
			.set({ reopenedAt: new Date(), reopenedBy: principal.user.id, reopenReason: reason })
			.where(eq(documentLocks.id, row.lock_id));
		await tx.update(documents).set({ lockId: null }).where(eq(documents.id, documentId));
		const { doc, seq } = await loadDoc(tx, documentId);
		const version = await insertVersion(tx, { documentId, kind: 'reopen', name: reason, doc, upToSeq: seq, createdBy: principal.user.id });
		doc.destroy();
		await audit(tx, actor, 'document.reopened', { type: 'document', id: documentId }, { reason, lockId: row.lock_id, version: version.number });
		return { ok: true as const, versionNumber: version.number };
	});
	if (result.ok) emit('document.reopened', { documentId });
	return result;
}
