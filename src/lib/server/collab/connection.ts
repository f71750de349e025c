// One client's WebSocket on one document: who it is, what it may do now, and the awareness
// client ids it speaks for. Rights can change while it is open (a re-check, a lock), so
// `access` is mutable and every update is checked against it when it arrives. `P` is the
// principal as the application gave it; the engine reads only its Identity.
import type { WebSocket } from 'ws';
import type { Logger } from '../log';
import type { Access, Identity } from './types';
import { encodeDocumentEvent, encodePermissionDenied } from './protocol';

export interface ConnectionOptions {
	/** Close a client that has this much unsent data queued (it does not keep up). */
	maxBufferedBytes: number;
}

/** Sent to a connection that asked for events (`?events=1`). */
export type ConnectionEvent =
	| { type: 'access'; access: Access; locked: boolean }
	| { type: 'locked' }
	| { type: 'reopened' }
	| { type: 'changed'; what: string };

const DENY_INTERVAL_MS = 2000;

export class Connection<P = unknown> {
	closed = false;
	/** Answered the last ping. */
	alive = true;
	/** Awareness client ids this connection has introduced (normally one: its Y.Doc's). */
	readonly awarenessIds = new Set<number>();
	private deniedAt = 0;

	constructor(
		readonly ws: WebSocket,
		public principal: P,
		public identity: Identity,
		public access: Access,
		/** Whether the client wants the document events (the editor does). */
		readonly events: boolean,
		readonly log: Logger,
		private readonly options: ConnectionOptions,
		private readonly isLocked: () => boolean
	) {}

	get userId(): string {
		return this.identity.userId;
	}

	get sessionId(): string {
		return this.identity.sessionId;
	}

	/** May change the text right now. */
	get canWrite(): boolean {
		return this.access === 'edit' && !this.isLocked();
	}

	send(message: Uint8Array): void {
		if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
		if (this.ws.bufferedAmount > this.options.maxBufferedBytes) {
			this.close(4508, 'too far behind');
			return;
		}
		this.ws.send(message, { binary: true }, (err) => {
			if (err && !this.closed) {
				this.log.debug({ err }, 'send failed');
				this.close(1011, 'send failed');
			}
		});
	}

	sendEvent(event: ConnectionEvent): void {
		if (this.events) this.send(encodeDocumentEvent(event));
	}

	/** Tells the client its changes are not accepted (at most every few seconds, unless `now`). */
	deny(reason = 'read-only', immediately = false): void {
		const now = Date.now();
		if (!immediately && now - this.deniedAt < DENY_INTERVAL_MS) return;
		this.deniedAt = now;
		this.send(encodePermissionDenied(reason));
	}

	/** Applies a new right; the client learns of it at once. */
	setAccess(access: Access): void {
		const couldWrite = this.canWrite;
		const changed = access !== this.access;
		this.access = access;
		if (changed) this.sendEvent({ type: 'access', access, locked: this.isLocked() });
		if (couldWrite && !this.canWrite) {
			this.deniedAt = 0;
			this.deny(this.isLocked() ? 'locked' : 'read-only');
		}
	}

	close(code: number, reason: string): void {
		if (this.closed) return;
		this.closed = true;
		try {
			// A close reason may be at most 123 bytes.
			this.ws.close(code, Buffer.from(reason).subarray(0, 120).toString());
		} catch {
			this.ws.terminate();
		}
	}
}
