// The collaboration server: y-websocket at /collab/<document id> on the app's own port.
// An upgrade is authorized before any WebSocket exists (Origin, the principal, the
// application's authorize hook) and the document is loaded before the upgrade completes, so a
// client is never synced from a half-loaded document, and a document that cannot be loaded is
// refused. What a document is and who may open it is the hooks' business (types.ts).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import * as Y from 'yjs';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Db } from '../db';
import type { Logger } from '../log';
import { originAllowed } from '../realtime/auth';
import { refuseUpgrade } from '../realtime/upgrade';
import { Connection } from './connection';
import { UpdateStore } from './persistence';
import { CloseCode } from './protocol';
import type { GlobalEvent, Relay } from './relay';
import { DocumentRoom, type RoomOptions } from './room';
import type { Access, CollabEngine, CollabHooks, DocumentEvent } from './types';

export interface CollabOptions extends RoomOptions {
	/** Largest message accepted (ws closes the connection with 1009 beyond it). */
	maxMessageBytes: number;
	/** Unload a document this long after its last connection left. */
	idleMs: number;
	/** Ping every connection this often; one that missed the previous ping is dropped. */
	pingMs: number;
	maxBufferedBytes: number;
	/** Commits in flight at once (Postgres pool); 1 on PGlite's single connection. */
	writeConcurrency: number;
}

export const DEFAULT_OPTIONS: CollabOptions = {
	maxMessageBytes: 2 * 1024 * 1024,
	idleMs: 30_000,
	pingMs: 30_000,
	maxBufferedBytes: 32 * 1024 * 1024,
	writeConcurrency: 1,
	// Every compaction rewrites the whole snapshot (WAL, fsync): not too often for a big
	// document, while a load still reads at most this many rows after the snapshot.
	compactAfterRows: 2000,
	compactAfterBytes: 2 * 1024 * 1024,
	autoVersionMs: 10 * 60_000,
	maxAwarenessIdsPerConnection: 4
};

export interface CollabServerContext<P> {
	db: () => Db;
	relay: Relay;
	hooks: CollabHooks<P>;
	/** Who an upgrade request belongs to (the realtime core's authenticate), or null. */
	authenticate(req: IncomingMessage): Promise<P | null>;
	log: Logger;
	options?: Partial<CollabOptions>;
}

const PATH = /^\/collab\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i;

export class CollabServer<P = unknown> implements CollabEngine {
	readonly options: CollabOptions;
	readonly store: UpdateStore;
	private readonly rooms = new Map<string, DocumentRoom<P>>();
	private readonly loading = new Map<string, Promise<DocumentRoom<P>>>();
	private readonly unloading = new Map<string, Promise<void>>();
	private readonly idleTimers = new Map<string, NodeJS.Timeout>();
	private readonly wss: WebSocketServer;
	private readonly offs: (() => void)[] = [];
	private readonly pingTimer: NodeJS.Timeout;
	private closing = false;
	private readonly log: Logger;

	constructor(private readonly ctx: CollabServerContext<P>) {
		this.options = { ...DEFAULT_OPTIONS, ...ctx.options };
		this.log = ctx.log.child({ mod: 'collab' });
		this.store = new UpdateStore(ctx.db, { concurrency: this.options.writeConcurrency });
		this.wss = new WebSocketServer({ noServer: true, maxPayload: this.options.maxMessageBytes, perMessageDeflate: false });
		this.pingTimer = setInterval(() => this.ping(), this.options.pingMs);
		this.pingTimer.unref();

		this.offs.push(ctx.relay.onGlobal((e) => this.onGlobal(e)));
		// The application's subscriptions (what changes access or locks) call back into notify() etc.
		if (ctx.hooks.onStart) this.offs.push(ctx.hooks.onStart(this));
	}

	reconsiderUsers(userIds: string[] | 'all'): void {
		this.global({ kind: 'reconsider', userIds });
	}

	endSessions(userId: string, exceptSessionId?: string): void {
		this.global({ kind: 'endSessions', userId, exceptSessionId });
	}

	/** Here and in every other process. */
	private global(event: GlobalEvent): void {
		this.ctx.relay.publishGlobal(event);
		this.onGlobal(event);
	}

	/** The upgrade handler registered for /collab/. */
	handleUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
		// The socket may die while we look things up; an unhandled error would crash the process.
		socket.on('error', () => socket.destroy());
		this.upgrade(req, socket, head).catch((err) => {
			this.log.error({ err }, 'collab upgrade failed');
			refuseUpgrade(socket, 500, 'Internal Server Error');
		});
	};

	private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://localhost');
		const match = PATH.exec(url.pathname);
		if (!match) return refuseUpgrade(socket, 404, 'Not Found');
		if (this.closing) return refuseUpgrade(socket, 503, 'Service Unavailable', 'shutting down');
		if (!originAllowed(req)) return refuseUpgrade(socket, 403, 'Forbidden', 'origin not allowed');
		const principal = await this.ctx.authenticate(req);
		if (!principal) return refuseUpgrade(socket, 401, 'Unauthorized', 'sign in first');
		const documentId = match[1].toLowerCase();
		const authorization = await this.ctx.hooks.authorize(principal, documentId);
		if (!authorization) return refuseUpgrade(socket, 404, 'Not Found', 'no such document');
		const access = authorization.access;
		if (access === 'none') return refuseUpgrade(socket, 403, 'Forbidden', 'no access to this document');

		let room: DocumentRoom<P>;
		try {
			room = await this.acquire(documentId);
		} catch (err) {
			this.log.error({ err, doc: documentId }, 'document failed to load: refused');
			return refuseUpgrade(socket, 503, 'Service Unavailable', 'document could not be loaded');
		}
		try {
			if (socket.destroyed || this.closing) return;
			const events = url.searchParams.get('events') === '1';
			this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws, room, principal, access, events));
		} finally {
			this.release(room);
		}
	}

	private attach(ws: WebSocket, room: DocumentRoom<P>, principal: P, access: Access, events: boolean): void {
		const identity = this.ctx.hooks.identify(principal);
		const log = room.log.child({ user: identity.label });
		const conn = new Connection<P>(
			ws,
			principal,
			identity,
			access,
			events,
			log,
			{ maxBufferedBytes: this.options.maxBufferedBytes },
			room.isLocked
		);
		this.cancelIdle(room);
		ws.binaryType = 'nodebuffer';
		ws.on('message', (data: Buffer, isBinary: boolean) => {
			if (!isBinary) {
				log.warn('text frame: connection closed');
				conn.close(CloseCode.malformed, 'binary messages only');
				return;
			}
			// An edit (sync message, update) counts as using the session; awareness pings do not.
			if (data[0] === 0 && data[1] === 2) this.ctx.hooks.onEdit?.(conn.principal);
			room.receive(conn, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
		});
		ws.on('pong', () => {
			conn.alive = true;
		});
		ws.on('error', (err) => {
			// ws reports protocol violations (a frame over maxPayload: 1009) and closes itself.
			log.warn({ err: err.message, code: (err as { code?: string }).code }, 'websocket error: connection closed');
		});
		ws.on('close', () => {
			conn.closed = true;
			room.leave(conn);
		});
		room.join(conn);
		log.debug({ access }, 'connected');
	}

	/** The loaded document, loading it first if needed. Pair with release(). */
	async acquire(documentId: string): Promise<DocumentRoom<P>> {
		for (;;) {
			const unloading = this.unloading.get(documentId);
			if (unloading) {
				await unloading;
				continue;
			}
			const room = this.rooms.get(documentId);
			if (room) {
				room.holds++;
				this.cancelIdle(room);
				return room;
			}
			let loading = this.loading.get(documentId);
			if (!loading) {
				loading = this.load(documentId);
				this.loading.set(documentId, loading);
			}
			await loading;
		}
	}

	release(room: DocumentRoom<P>): void {
		room.holds--;
		if (room.idle) this.scheduleIdle(room);
	}

	private async load(documentId: string): Promise<DocumentRoom<P>> {
		const room = new DocumentRoom<P>(documentId, {
			db: this.ctx.db,
			store: this.store,
			relay: this.ctx.relay,
			hooks: this.ctx.hooks,
			log: this.log,
			options: this.options,
			onIdle: (r) => this.scheduleIdle(r)
		});
		try {
			const started = performance.now();
			await room.load();
			this.rooms.set(documentId, room);
			room.log.debug({ ms: Math.round(performance.now() - started), seq: room.appliedThrough }, 'loaded');
			return room;
		} catch (err) {
			room.destroy();
			throw err;
		} finally {
			this.loading.delete(documentId);
		}
	}

	private scheduleIdle(room: DocumentRoom<P>): void {
		if (this.idleTimers.has(room.documentId) || !room.idle || this.rooms.get(room.documentId) !== room) return;
		const timer = setTimeout(() => {
			this.idleTimers.delete(room.documentId);
			if (room.idle) void this.unload(room);
		}, this.options.idleMs);
		timer.unref();
		this.idleTimers.set(room.documentId, timer);
	}

	private cancelIdle(room: DocumentRoom<P>): void {
		const timer = this.idleTimers.get(room.documentId);
		if (timer) {
			clearTimeout(timer);
			this.idleTimers.delete(room.documentId);
		}
	}

	private unload(room: DocumentRoom<P>): Promise<void> {
		this.rooms.delete(room.documentId);
		const done = room
			.unload()
			.catch((err) => room.log.error({ err }, 'unload failed'))
			.finally(() => this.unloading.delete(room.documentId));
		this.unloading.set(room.documentId, done);
		room.log.debug('unloaded');
		return done;
	}

	/**
	 * Changes a document from the server (restoring a version): `change` edits a copy of the
	 * current content; the difference goes through the same path as a client's update, so
	 * every client sees it live and it is stored before anyone does.
	 */
	async edit(documentId: string, change: (doc: Y.Doc) => void): Promise<void> {
		const room = await this.acquire(documentId);
		try {
			const copy = new Y.Doc();
			Y.applyUpdate(copy, Y.encodeStateAsUpdate(room.doc));
			const before = Y.encodeStateVector(copy);
			change(copy);
			const update = Y.encodeStateAsUpdate(copy, before);
			copy.destroy();
			await room.submit(update);
		} finally {
			this.release(room);
		}
	}

	/**
	 * Runs `lock` (the database transaction that locks the document) while the document
	 * accepts no updates and every accepted one is written, so the locked content is exactly
	 * what everyone saw.
	 */
	async whileLocking<T>(documentId: string, lock: () => Promise<T>): Promise<T> {
		const room = this.rooms.get(documentId);
		if (!room) return lock();
		room.holds++;
		try {
			await room.beginLock();
			try {
				return await lock();
			} catch (err) {
				room.cancelLock();
				throw err;
			}
		} finally {
			this.release(room);
		}
	}

	/** The current content of a loaded document, or null when it is not loaded here. */
	stateOf(documentId: string): Uint8Array | null {
		const room = this.rooms.get(documentId);
		return room ? Y.encodeStateAsUpdate(room.doc) : null;
	}

	/**
	 * A document event from the application (CollabEngine): applied to the loaded document here
	 * and relayed to the other processes; a reopen or an access change re-decides its connections.
	 */
	notify(documentId: string, event: DocumentEvent): void {
		const room = this.rooms.get(documentId);
		if (room) room.onEvent(event);
		else if (this.ctx.relay.shared) this.ctx.relay.publish(documentId, { type: 'event', event });
		if (event.kind === 'reopened' || event.kind === 'access') void this.recheckRoom(documentId);
	}

	private onGlobal(event: GlobalEvent): void {
		if (event.kind === 'endSessions') {
			for (const room of this.rooms.values()) {
				for (const conn of room.conns) {
					if (conn.userId === event.userId && conn.sessionId !== event.exceptSessionId) conn.close(CloseCode.unauthorized, 'signed out');
				}
			}
			return;
		}
		const users = event.userIds === 'all' ? null : new Set(event.userIds);
		void this.recheck((conn) => !users || users.has(conn.userId));
	}

	private recheckRoom(documentId: string): Promise<void> {
		const room = this.rooms.get(documentId);
		if (!room) return Promise.resolve();
		return this.recheck((conn) => room.conns.has(conn));
	}

	/** Decides again what each matching connection may do: closes, downgrades or upgrades it. */
	private async recheck(matches: (conn: Connection<P>) => boolean): Promise<void> {
		const hooks = this.ctx.hooks;
		for (const room of [...this.rooms.values()]) {
			const conns = [...room.conns].filter(matches);
			if (conns.length === 0) continue;
			try {
				const locked = await hooks.isLocked(room.documentId);
				if (locked === null) {
					for (const conn of conns) conn.close(CloseCode.notFound, 'document removed');
					continue;
				}
				if (locked && !room.locked) room.setLocked(true);
				if (!locked && room.locked) room.setLocked(false);
				for (const conn of conns) {
					if (conn.closed) continue;
					const principal = await hooks.refresh(conn.principal);
					if (!principal) {
						conn.close(CloseCode.unauthorized, 'session ended');
						continue;
					}
					conn.principal = principal;
					conn.identity = hooks.identify(principal);
					const authorization = await hooks.authorize(principal, room.documentId);
					if (!authorization) {
						conn.close(CloseCode.notFound, 'document removed');
					} else if (authorization.access === 'none') {
						conn.log.info('rights withdrawn: connection closed');
						conn.close(CloseCode.forbidden, 'no access to this document any more');
					} else {
						conn.setAccess(authorization.access);
					}
				}
			} catch (err) {
				room.log.error({ err }, 'rights re-check failed');
			}
		}
	}

	private ping(): void {
		for (const room of this.rooms.values()) {
			for (const conn of room.conns) {
				if (!conn.alive) {
					conn.log.debug('no pong: connection dropped');
					conn.closed = true;
					conn.ws.terminate();
					continue;
				}
				conn.alive = false;
				try {
					conn.ws.ping();
				} catch {
					conn.ws.terminate();
				}
			}
		}
	}

	/** Shutdown: refuse new connections, close the open ones (clients reconnect), write everything. */
	async close(): Promise<void> {
		this.closing = true;
		clearInterval(this.pingTimer);
		for (const off of this.offs) off();
		for (const timer of this.idleTimers.values()) clearTimeout(timer);
		this.idleTimers.clear();
		for (const room of this.rooms.values()) for (const conn of room.conns) conn.close(CloseCode.goingAway, 'server restarting');
		await this.store.close();
		await Promise.allSettled([...this.unloading.values()]);
		await Promise.allSettled([...this.rooms.values()].map((room) => room.compact()));
		for (const room of this.rooms.values()) room.destroy();
		this.rooms.clear();
		this.wss.close();
		await this.ctx.relay.close();
		this.log.info('collaboration server closed');
	}
}

