// Uploads kept between an import's preview and its confirmation. The preview stores the text
// it checked and returns only an id; confirming names the id, so the client never sends the
// data again and cannot send more than the preview's caps let through.
import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import { importUploads } from '$db/schema';
import type { DbOrTx } from '../db';

export type ImportKind = 'experts' | 'applications';

/** Long enough to read a preview and fix nothing; a stale one is uploaded again. */
export const STAGED_IMPORT_MS = 30 * 60_000;

export async function stageUpload(db: DbOrTx, userId: string, kind: ImportKind, callId: string | null, text: string, now = new Date()): Promise<string> {
	// One pending upload per person and kind; expired ones of anyone go too.
	await db.delete(importUploads).where(lt(importUploads.expiresAt, now));
	await db.delete(importUploads).where(and(eq(importUploads.userId, userId), eq(importUploads.kind, kind)));
	const [row] = await db
		.insert(importUploads)
		.values({ userId, kind, callId, text, createdAt: now, expiresAt: new Date(now.getTime() + STAGED_IMPORT_MS) })
		.returning({ id: importUploads.id });
	return row.id;
}

/** The staged text, if `id` is this user's unexpired upload of this kind (and call). */
export async function stagedUpload(db: DbOrTx, userId: string, kind: ImportKind, callId: string | null, id: unknown, now = new Date()): Promise<string | null> {
	if (typeof id !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
	const [row] = await db
		.select({ text: importUploads.text })
		.from(importUploads)
		.where(
			and(
				eq(importUploads.id, id),
				eq(importUploads.userId, userId),
				eq(importUploads.kind, kind),
				callId ? eq(importUploads.callId, callId) : isNull(importUploads.callId),
				gt(importUploads.expiresAt, now)
			)
		);
	return row?.text ?? null;
}

export async function dropUpload(db: DbOrTx, id: string): Promise<void> {
	await db.delete(importUploads).where(eq(importUploads.id, id));
}
