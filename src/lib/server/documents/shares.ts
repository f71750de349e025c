// Sharing a division or program document with particular people (an expert asked to comment
// on a guideline draft, a colleague from another division to read a plan). Whoever manages
// the document (its division's members, an admin) decides; a change reaches open connections
// at once.
import { and, asc, eq, ilike, or, sql } from 'drizzle-orm';
import { documentShares, users } from '$db/schema';
import type { Db, DbOrTx } from '../db';
import type { Principal } from '../auth/principal';
import { audit, type AuditActor } from '../audit';
import { emit } from '../events';
import { accessTo } from './access';
import { tellDocumentShared } from '../notifications/tell';

export type ShareAccess = 'view' | 'comment' | 'edit';

export interface ShareView {
	userId: string;
	name: string;
	username: string;
	access: ShareAccess;
}

export async function listShares(db: DbOrTx, documentId: string): Promise<ShareView[]> {
	return db
		.select({ userId: users.id, name: users.name, username: users.username, access: documentShares.access })
		.from(documentShares)
		.innerJoin(users, eq(users.id, documentShares.userId))
		.where(eq(documentShares.documentId, documentId))
		.orderBy(asc(users.name));
}

export type ShareResult = { ok: true } | { ok: false; reason: 'not_found' | 'forbidden' | 'no_user' | 'meeting' };

/** Grants, changes or (with 'none') removes a person's share. */
export async function setShare(
	db: Db,
	principal: Principal,
	documentId: string,
	userId: string,
	access: ShareAccess | 'none',
	actor: AuditActor
): Promise<ShareResult> {
	const allowed = await accessTo(db, principal, documentId);
	if (!allowed) return { ok: false, reason: 'not_found' };
	if (allowed.document.ownerKind === 'meeting') return { ok: false, reason: 'meeting' };
	if (!allowed.access.canManage) return { ok: false, reason: 'forbidden' };
	const [user] = await db.select({ id: users.id }).from(users).where(and(eq(users.id, userId), eq(users.active, true)));
	if (!user) return { ok: false, reason: 'no_user' };
	await db.transaction(async (tx) => {
		if (access === 'none') {
			await tx.delete(documentShares).where(and(eq(documentShares.documentId, documentId), eq(documentShares.userId, userId)));
		} else {
			await tx
				.insert(documentShares)
				.values({ documentId, userId, access, grantedBy: principal.user.id })
				.onConflictDoUpdate({ target: [documentShares.documentId, documentShares.userId], set: { access, grantedBy: principal.user.id } });
		}
		await audit(tx, actor, 'document.shared', { type: 'document', id: documentId }, { userId, access });
		if (access !== 'none') await tellDocumentShared(tx, documentId, userId, access, principal.user);
	});
	emit('document.access.changed', { documentId });
	return { ok: true };
}

/** People a document can be shared with, by name or account (staff and experts, not applicants). */
export async function shareCandidates(db: DbOrTx, q: string, limit = 20) {
	const pattern = `%${q.replace(/[%_\\]/g, (c) => '\\' + c)}%`;
	return db
		.select({ id: users.id, name: users.name, username: users.username })
		.from(users)
		.where(
			and(
				eq(users.active, true),
				q ? or(ilike(users.name, pattern), ilike(users.username, pattern)) : undefined,
				sql`(EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = ${users.id}) OR EXISTS (SELECT 1 FROM experts e WHERE e.user_id = ${users.id} AND e.active))`
			)
		)
		.orderBy(asc(users.name))
		.limit(limit);
}
