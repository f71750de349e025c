// How collaboration servers in several processes share a document: each publishes what it
// committed (with the sequence number the database gave it), its connections' awareness, and
// document events; the others apply them to their copy. The database stays the source of
// order and truth: a process that misses a message notices the gap in sequence numbers and
// reads what it lacks from the database. One process needs no relay (LocalRelay); with
// REDIS_URL, RedisRelay (redis-relay.ts) carries the messages.

import type { DocumentEvent } from './types';

export type RelayMessage =
	| { type: 'update'; seq: number; data: Uint8Array }
	| { type: 'awareness'; data: Uint8Array }
	| { type: 'event'; event: DocumentEvent };

/** Process-wide happenings: rights and sessions change for every process at once. */
export type GlobalEvent =
	| { kind: 'reconsider'; userIds: string[] | 'all' }
	| { kind: 'endSessions'; userId: string; exceptSessionId?: string };

export interface Relay {
	/** True when other processes exist to hear; a single process skips the work. */
	readonly shared: boolean;
	publish(documentId: string, message: RelayMessage): void;
	/** Messages other processes published about one document. */
	subscribe(documentId: string, handler: (message: RelayMessage) => void): () => void;
	publishGlobal(event: GlobalEvent): void;
	onGlobal(handler: (event: GlobalEvent) => void): () => void;
	close(): Promise<void>;
}

/** One process: nobody else to tell. */
export class LocalRelay implements Relay {
	readonly shared = false;
	publish(): void {}
	subscribe(): () => void {
		return () => {};
	}
	publishGlobal(): void {}
	onGlobal(): () => void {
		return () => {};
	}
	async close(): Promise<void> {}
}
