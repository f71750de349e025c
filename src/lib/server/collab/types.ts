// What the Yjs engine asks of the application, in the manner of Hocuspocus's Extension hooks:
// the engine stores, relays and serves Yjs documents named by an id, and knows nothing of what
// a document is for. Who may open one, whether it is locked, what its content may hold, when
// to keep a version and what text to index all come from these hooks; the documents domain
// implements them (documents/collab.ts) and start-up passes them in. `P` is the principal the
// realtime core's `authenticate` returns: the engine never looks inside it.
import type * as Y from 'yjs';

/**
 * What a principal may do with a document: 'edit' changes the text, 'none' is refused, and any
 * other level ('view', or a domain's own such as 'comment') only reads. The level is passed to
 * the client as given, in its access event.
 */
export type Access = 'none' | 'view' | 'edit' | (string & {});

/** Who a connection is, as far as the engine needs to know. */
export interface Identity {
	/** Re-checks (`reconsiderUsers`) and sign-outs (`endSessions`) name connections by it. */
	userId: string;
	/** The session the connection was opened with. */
	sessionId: string;
	/** For the logs. */
	label: string;
	/** The `user` field of every awareness state the connection sends: who the others see. */
	presence: Record<string, unknown>;
}

export interface Authorization {
	access: Access;
}

/** The engine's side that hooks may call (see CollabServer). */
export interface CollabEngine {
	/** A document-level happening: clients are told, connections follow (locks, access). */
	notify(documentId: string, event: DocumentEvent): void;
	/** Decides again what these users' connections may do (rights changed), in every process. */
	reconsiderUsers(userIds: string[] | 'all'): void;
	/** Closes a user's connections (sessions revoked), but the kept session's, in every process. */
	endSessions(userId: string, exceptSessionId?: string): void;
}

/** Document-level happenings another process must act on too. */
export type DocumentEvent =
	| { kind: 'locked' }
	| { kind: 'reopened' }
	/** Who may do what changed: every connection of the document is decided again. */
	| { kind: 'access' }
	/** Something beside the content changed (the domain names it); clients reload that part. */
	| { kind: 'changed'; what: string };

export interface CollabHooks<P> {
	identify(principal: P): Identity;
	/** The principal's access to a document, or null when there is no such document. */
	authorize(principal: P, documentId: string): Promise<Authorization | null>;
	/** The principal as it is now (rights reloaded), or null when its session is over. */
	refresh(principal: P): Promise<P | null>;
	/** Whether the document is locked (read-only for everyone), or null when there is none. */
	isLocked(documentId: string): Promise<boolean | null>;
	/**
	 * Applies a client's update to `doc` (a throwaway copy holding every accepted update) and
	 * returns what it breaks in the content's schema, or null. May throw when the update cannot
	 * be applied. Without it, every decodable update is accepted.
	 */
	checkUpdate?(doc: Y.Doc, update: Uint8Array): string | null;
	/** The document's plain text, stored with each snapshot for search. */
	textOf(doc: Y.Doc): string;
	/** Called now and then while a document changes, and when it is unloaded after changes. */
	autoVersion?(documentId: string, doc: Y.Doc, seq: number): Promise<void>;
	/** A connection sent an edit (its session is in use; awareness does not count). */
	onEdit?(principal: P): void;
	/** Called once the engine runs: subscribe to what changes access or locks; returns the unsubscribe. */
	onStart?(engine: CollabEngine): () => void;
}
