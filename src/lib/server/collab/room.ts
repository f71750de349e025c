// A document loaded in memory: its Y.Doc, awareness and connections. The Y.Doc only ever
// holds committed content: a client's update is validated, handed to the group-commit store,
// and applied and broadcast only after the database has it. A client that syncs therefore
// never receives anything a crash could take back.
import { reportDatabaseError } from '../db/health';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { Awareness, encodeAwarenessUpdate, removeAwarenessStates, applyAwarenessUpdate } from 'y-protocols/awareness';
import type { Db } from '../db';
import type { Logger } from '../log';
import type { Connection } from './connection';
import {
	applyStored,
	compactDocument,
	DocumentLockedError,
	DocumentNotFoundError,
	encodeFullState,
	readStored,
	type BatchSource,
	type StoredRow,
	type UpdateStore
} from './persistence';
import {
	CloseCode,
	encodeAwarenessEntries,
	encodeAwarenessMessage,
	encodeSyncStep1,
	encodeSyncStep2,
	encodeUpdateMessage,
	isEmptyUpdate,
	ProtocolError,
	readClientMessage,
	type AwarenessEntry
} from './protocol';
import type { Relay, RelayMessage } from './relay';
import type { CollabHooks, DocumentEvent } from './types';

/** The hooks a loaded document itself calls (the server calls the others). */
export type RoomHooks = Pick<CollabHooks<unknown>, 'isLocked' | 'checkUpdate' | 'textOf' | 'autoVersion'>;

export interface RoomOptions {
	/** Compact once this many rows follow the snapshot … */
	compactAfterRows: number;
	/** … or once they hold this many bytes. */
	compactAfterBytes: number;
	/** Save an automatic version at most this often while the document changes. */
	autoVersionMs: number;
	/** Awareness client ids one connection may speak for. */
	maxAwarenessIdsPerConnection: number;
}

export interface RoomContext<P = unknown> {
	db: () => Db;
	store: UpdateStore;
	relay: Relay;
	hooks: RoomHooks;
	log: Logger;
	options: RoomOptions;
	/** The last connection left (or the last hold was released). */
	onIdle(room: DocumentRoom<P>): void;
}

interface Pending<P> {
	update: Uint8Array;
	conn: Connection<P> | null;
	done?: { resolve(): void; reject(err: unknown): void };
}

const LOAD = Symbol('load');
const RELAY = Symbol('relay');
const GAP_CHECK_MS = 1000;

/** Named apart from the meeting room and the Socket.IO room: this is one loaded Yjs document. */
export class DocumentRoom<P = unknown> implements BatchSource {
	readonly doc = new Y.Doc();
	readonly awareness = new Awareness(this.doc);
	readonly conns = new Set<Connection<P>>();
	/** Refuses all updates (locked, or a lock is being taken). */
	locked = false;
	private locking = false;
	/** Server-side users of the room (edits, locks) that keep it loaded. */
	holds = 0;
	/** Every row up to here has been applied. */
	appliedThrough = 0;
	private appliedAbove = new Set<number>();
	private pending: Pending<P>[] = [];
	private inFlight: Pending<P>[] = [];
	private tailRows = 0;
	private tailBytes = 0;
	private compacting: Promise<void> | null = null;
	private versionedSeq = 0;
	private versionedAt = Date.now();
	private versioning: Promise<void> | null = null;
	private gapTimer: NodeJS.Timeout | null = null;
	private unsubscribe: () => void = () => {};
	/** Who owns each awareness client id: a local connection, or another process. */
	private awarenessOwners = new Map<number, Connection<P> | typeof RELAY>();
	/**
	 * The committed content plus every accepted update not yet committed, in order: what the
	 * document will be once they are written. Each incoming update is applied here first and
	 * refused if what it changed breaks the content's schema (the checkUpdate hook). Rebuilt from `doc` when it may
	 * have diverged (an update refused or dropped, a write failed); built on the first update.
	 */
	private shadow: Y.Doc | null = null;
	readonly log: Logger;

	constructor(
		readonly documentId: string,
		private readonly ctx: RoomContext<P>
	) {
		this.log = ctx.log.child({ doc: documentId });
		this.awareness.setLocalState(null);
		this.doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin === LOAD) return;
			const message = encodeUpdateMessage(update);
			for (const conn of this.conns) if (conn !== origin) conn.send(message);
		});
		this.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
			const changed = added.concat(updated, removed);
			for (const id of removed) this.awarenessOwners.delete(id);
			const update = encodeAwarenessUpdate(this.awareness, changed);
			const message = encodeAwarenessMessage(update);
			for (const conn of this.conns) conn.send(message);
			if (origin !== RELAY && this.ctx.relay.shared) this.ctx.relay.publish(documentId, { type: 'awareness', data: update });
		});
	}

	/** Loads the snapshot and tail; throws (and the document is refused) if that fails. */
	async load(): Promise<void> {
		const locked = await this.ctx.hooks.isLocked(this.documentId);
		if (locked === null) throw new DocumentNotFoundError(this.documentId);
		this.unsubscribe = this.ctx.relay.subscribe(this.documentId, (m) => this.onRelay(m));
		const stored = await readStored(this.ctx.db(), this.documentId);
		applyStored(this.doc, stored, LOAD);
		this.locked = locked;
		this.appliedThrough = stored.seq;
		this.versionedSeq = stored.seq;
		this.tailRows = stored.updates.length;
		this.tailBytes = stored.tailBytes;
	}

	get idle(): boolean {
		return this.conns.size === 0 && this.holds === 0;
	}

	get writable(): boolean {
		return !this.locked && !this.locking;
	}

	/** A new connection: send the state vector and who is here; the client answers with what we lack. */
	join(conn: Connection<P>): void {
		this.conns.add(conn);
		conn.send(encodeSyncStep1(this.doc));
		const states = this.awareness.getStates();
		if (states.size > 0) conn.send(encodeAwarenessMessage(encodeAwarenessUpdate(this.awareness, [...states.keys()])));
		conn.sendEvent({ type: 'access', access: conn.access, locked: this.locked });
		if (!conn.canWrite) conn.deny(this.locked ? 'locked' : 'read-only');
	}

	leave(conn: Connection<P>): void {
		if (!this.conns.delete(conn)) return;
		if (conn.awarenessIds.size > 0) removeAwarenessStates(this.awareness, [...conn.awarenessIds], null);
		if (this.idle) {
			// The last one out: fold the tail into the snapshot now rather than at the next load.
			if (this.tailRows > 0) this.compact();
			this.ctx.onIdle(this);
		}
	}

	/** Handles one message from a connection; bad input closes that connection only. */
	receive(conn: Connection<P>, data: Uint8Array): void {
		if (conn.closed) return;
		try {
			const message = readClientMessage(data);
			switch (message.type) {
				case 'syncStep1':
					conn.send(encodeSyncStep2(this.doc, message.stateVector));
					break;
				case 'update':
					this.receiveUpdate(conn, message.update, message.step2);
					break;
				case 'awareness':
					this.receiveAwareness(conn, message.entries);
					break;
				case 'queryAwareness': {
					const states = this.awareness.getStates();
					conn.send(encodeAwarenessMessage(encodeAwarenessUpdate(this.awareness, [...states.keys()])));
					break;
				}
			}
		} catch (err) {
			const code = err instanceof ProtocolError ? err.code : CloseCode.malformed;
			conn.log.warn({ code, reason: (err as Error).message }, 'bad message: connection closed');
			conn.close(code, (err as Error).message);
		}
	}

	private receiveUpdate(conn: Connection<P>, update: Uint8Array, step2: boolean): void {
		if (!conn.canWrite) {
			conn.deny(this.locked ? 'locked' : 'read-only');
			return;
		}
		let data = update;
		if (step2) {
			// A reconnecting client sends everything we lacked when it connected; some of it
			// may have arrived since from others. Store only what is new.
			try {
				data = Y.diffUpdate(update, Y.encodeStateVector(this.doc));
			} catch (err) {
				throw new ProtocolError(CloseCode.badUpdate, `update cannot be decoded: ${(err as Error).message}`);
			}
		}
		if (isEmptyUpdate(data)) return;
		this.checkShape(data);
		this.pending.push({ update: data, conn });
		this.ctx.store.schedule(this);
	}

	private shadowDoc(): Y.Doc {
		if (this.shadow) return this.shadow;
		const shadow = new Y.Doc();
		Y.applyUpdate(shadow, encodeFullState(this.doc));
		for (const p of [...this.inFlight, ...this.pending]) Y.applyUpdate(shadow, p.update);
		return (this.shadow = shadow);
	}

	private dropShadow(): void {
		this.shadow?.destroy();
		this.shadow = null;
	}

	/**
	 * Applies the update to the shadow and has the checkUpdate hook check what it changed (only
	 * that: a keystroke costs the paragraph it lands in, not the document). Throws
	 * ProtocolError(badShape) and forgets the shadow when it breaks the schema, cannot be
	 * applied, or depends on changes the server does not have (held back, it would integrate
	 * later, when an honest update arrives).
	 */
	private checkShape(update: Uint8Array): void {
		const shadow = this.shadowDoc();
		const heldBefore = shadow.store.pendingStructs !== null || shadow.store.pendingDs !== null;
		const check = this.ctx.hooks.checkUpdate;
		let problem: string | null = null;
		try {
			if (check) problem = check(shadow, update);
			else Y.applyUpdate(shadow, update);
			if (problem === null && !heldBefore && (shadow.store.pendingStructs !== null || shadow.store.pendingDs !== null)) {
				problem = 'it depends on changes the server does not have';
			}
		} catch (err) {
			problem = `it cannot be applied (${(err as Error).message})`;
		}
		if (problem === null) return;
		this.dropShadow();
		throw new ProtocolError(CloseCode.badShape, `update refused: ${problem}`);
	}

	/**
	 * Awareness as the server knows the person: the `user` field is replaced by the connection's
	 * presence (the signed-in user's name and colour), and a connection may only speak for
	 * client ids it introduced.
	 */
	private receiveAwareness(conn: Connection<P>, entries: AwarenessEntry[]): void {
		const accepted: AwarenessEntry[] = [];
		for (const entry of entries) {
			const owner = this.awarenessOwners.get(entry.clientId);
			if (owner !== undefined && owner !== conn) continue;
			if (owner === undefined) {
				if (entry.state === null) continue;
				if (conn.awarenessIds.size >= this.ctx.options.maxAwarenessIdsPerConnection) continue;
				this.awarenessOwners.set(entry.clientId, conn);
				conn.awarenessIds.add(entry.clientId);
			}
			const state = entry.state === null ? null : { ...entry.state, user: conn.identity.presence };
			if (state === null) {
				conn.awarenessIds.delete(entry.clientId);
			}
			accepted.push({ ...entry, state });
		}
		if (accepted.length > 0) applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(accepted), conn);
	}

	/** A change made by the server itself (restoring a version): resolves once committed. */
	submit(update: Uint8Array): Promise<void> {
		if (!this.writable) return Promise.reject(new DocumentLockedError(this.documentId));
		// The server's own change (a restore) repairs rather than breaks: not checked.
		if (this.shadow) Y.applyUpdate(this.shadow, update);
		return new Promise((resolve, reject) => {
			this.pending.push({ update, conn: null, done: { resolve, reject } });
			this.ctx.store.schedule(this);
		});
	}

	// --- BatchSource: the store takes the pending updates and reports the outcome ---

	take(): Uint8Array[] {
		this.inFlight = this.pending.filter((p) => !p.conn || !p.conn.closed);
		// Updates of a closed connection are dropped: the shadow holds them, so it is stale.
		if (this.inFlight.length !== this.pending.length) this.dropShadow();
		this.pending = [];
		return this.inFlight.map((p) => p.update);
	}

	committed(rowsWritten: StoredRow[], alone: boolean): void {
		const items = this.inFlight;
		this.inFlight = [];
		// One transaction, one broadcast: everyone gets the batch as one message. When a single
		// connection sent all of it, it is not sent back its own changes; but if Yjs was holding
		// back structs (missing dependencies) they may integrate now, and that connection may not
		// have them, so then everyone gets everything.
		const senders = new Set(items.map((i) => i.conn));
		const heldBack = this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null;
		const origin = alone && senders.size === 1 && !heldBack ? [...senders][0] : null;
		this.doc.transact(() => {
			for (const row of rowsWritten) Y.applyUpdate(this.doc, row.data);
		}, origin);
		for (const row of rowsWritten) {
			this.markApplied(row.seq);
			this.tailRows++;
			this.tailBytes += row.data.byteLength;
			if (this.ctx.relay.shared) this.ctx.relay.publish(this.documentId, { type: 'update', seq: row.seq, data: row.data });
		}
		for (const item of items) item.done?.resolve();
		this.afterChange();
	}

	failed(err: unknown): void {
		const items = this.inFlight;
		this.inFlight = [];
		this.dropShadow();
		for (const item of items) item.done?.reject(err);
		if (err instanceof DocumentLockedError) {
			// Locked by someone else (another process) since: from now on, read-only for all.
			this.setLocked(true);
			return;
		}
		// A database that is away pauses saving for everyone (they are told); the senders keep
		// their changes and send them again when they reconnect.
		if (!reportDatabaseError(err)) this.log.error({ err }, 'could not save updates: their senders reconnect and sync again');
		for (const conn of new Set(items.map((i) => i.conn))) conn?.close(CloseCode.retry, 'could not save changes, reconnect');
	}

	private markApplied(seq: number): void {
		if (seq <= this.appliedThrough) return;
		if (seq === this.appliedThrough + 1) {
			this.appliedThrough = seq;
			while (this.appliedAbove.delete(this.appliedThrough + 1)) this.appliedThrough++;
		} else {
			this.appliedAbove.add(seq);
			this.scheduleGapCheck();
		}
	}

	// --- Several processes: what the others committed ---

	private onRelay(message: RelayMessage): void {
		if (message.type === 'update') {
			if (message.seq <= this.appliedThrough || this.appliedAbove.has(message.seq)) return;
			try {
				Y.applyUpdate(this.doc, message.data, RELAY);
				if (this.shadow) Y.applyUpdate(this.shadow, message.data);
			} catch (err) {
				this.log.error({ err, seq: message.seq }, 'relayed update failed; catching up from the database');
				void this.catchUp();
				return;
			}
			this.markApplied(message.seq);
		} else if (message.type === 'awareness') {
			try {
				// Mark the other process's client ids so no local connection can speak for them.
				for (const id of readAwarenessIds(message.data)) if (!this.awarenessOwners.has(id)) this.awarenessOwners.set(id, RELAY);
				applyAwarenessUpdate(this.awareness, message.data, RELAY);
			} catch (err) {
				this.log.warn({ err }, 'relayed awareness dropped');
			}
		} else {
			this.onEvent(message.event, false);
		}
	}

	private scheduleGapCheck(): void {
		if (this.gapTimer) return;
		this.gapTimer = setTimeout(() => {
			this.gapTimer = null;
			if (this.appliedAbove.size > 0) void this.catchUp();
		}, GAP_CHECK_MS);
		this.gapTimer.unref();
	}

	/** A relayed update went missing: read the document from the database and apply it (idempotent). */
	private async catchUp(): Promise<void> {
		try {
			const stored = await readStored(this.ctx.db(), this.documentId);
			applyStored(this.doc, stored, RELAY);
			this.dropShadow();
			for (const seq of this.appliedAbove) if (seq <= stored.seq) this.appliedAbove.delete(seq);
			if (stored.seq > this.appliedThrough) this.appliedThrough = stored.seq;
			while (this.appliedAbove.delete(this.appliedThrough + 1)) this.appliedThrough++;
		} catch (err) {
			this.log.error({ err }, 'catch-up from the database failed');
			this.scheduleGapCheck();
		}
	}

	/** A document event from this process (published to the others) or from another process. */
	onEvent(event: DocumentEvent, local = true): void {
		if (local && this.ctx.relay.shared) this.ctx.relay.publish(this.documentId, { type: 'event', event });
		if (event.kind === 'locked') this.setLocked(true);
		else if (event.kind === 'reopened') {
			this.locked = false;
			for (const conn of this.conns) conn.sendEvent({ type: 'reopened' });
		} else if (event.kind === 'changed') {
			for (const conn of this.conns) conn.sendEvent({ type: 'changed', what: event.what });
		}
	}

	// --- Locking ---

	/** Stops accepting updates and waits until every accepted one is written. */
	async beginLock(): Promise<void> {
		this.locking = true;
		for (const conn of this.conns) if (conn.access === 'edit') conn.deny('locking');
		await this.ctx.store.flush();
	}

	/** The lock was not taken after all: accept updates again, and ask clients for what was refused meanwhile. */
	cancelLock(): void {
		this.locking = false;
		if (this.locked) return;
		const step1 = encodeSyncStep1(this.doc);
		for (const conn of this.conns) if (conn.canWrite) conn.send(step1);
	}

	setLocked(locked: boolean): void {
		this.locked = locked;
		this.locking = false;
		if (locked) {
			for (const p of this.pending) p.done?.reject(new DocumentLockedError(this.documentId));
			this.pending = [];
			this.dropShadow();
			for (const conn of this.conns) {
				conn.sendEvent({ type: 'locked' });
				conn.setAccess(conn.access === 'none' ? 'none' : 'view');
				conn.deny('locked', true);
			}
		}
	}

	isLocked = (): boolean => this.locked || this.locking;

	// --- Housekeeping ---

	private afterChange(): void {
		const o = this.ctx.options;
		if (this.tailRows >= o.compactAfterRows || this.tailBytes >= o.compactAfterBytes) this.compact();
		if (Date.now() - this.versionedAt >= o.autoVersionMs) void this.autoVersion();
	}

	/** Folds the tail into the snapshot in the background; from memory when the doc is exactly the stored state. */
	compact(): Promise<void> {
		if (this.compacting || this.locked) return this.compacting ?? Promise.resolve();
		const textOf = this.ctx.hooks.textOf;
		this.compacting = compactDocument(this.ctx.db(), this.documentId, {
			stateAt: (seq) =>
				seq === this.appliedThrough && this.appliedAbove.size === 0 ? { state: encodeFullState(this.doc), text: textOf(this.doc) } : null,
			textOf
		})
			.then((r) => {
				if (!r.compacted) return;
				this.tailRows = Math.max(0, this.appliedThrough - r.seq);
				if (this.tailRows === 0) this.tailBytes = 0;
				this.log.debug({ merged: r.merged, seq: r.seq, bytes: r.bytes }, 'compacted');
			})
			.catch((err) => this.log.error({ err }, 'compaction failed'))
			.finally(() => {
				this.compacting = null;
			});
		return this.compacting;
	}

	/** Saves an automatic version if the content changed since the last one. */
	autoVersion(): Promise<void> {
		const hook = this.ctx.hooks.autoVersion;
		if (!hook || this.versioning || this.appliedThrough <= this.versionedSeq || this.locked) return this.versioning ?? Promise.resolve();
		const seq = this.appliedThrough;
		this.versionedAt = Date.now();
		this.versioning = hook(this.documentId, this.doc, seq)
			.then(() => {
				this.versionedSeq = seq;
			})
			.catch((err) => this.log.error({ err }, 'automatic version failed'))
			.finally(() => {
				this.versioning = null;
			});
		return this.versioning;
	}

	/** Writes what is pending, versions and compacts, and releases memory. */
	async unload(): Promise<void> {
		await this.ctx.store.flush();
		await this.autoVersion();
		await this.compact();
		this.destroy();
	}

	destroy(): void {
		this.unsubscribe();
		if (this.gapTimer) clearTimeout(this.gapTimer);
		this.dropShadow();
		this.awareness.destroy();
		this.doc.destroy();
	}
}

function readAwarenessIds(update: Uint8Array): number[] {
	const decoder = decoding.createDecoder(update);
	const ids: number[] = [];
	for (let n = decoding.readVarUint(decoder); n > 0; n--) {
		ids.push(decoding.readVarUint(decoder));
		decoding.readVarUint(decoder);
		decoding.readVarString(decoder);
	}
	return ids;
}
