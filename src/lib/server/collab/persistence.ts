// Where document content lives: every accepted Yjs update is appended to document_updates
// under a per-document sequence number, and compaction folds the oldest of them into
// document_snapshots. A document is its snapshot plus the updates after it.
//
// Appends are group-committed: updates arriving while a transaction is in flight wait for the
// next one, and each document gets one row per transaction (its updates merged). The sequence
// number is taken under the document row's lock, so numbers commit in order; compaction reads
// only committed rows and takes a per-document advisory lock, so two processes never compact
// the same document at once and appenders never wait for a compactor.
import * as Y from 'yjs';
import { sql } from 'drizzle-orm';
import { documentUpdates, toBytes } from '$db/schema';
import { rows, type Db, type DbOrTx } from '../db';

/** The stored parts of a document, in order: apply the snapshot, then the updates. */
export interface StoredDocument {
	snapshot: Uint8Array | null;
	snapshotSeq: number;
	updates: { seq: number; data: Uint8Array }[];
	/** The highest sequence number included. */
	seq: number;
	/** Bytes in the tail (updates after the snapshot). */
	tailBytes: number;
}

export class DocumentNotFoundError extends Error {
	constructor(readonly documentId: string) {
		super(`document ${documentId} not found`);
	}
}

export class DocumentLockedError extends Error {
	constructor(readonly documentId: string) {
		super(`document ${documentId} is locked`);
	}
}

/**
 * Reads a document's snapshot and the updates after it in one statement, so a compaction
 * committing in between cannot make the two disagree.
 */
export async function readStored(db: DbOrTx, documentId: string): Promise<StoredDocument> {
	const found = await rows<{ part: number; seq: string | number; data: unknown }>(
		db,
		sql`SELECT * FROM (
			SELECT 0 AS part, up_to_seq AS seq, state AS data FROM document_snapshots WHERE document_id = ${documentId}
			UNION ALL
			SELECT 1 AS part, seq, data FROM document_updates
			WHERE document_id = ${documentId}
				AND seq > coalesce((SELECT up_to_seq FROM document_snapshots WHERE document_id = ${documentId}), 0)
		) p ORDER BY part, seq`
	);
	const stored: StoredDocument = { snapshot: null, snapshotSeq: 0, updates: [], seq: 0, tailBytes: 0 };
	for (const row of found) {
		const seq = Number(row.seq);
		const data = toBytes(row.data);
		if (row.part === 0) {
			stored.snapshot = data;
			stored.snapshotSeq = seq;
		} else {
			stored.updates.push({ seq, data });
			stored.tailBytes += data.byteLength;
		}
		stored.seq = Math.max(stored.seq, seq);
	}
	return stored;
}

/** Applies stored parts to a document in one transaction (one update event, one observer pass). */
export function applyStored(doc: Y.Doc, stored: StoredDocument, origin: unknown = null): void {
	doc.transact(() => {
		if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
		for (const u of stored.updates) Y.applyUpdate(doc, u.data);
	}, origin);
}

/** The document's content as a fresh Y.Doc (garbage-collected), straight from the database. */
export async function loadDoc(db: DbOrTx, documentId: string): Promise<{ doc: Y.Doc; seq: number }> {
	const stored = await readStored(db, documentId);
	const doc = new Y.Doc();
	applyStored(doc, stored);
	return { doc, seq: stored.seq };
}

/**
 * Merging is superlinear in the number of updates (1,000 small ones take ~30 ms, 100,000 take
 * minutes), so a burst is stored as several rows of at most this many updates each.
 */
const MERGE_LIMIT = 64;

/**
 * Appends updates to several documents in one transaction: a row per document (per
 * MERGE_LIMIT updates), its updates merged. Returns the highest sequence number each document
 * got; a document that is locked or gone is absent from the result (its updates are refused).
 */
export async function appendUpdates(tx: DbOrTx, batch: Map<string, Uint8Array[]>): Promise<Map<string, number>> {
	const ids = [...batch.keys()].sort();
	const result = new Map<string, number>();
	if (ids.length === 0) return result;
	const chunks = new Map<string, Uint8Array[]>();
	for (const id of ids) {
		const updates = batch.get(id)!;
		const merged: Uint8Array[] = [];
		for (let i = 0; i < updates.length; i += MERGE_LIMIT) {
			const part = updates.slice(i, i + MERGE_LIMIT);
			merged.push(part.length === 1 ? part[0] : Y.mergeUpdates(part));
		}
		chunks.set(id, merged);
	}
	// Rows are locked in id order so that two processes appending to overlapping sets of
	// documents cannot deadlock; a locked document is skipped (and re-checked after the wait).
	const counts = sql.join(
		ids.map((id) => sql`(${id}::uuid, ${chunks.get(id)!.length}::int)`),
		sql`, `
	);
	const bumped = await rows<{ id: string; update_seq: string | number }>(
		tx,
		sql`UPDATE documents d SET update_seq = d.update_seq + x.n, edited_at = now()
			FROM (SELECT id FROM documents WHERE id IN ${ids} AND lock_id IS NULL ORDER BY id FOR UPDATE) l,
				(VALUES ${counts}) AS x(id, n)
			WHERE d.id = l.id AND x.id = l.id RETURNING d.id, d.update_seq`
	);
	if (bumped.length === 0) return result;
	const values: { documentId: string; seq: number; data: Uint8Array }[] = [];
	for (const b of bumped) {
		const last = Number(b.update_seq);
		const merged = chunks.get(b.id)!;
		merged.forEach((data, i) => values.push({ documentId: b.id, seq: last - merged.length + 1 + i, data }));
		result.set(b.id, last);
	}
	await tx.insert(documentUpdates).values(values);
	return result;
}

/** Appends one update to one document (server-side edits outside the collaboration server). */
export async function appendUpdate(db: Db, documentId: string, update: Uint8Array): Promise<number> {
	const seqs = await db.transaction((tx) => appendUpdates(tx, new Map([[documentId, [update]]])));
	const seq = seqs.get(documentId);
	if (seq === undefined) {
		const [doc] = await rows<{ locked: boolean }>(db, sql`SELECT lock_id IS NOT NULL AS locked FROM documents WHERE id = ${documentId}`);
		throw doc ? new DocumentLockedError(documentId) : new DocumentNotFoundError(documentId);
	}
	return seq;
}

interface Waiter {
	updates: Uint8Array[];
	resolve(seq: number): void;
	reject(err: unknown): void;
}

export interface UpdateStoreOptions {
	/** Extra time to gather a batch before writing; 0 writes as soon as the previous write ends. */
	batchDelayMs?: number;
}

/**
 * Group commit for the collaboration server: `append` resolves, with the row's sequence
 * number, once the update is committed. All documents' updates pending at a moment go into
 * one transaction; a document's updates in that transaction share one row.
 */
export class UpdateStore {
	private pending = new Map<string, Waiter[]>();
	private writing: Promise<void> | null = null;
	private scheduled = false;
	private closed = false;

	constructor(
		private readonly db: () => Db,
		private readonly options: UpdateStoreOptions = {}
	) {}

	append(documentId: string, update: Uint8Array): Promise<number> {
		if (this.closed) return Promise.reject(new Error('update store closed'));
		return new Promise<number>((resolve, reject) => {
			let list = this.pending.get(documentId);
			if (!list) this.pending.set(documentId, (list = []));
			list.push({ updates: [update], resolve, reject });
			this.schedule();
		});
	}

	/** Resolves when everything appended so far is written (or has failed). */
	async flush(): Promise<void> {
		while (this.writing || this.pending.size > 0 || this.scheduled) {
			if (this.writing) await this.writing;
			else if (this.pending.size > 0) await this.write();
			else await new Promise((r) => setImmediate(r));
		}
	}

	/** Writes what is pending and refuses further appends. */
	async close(): Promise<void> {
		await this.flush();
		this.closed = true;
	}

	private schedule(): void {
		if (this.scheduled || this.writing) return;
		this.scheduled = true;
		const run = () => {
			this.scheduled = false;
			void this.write();
		};
		if (this.options.batchDelayMs) setTimeout(run, this.options.batchDelayMs);
		else setImmediate(run);
	}

	private write(): Promise<void> {
		if (this.writing) return this.writing;
		const batch = this.pending;
		this.pending = new Map();
		if (batch.size === 0) return Promise.resolve();
		this.writing = (async () => {
			const updates = new Map<string, Uint8Array[]>();
			for (const [id, waiters] of batch) updates.set(id, waiters.flatMap((w) => w.updates));
			try {
				const seqs = await this.db().transaction((tx) => appendUpdates(tx, updates));
				for (const [id, waiters] of batch) {
					const seq = seqs.get(id);
					for (const w of waiters) {
						if (seq === undefined) w.reject(new DocumentLockedError(id));
						else w.resolve(seq);
					}
				}
			} catch (err) {
				for (const waiters of batch.values()) for (const w of waiters) w.reject(err);
			}
		})().finally(() => {
			this.writing = null;
			if (this.pending.size > 0) this.schedule();
		});
		return this.writing;
	}
}

export interface CompactResult {
	/** False when another process held the document's compaction lock, or it is locked. */
	compacted: boolean;
	/** The snapshot now covers updates up to here. */
	seq: number;
	/** Rows folded into the snapshot. */
	merged: number;
	bytes: number;
}

export interface CompactOptions {
	/**
	 * The full state at a given sequence number, when the caller has it in memory (the room
	 * that has applied every update up to there): saves rebuilding it from the rows.
	 */
	stateAt?: (seq: number) => Uint8Array | null;
	/** Plain text of the content, stored with the snapshot for search. */
	textOf?: (doc: Y.Doc) => string;
}

const COMPACTION_LOCK_SPACE = 72610003;

/**
 * Folds the tail of updates into the snapshot. Holds a transaction-scoped advisory lock on
 * the document (a second compactor skips); inserts of newer updates go on meanwhile, and
 * only rows up to the highest committed sequence number it read are removed.
 */
export async function compactDocument(db: Db, documentId: string, options: CompactOptions = {}): Promise<CompactResult> {
	return db.transaction(async (tx) => {
		const [lock] = await rows<{ got: boolean; locked: boolean | null }>(
			tx,
			sql`SELECT pg_try_advisory_xact_lock(${COMPACTION_LOCK_SPACE}, hashtext(${documentId})) AS got,
				(SELECT lock_id IS NOT NULL FROM documents WHERE id = ${documentId}) AS locked`
		);
		if (lock.locked === null) throw new DocumentNotFoundError(documentId);
		if (!lock.got || lock.locked) return { compacted: false, seq: 0, merged: 0, bytes: 0 };
		const stored = await readStored(tx, documentId);
		if (stored.updates.length === 0) return { compacted: false, seq: stored.seq, merged: 0, bytes: stored.snapshot?.byteLength ?? 0 };
		let state = options.stateAt?.(stored.seq) ?? null;
		let text: string | undefined;
		if (!state || options.textOf) {
			const doc = new Y.Doc();
			if (state) Y.applyUpdate(doc, state);
			else applyStored(doc, stored);
			state ??= Y.encodeStateAsUpdate(doc);
			text = options.textOf?.(doc);
			doc.destroy();
		}
		const blob = Buffer.from(state.buffer, state.byteOffset, state.byteLength);
		await tx.execute(
			sql`INSERT INTO document_snapshots (document_id, up_to_seq, state, text, updated_at)
				VALUES (${documentId}, ${stored.seq}, ${blob}, ${text ?? ''}, now())
				ON CONFLICT (document_id) DO UPDATE SET up_to_seq = EXCLUDED.up_to_seq, state = EXCLUDED.state,
					text = CASE WHEN ${text === undefined} THEN document_snapshots.text ELSE EXCLUDED.text END, updated_at = now()`
		);
		await tx.execute(sql`DELETE FROM document_updates WHERE document_id = ${documentId} AND seq <= ${stored.seq}`);
		return { compacted: true, seq: stored.seq, merged: stored.updates.length, bytes: state.byteLength };
	});
}

/** Writes a document's first content as its snapshot (creation, seeding). */
export async function writeInitialSnapshot(tx: DbOrTx, documentId: string, state: Uint8Array, text: string): Promise<void> {
	const blob = Buffer.from(state.buffer, state.byteOffset, state.byteLength);
	await tx.execute(
		sql`INSERT INTO document_snapshots (document_id, up_to_seq, state, text) VALUES (${documentId}, 0, ${blob}, ${text})`
	);
}
