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
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db, type DbOrTx } from '../db';
import { logger } from '../log';

export interface StoredRow {
	seq: number;
	data: Uint8Array;
}

/** The stored parts of a document, in order: apply the snapshot, then the updates. */
export interface StoredDocument {
	snapshot: Uint8Array | null;
	snapshotSeq: number;
	updates: StoredRow[];
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
 * committing in between cannot make the two disagree. Binary comes back as base64: PGlite
 * parses bytea's hex text form in JavaScript (a 600 kB snapshot: ~50 ms), base64 decodes
 * natively (~3 ms), and it is smaller on the wire for postgres.js too.
 */
export async function readStored(db: DbOrTx, documentId: string): Promise<StoredDocument> {
	const found = await rows<{ part: number; seq: string | number; data: string }>(
		db,
		sql`SELECT * FROM (
			SELECT 0 AS part, up_to_seq AS seq, encode(state, 'base64') AS data FROM document_snapshots WHERE document_id = ${documentId}
			UNION ALL
			SELECT 1 AS part, seq, encode(data, 'base64') AS data FROM document_updates
			WHERE document_id = ${documentId}
				AND seq > coalesce((SELECT up_to_seq FROM document_snapshots WHERE document_id = ${documentId}), 0)
		) p ORDER BY part, seq`
	);
	const stored: StoredDocument = { snapshot: null, snapshotSeq: 0, updates: [], seq: 0, tailBytes: 0 };
	for (const row of found) {
		const seq = Number(row.seq);
		const data = fromBase64(row.data);
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

function fromBase64(value: string): Uint8Array {
	const buf = Buffer.from(value, 'base64');
	return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Applies stored parts to a document in one transaction (one update event, one observer pass). */
export function applyStored(doc: Y.Doc, stored: StoredDocument, origin: unknown = null): void {
	doc.transact(() => {
		if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
		for (const u of stored.updates) Y.applyUpdate(doc, u.data);
	}, origin);
}

/**
 * A document's whole state as one update, including structs Yjs holds back while their
 * dependencies are missing: encodeStateAsUpdate alone would leave those out, and a snapshot
 * written from it would lose them.
 */
export function encodeFullState(doc: Y.Doc): Uint8Array {
	const state = Y.encodeStateAsUpdate(doc);
	const pending = doc.store.pendingStructs?.update;
	const pendingDs = doc.store.pendingDs;
	if (!pending && !pendingDs) return state;
	return Y.mergeUpdates([state, ...(pending ? [pending] : []), ...(pendingDs ? [pendingDs] : [])]);
}

/** The document's content as a fresh Y.Doc (garbage-collected), straight from the database. */
export async function loadDoc(db: DbOrTx, documentId: string): Promise<{ doc: Y.Doc; seq: number }> {
	const stored = await readStored(db, documentId);
	const doc = new Y.Doc();
	applyStored(doc, stored);
	return { doc, seq: stored.seq };
}

/**
 * The document's content as far as it can be read: a stored part Yjs cannot decode is skipped
 * (and logged) instead of failing the read. For the content functions (exports, print,
 * versions, restoring), which must answer for any stored state; the collaboration server
 * refuses such a document instead (loadDoc), so nobody edits on top of a hole.
 */
export async function readableDoc(db: DbOrTx, documentId: string): Promise<{ doc: Y.Doc; seq: number; damaged: boolean }> {
	const stored = await readStored(db, documentId);
	const doc = new Y.Doc();
	let damaged = false;
	const parts = [...(stored.snapshot ? [{ seq: stored.snapshotSeq, data: stored.snapshot }] : []), ...stored.updates];
	for (const part of parts) {
		try {
			Y.applyUpdate(doc, part.data);
		} catch (err) {
			damaged = true;
			logger().warn({ err, documentId, seq: part.seq }, 'stored part of a document cannot be decoded: skipped');
		}
	}
	return { doc, seq: stored.seq, damaged };
}

/**
 * Merging is superlinear in the number of updates (1,000 small ones take ~30 ms, 100,000 take
 * minutes), so a burst is stored as several rows of at most this many updates each.
 */
const MERGE_LIMIT = 64;

/**
 * Appends updates to several documents: a row per document (per MERGE_LIMIT updates), its
 * updates merged. One statement does it all (take the sequence numbers under the documents'
 * row locks, insert the rows), so outside a transaction it is one round trip and one commit.
 * Returns the rows written for each document; a document that is locked or gone is absent from
 * the result (its updates are refused).
 */
export async function appendUpdates(db: DbOrTx, batch: Map<string, Uint8Array[]>): Promise<Map<string, StoredRow[]>> {
	const result = new Map<string, StoredRow[]>();
	const input: SQL[] = [];
	const chunks = new Map<string, Uint8Array[]>();
	for (const [id, updates] of batch) {
		if (updates.length === 0) continue;
		const merged: Uint8Array[] = [];
		for (let i = 0; i < updates.length; i += MERGE_LIMIT) {
			const part = updates.slice(i, i + MERGE_LIMIT);
			merged.push(part.length === 1 ? part[0] : Y.mergeUpdates(part));
		}
		chunks.set(id, merged);
		merged.forEach((data, i) =>
			input.push(sql`(${id}::uuid, ${i}::int, ${merged.length}::int, ${Buffer.from(data.buffer, data.byteOffset, data.byteLength)}::bytea)`)
		);
	}
	if (input.length === 0) return result;
	// Rows are locked in id order so that two processes appending to overlapping sets of
	// documents cannot deadlock; a locked document is skipped (and re-checked after the wait).
	const written = await rows<{ document_id: string; seq: string | number }>(
		db,
		sql`WITH input(id, idx, n, data) AS (VALUES ${sql.join(input, sql`, `)}),
			counts AS (SELECT id, max(n) AS n FROM input GROUP BY id),
			locked AS (SELECT d.id FROM documents d WHERE d.id IN (SELECT id FROM counts) AND d.lock_id IS NULL ORDER BY d.id FOR UPDATE),
			bumped AS (
				UPDATE documents d SET update_seq = d.update_seq + c.n, edited_at = now()
				FROM counts c, locked l WHERE d.id = c.id AND l.id = c.id
				RETURNING d.id, d.update_seq
			)
			INSERT INTO document_updates (document_id, seq, data)
			SELECT i.id, b.update_seq - i.n + i.idx + 1, i.data FROM input i JOIN bumped b ON b.id = i.id
			RETURNING document_id, seq`
	);
	for (const row of written) {
		const id = row.document_id;
		let list = result.get(id);
		if (!list) result.set(id, (list = []));
		list.push({ seq: Number(row.seq), data: new Uint8Array(0) });
	}
	// The statement returns the sequence numbers; the data is what was sent, in order.
	for (const [id, list] of result) {
		list.sort((a, b) => a.seq - b.seq);
		const merged = chunks.get(id)!;
		list.forEach((row, i) => (row.data = merged[i]));
	}
	return result;
}

/** Appends one update to one document (server-side edits outside the collaboration server). */
export async function appendUpdate(db: Db, documentId: string, update: Uint8Array): Promise<number> {
	const written = await appendUpdates(db, new Map([[documentId, [update]]]));
	const seq = written.get(documentId)?.at(-1)?.seq;
	if (seq === undefined) {
		const [doc] = await rows<{ locked: boolean }>(db, sql`SELECT lock_id IS NOT NULL AS locked FROM documents WHERE id = ${documentId}`);
		throw doc ? new DocumentLockedError(documentId) : new DocumentNotFoundError(documentId);
	}
	return seq;
}

/**
 * Something with updates to write, usually a loaded document (collab/room.ts). The store
 * takes its updates when a transaction starts and reports the rows once it commits.
 */
export interface BatchSource {
	readonly documentId: string;
	/** The updates to write now, in order; the source hands them over. */
	take(): Uint8Array[];
	/** `alone`: the rows hold this source's updates only (no other source wrote to the document in this write). */
	committed(rows: StoredRow[], alone: boolean): void;
	failed(err: unknown): void;
}

export interface UpdateStoreOptions {
	/** Extra time to gather a batch before writing; 0 writes as soon as possible. */
	batchDelayMs?: number;
	/**
	 * Writes in flight at once (each takes the documents not already being written). More than
	 * one only helps with a connection pool (Postgres): a document waiting for another's commit
	 * does not wait for its fsync too. PGlite has one connection: 1.
	 */
	concurrency?: number;
}

/**
 * Group commit for the collaboration server. Updates that arrive while their document's
 * previous batch is being committed go into its next one; each write is one statement. A
 * document has at most one write in flight, so its batches commit in order.
 */
export class UpdateStore {
	private dirty = new Set<BatchSource>();
	private inFlight = new Set<BatchSource>();
	private active = new Set<Promise<void>>();
	private scheduled = false;
	private closed = false;
	private readonly concurrency: number;

	constructor(
		private readonly db: () => Db,
		private readonly options: UpdateStoreOptions = {}
	) {
		this.concurrency = Math.max(1, options.concurrency ?? 1);
	}

	/** Asks for the source's pending updates to be written soon. */
	schedule(source: BatchSource): void {
		if (this.closed) {
			source.failed(new Error('update store closed'));
			return;
		}
		this.dirty.add(source);
		this.kick();
	}

	/** Appends one update; resolves with its row's sequence number once committed. */
	append(documentId: string, update: Uint8Array): Promise<number> {
		return new Promise<number>((resolve, reject) => {
			let taken = false;
			this.schedule({
				documentId,
				take: () => (taken ? [] : ((taken = true), [update])),
				committed: (rows) => resolve(rows[rows.length - 1].seq),
				failed: reject
			});
		});
	}

	/** Resolves when everything scheduled so far is written (or has failed). */
	async flush(): Promise<void> {
		while (this.active.size > 0 || this.dirty.size > 0) {
			this.pump();
			if (this.active.size > 0) await Promise.race(this.active);
		}
	}

	/** Writes what is pending and refuses further updates. */
	async close(): Promise<void> {
		await this.flush();
		this.closed = true;
	}

	private kick(): void {
		if (this.scheduled) return;
		this.scheduled = true;
		const run = () => {
			this.scheduled = false;
			this.pump();
		};
		if (this.options.batchDelayMs) setTimeout(run, this.options.batchDelayMs);
		else setImmediate(run);
	}

	/** Starts writes while there is room and something not already being written. */
	private pump(): void {
		while (this.active.size < this.concurrency) {
			const sources = [...this.dirty].filter((s) => !this.inFlight.has(s));
			if (sources.length === 0) return;
			for (const s of sources) {
				this.dirty.delete(s);
				this.inFlight.add(s);
			}
			const write: Promise<void> = this.write(sources).finally(() => {
				for (const s of sources) this.inFlight.delete(s);
				this.active.delete(write);
				if (this.dirty.size > 0) this.kick();
			});
			this.active.add(write);
		}
	}

	private async write(sources: BatchSource[]): Promise<void> {
		const updates = new Map<string, Uint8Array[]>();
		const bySource = new Map<BatchSource, number>();
		const contributors = new Map<string, number>();
		for (const source of sources) {
			const taken = source.take();
			bySource.set(source, taken.length);
			if (taken.length === 0) continue;
			contributors.set(source.documentId, (contributors.get(source.documentId) ?? 0) + 1);
			const list = updates.get(source.documentId);
			if (list) list.push(...taken);
			else updates.set(source.documentId, taken);
		}
		let written: Map<string, StoredRow[]>;
		try {
			written = updates.size ? await appendUpdates(this.db(), updates) : new Map();
		} catch (err) {
			for (const [source, n] of bySource) if (n > 0) source.failed(err);
			return;
		}
		for (const [source, n] of bySource) {
			if (n === 0) continue;
			const rows = written.get(source.documentId);
			try {
				if (rows) source.committed(rows, contributors.get(source.documentId) === 1);
				else source.failed(new DocumentLockedError(source.documentId));
			} catch (err) {
				logger().error({ err, documentId: source.documentId }, 'update source failed after commit');
			}
		}
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
	 * The full state (and its text) at a given sequence number, when the caller has it in
	 * memory (a loaded document that has applied every update up to there): saves rebuilding
	 * it from the rows.
	 */
	stateAt?: (seq: number) => { state: Uint8Array; text?: string } | null;
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
		const known = options.stateAt?.(stored.seq) ?? null;
		let state = known?.state ?? null;
		let text = known?.text;
		if (!state) {
			const doc = new Y.Doc();
			applyStored(doc, stored);
			state = encodeFullState(doc);
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
