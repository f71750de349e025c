// Server-side additions at the end of a document (a meeting's minutes get an addendum when a
// decision is reopened after the meeting closed). Through the collaboration server when one
// runs, so people editing the document at that moment receive the addition live and lose
// nothing; straight to the stored updates otherwise. A locked document is never changed.
import type { Db } from '../db';
import type { PMNode } from '$lib/editor/extensions';
import { appendUpdate, readableDoc } from '../collab/persistence';
import { collabServer } from '../collab';
import * as Y from 'yjs';
import { getDocumentRef } from './access';
import { jsonOf, replaceContent } from './content';

export type AppendResult = { ok: true } | { ok: false; code: 'not_found' | 'locked' };

function withBlocks(doc: Y.Doc, blocks: PMNode[]): void {
	const json = jsonOf(doc);
	// replaceContent keeps every existing block as the same Yjs item: only the end changes.
	replaceContent(doc, { ...json, content: [...(json.content ?? []), ...blocks] });
}

export async function appendBlocks(db: Db, documentId: string, blocks: PMNode[]): Promise<AppendResult> {
	const ref = await getDocumentRef(db, documentId);
	if (!ref) return { ok: false, code: 'not_found' };
	if (ref.lockId) return { ok: false, code: 'locked' };
	const server = collabServer();
	if (server) await server.edit(documentId, (doc) => withBlocks(doc, blocks));
	else {
		const { doc } = await readableDoc(db, documentId);
		const before = Y.encodeStateVector(doc);
		withBlocks(doc, blocks);
		await appendUpdate(db, documentId, Y.encodeStateAsUpdate(doc, before));
		doc.destroy();
	}
	return { ok: true };
}
