// Comments on a document's text, kept in the database rather than in the text's Yjs document,
// so the server can enforce the comment right: people who may comment but not edit can add
// and reply here while the text refuses their updates. A thread's first comment anchors to a
// range by two Yjs relative positions, which follow the text through everyone's edits.
import * as Y from 'yjs';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { documentComments, users } from '$db/schema';
import type { Db, DbOrTx } from '../db';
import type { Principal } from '../auth/principal';
import { emit } from '../events';
import { accessTo, atLeast } from './access';
import { tellDocumentCommented } from '../notifications/tell';

export interface CommentView {
	id: string;
	body: string;
	author: { id: string; name: string; color: string };
	createdAt: string;
}

export interface ThreadView extends CommentView {
	/** Base64 of the encoded Y.RelativePosition at the start and end of the range. */
	anchorStart: string | null;
	anchorEnd: string | null;
	quote: string;
	resolvedAt: string | null;
	resolvedBy: string | null;
	replies: CommentView[];
}

export type CommentResult<T = { id: string }> = ({ ok: true } & T) | { ok: false; reason: 'not_found' | 'forbidden' | 'locked' | 'bad_anchor' };

const MAX_ANCHOR_BYTES = 512;

function decodeAnchor(value: string): Uint8Array | null {
	if (value.length > MAX_ANCHOR_BYTES * 2 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return null;
	try {
		const bytes = new Uint8Array(Buffer.from(value, 'base64'));
		if (bytes.length === 0 || bytes.length > MAX_ANCHOR_BYTES) return null;
		// Exactly one relative position, nothing more: it must encode back to the same bytes.
		const again = Y.encodeRelativePosition(Y.decodeRelativePosition(bytes));
		return Buffer.compare(Buffer.from(again), Buffer.from(bytes)) === 0 ? bytes : null;
	} catch {
		return null;
	}
}

const base64 = (b: Uint8Array | null) => (b ? Buffer.from(b).toString('base64') : null);

/** Every thread of a document, oldest first, replies in order. */
export async function listThreads(db: DbOrTx, documentId: string): Promise<ThreadView[]> {
	const resolver = alias(users, 'resolver');
	const all = await db
		.select({
			c: documentComments,
			authorName: users.name,
			authorColor: users.color,
			resolverName: resolver.name
		})
		.from(documentComments)
		.innerJoin(users, eq(users.id, documentComments.authorId))
		.leftJoin(resolver, eq(resolver.id, documentComments.resolvedBy))
		.where(eq(documentComments.documentId, documentId))
		.orderBy(asc(documentComments.createdAt));
	const threads = new Map<string, ThreadView>();
	for (const r of all) {
		const base: CommentView = {
			id: r.c.id,
			body: r.c.body,
			author: { id: r.c.authorId, name: r.authorName, color: r.authorColor },
			createdAt: r.c.createdAt.toISOString()
		};
		if (!r.c.parentId) {
			threads.set(r.c.id, {
				...base,
				anchorStart: base64(r.c.anchorStart),
				anchorEnd: base64(r.c.anchorEnd),
				quote: r.c.quote,
				resolvedAt: r.c.resolvedAt?.toISOString() ?? null,
				resolvedBy: r.resolverName,
				replies: []
			});
		}
	}
	for (const r of all) {
		if (r.c.parentId) threads.get(r.c.parentId)?.replies.push({ id: r.c.id, body: r.c.body, author: { id: r.c.authorId, name: r.authorName, color: r.authorColor }, createdAt: r.c.createdAt.toISOString() });
	}
	return [...threads.values()];
}

async function mayComment(db: DbOrTx, principal: Principal, documentId: string): Promise<CommentResult<object>> {
	const allowed = await accessTo(db, principal, documentId);
	if (!allowed) return { ok: false, reason: 'not_found' };
	if (allowed.access.locked) return { ok: false, reason: 'locked' };
	if (!atLeast(allowed.access.access, 'comment')) return { ok: false, reason: 'forbidden' };
	return { ok: true };
}

export async function startThread(
	db: Db,
	principal: Principal,
	documentId: string,
	input: { anchorStart: string; anchorEnd: string; quote: string; body: string }
): Promise<CommentResult> {
	const allowed = await mayComment(db, principal, documentId);
	if (!allowed.ok) return allowed;
	const start = decodeAnchor(input.anchorStart);
	const end = decodeAnchor(input.anchorEnd);
	if (!start || !end) return { ok: false, reason: 'bad_anchor' };
	const row = await db.transaction(async (tx) => {
		const [made] = await tx
			.insert(documentComments)
			.values({ documentId, anchorStart: start, anchorEnd: end, quote: input.quote, body: input.body, authorId: principal.user.id })
			.returning({ id: documentComments.id });
		await tellDocumentCommented(tx, documentId, null, input.body, principal.user);
		return made;
	});
	emit('document.changed', { documentId, what: 'comments' });
	return { ok: true, id: row.id };
}

export async function reply(db: Db, principal: Principal, documentId: string, threadId: string, body: string): Promise<CommentResult> {
	const allowed = await mayComment(db, principal, documentId);
	if (!allowed.ok) return allowed;
	const [thread] = await db
		.select({ id: documentComments.id })
		.from(documentComments)
		.where(and(eq(documentComments.id, threadId), eq(documentComments.documentId, documentId), isNull(documentComments.parentId)));
	if (!thread) return { ok: false, reason: 'not_found' };
	const row = await db.transaction(async (tx) => {
		const [made] = await tx.insert(documentComments).values({ documentId, parentId: threadId, body, authorId: principal.user.id }).returning({ id: documentComments.id });
		await tellDocumentCommented(tx, documentId, threadId, body, principal.user);
		return made;
	});
	emit('document.changed', { documentId, what: 'comments' });
	return { ok: true, id: row.id };
}

/** Resolves or reopens a thread; anyone who may comment may do either. */
export async function setResolved(db: Db, principal: Principal, documentId: string, threadId: string, resolved: boolean): Promise<CommentResult> {
	const allowed = await mayComment(db, principal, documentId);
	if (!allowed.ok) return allowed;
	const updated = await db
		.update(documentComments)
		.set(resolved ? { resolvedAt: new Date(), resolvedBy: principal.user.id } : { resolvedAt: null, resolvedBy: null })
		.where(and(eq(documentComments.id, threadId), eq(documentComments.documentId, documentId), isNull(documentComments.parentId)))
		.returning({ id: documentComments.id });
	if (updated.length === 0) return { ok: false, reason: 'not_found' };
	emit('document.changed', { documentId, what: 'comments' });
	return { ok: true, id: threadId };
}
