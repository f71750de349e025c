// Downloads of a document: the current content, a version, or (when locked) exactly the final
// content that was hashed, with the lock's SHA-256 in the footer.
import { eq } from 'drizzle-orm';
import { documentLocks, documents, users } from '$db/schema';
import type { DbOrTx } from '../db';
import type { Principal } from '../auth/principal';
import { accessTo } from './access';
import { currentContent } from './index';
import { getVersion } from './versions';
import { storedContent } from './shape';
import { toDocx, toMarkdown } from './export';
import type { PMNode } from '$lib/editor/extensions';
import { formatDateTime } from '$lib/labels';

export type ExportResult =
	| { ok: true; body: Buffer; contentType: string; fileName: string; asciiName: string }
	| { ok: false; reason: 'not_found' };

/** The content to export and a line saying what it is (version, lock). */
export async function exportContent(
	db: DbOrTx,
	principal: Principal,
	documentId: string,
	versionId?: string
): Promise<{ ok: true; title: string; content: PMNode; footer?: string; versionNumber?: number } | { ok: false; reason: 'not_found' }> {
	const allowed = await accessTo(db, principal, documentId);
	if (!allowed) return { ok: false, reason: 'not_found' };
	const [doc] = await db.select({ title: documents.title, lockId: documents.lockId }).from(documents).where(eq(documents.id, documentId));
	if (versionId) {
		const v = await getVersion(db, documentId, versionId);
		if (!v) return { ok: false, reason: 'not_found' };
		return { ok: true, title: doc.title, content: storedContent(v.content), versionNumber: v.number };
	}
	if (doc.lockId) {
		const [lock] = await db
			.select({ content: documentLocks.content, sha256: documentLocks.contentSha256, lockedAt: documentLocks.lockedAt, by: users.name })
			.from(documentLocks)
			.innerJoin(users, eq(users.id, documentLocks.lockedBy))
			.where(eq(documentLocks.id, doc.lockId));
		return {
			ok: true,
			title: doc.title,
			content: storedContent(lock.content),
			footer: `定稿 Locked: ${lock.by} ${formatDateTime(lock.lockedAt, 'zh-CN')} · SHA-256 ${lock.sha256}`
		};
	}
	const { json, doc: ydoc } = await currentContent(db, documentId);
	ydoc.destroy();
	return { ok: true, title: doc.title, content: json };
}

function fileNames(title: string, suffix: string, ext: string) {
	// eslint-disable-next-line no-control-regex -- control characters have no place in a file name
	const base = (title.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').trim() || 'document').slice(0, 120) + suffix;
	return { fileName: `${base}.${ext}`, asciiName: `document${suffix}.${ext}` };
}

export async function exportDocument(
	db: DbOrTx,
	principal: Principal,
	documentId: string,
	options: { format: 'md' | 'docx'; version?: string }
): Promise<ExportResult> {
	const found = await exportContent(db, principal, documentId, options.version);
	if (!found.ok) return found;
	const suffix = found.versionNumber ? `-v${found.versionNumber}` : '';
	if (options.format === 'md') {
		const md = toMarkdown(found.content) + (found.footer ? `\n---\n\n${found.footer}\n` : '');
		return { ok: true, body: Buffer.from(md, 'utf8'), contentType: 'text/markdown; charset=utf-8', ...fileNames(found.title, suffix, 'md') };
	}
	const body = await toDocx(found.content, { title: found.title, footer: found.footer });
	return {
		ok: true,
		body,
		contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
		...fileNames(found.title, suffix, 'docx')
	};
}
