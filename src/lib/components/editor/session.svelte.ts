// One person's live editing session on one document: the Yjs document, the y-websocket
// connection to /collab/<id>, the Tiptap editor bound to both, and the state the page shows
// (connection status, changes waiting to merge, who is here, access pushed by the server).
// Loaded in the browser only (the editor component imports it in onMount).
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { Editor } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { Placeholder } from '@tiptap/extensions';
import { WebsocketProvider } from 'y-websocket';
import { contentExtensions, FRAGMENT } from '$lib/editor/extensions';
import { CommentAnchors, refreshAnchors, type CommentAnchor } from './comment-anchors';

export type Status = 'connecting' | 'live' | 'reconnecting' | 'offline';
export type Failure = 'unauthorized' | 'forbidden' | 'unavailable' | 'bad';
export type Access = 'view' | 'comment' | 'edit';

/** What the server tells the editor about the document (see collab/connection.ts). */
export type ServerEvent =
	| { type: 'access'; access: Access | 'none'; locked: boolean }
	| { type: 'locked' }
	| { type: 'reopened' }
	| { type: 'changed'; what: 'comments' | 'versions' | 'title' };

export interface Peer {
	clientId: number;
	userId: string;
	name: string;
	color: string;
	self: boolean;
}

export interface SessionOptions {
	documentId: string;
	element: HTMLElement;
	user: { id: string; name: string; color: string };
	editable: boolean;
	placeholder: string;
	anchors: () => CommentAnchor[];
	activeAnchor: () => string | null;
	onAnchorClick: (id: string) => void;
	onServerEvent: (event: ServerEvent) => void;
}

const MESSAGE_AUTH = 2;
const MESSAGE_EVENT = 100;

export class CollabSession {
	status = $state<Status>('connecting');
	failure = $state<Failure | null>(null);
	/** Local changes made while not live: kept in the Yjs document, merged when the connection returns. */
	pending = $state(0);
	/** The server could not save (its database is away): changes stay here until it can. */
	savingPaused = $state(false);
	peers = $state<Peer[]>([]);
	/** Set when the server refuses changes (read-only, locked). */
	denied = $state<string | null>(null);
	/** Bumped on every editor transaction, so toolbars re-read what is active. */
	tick = $state(0);
	readonly doc = new Y.Doc();
	readonly provider: WebsocketProvider;
	readonly editor: Editor;
	private everSynced = false;
	private failedAttempts = 0;
	private readonly cleanup: (() => void)[] = [];

	constructor(private readonly options: SessionOptions) {
		const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
		this.provider = new WebsocketProvider(`${scheme}://${location.host}/collab`, options.documentId, this.doc, {
			params: { events: '1' },
			// Other tabs of this browser sync through the server like everyone else.
			disableBc: true,
			maxBackoffTime: 5000
		});
		this.provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
			decoding.readVarUint(decoder);
			const reason = decoding.readVarString(decoder);
			// 'locking' is passing (a lock is being taken); the 'locked' event follows if it succeeds.
			if (reason !== 'locking') {
				this.denied = reason;
				this.setEditable(false);
			}
		};
		this.provider.messageHandlers[MESSAGE_EVENT] = (_encoder, decoder) => {
			try {
				this.options.onServerEvent(JSON.parse(decoding.readVarString(decoder)) as ServerEvent);
			} catch {
				/* an event this version does not know */
			}
		};
		this.watchConnection();

		this.editor = new Editor({
			element: options.element,
			editable: options.editable,
			extensions: [
				...contentExtensions({ editable: true }),
				Collaboration.configure({ document: this.doc, field: FRAGMENT }),
				CollaborationCaret.configure({ provider: this.provider, user: { name: options.user.name, color: options.user.color } }),
				Placeholder.configure({ placeholder: options.placeholder }),
				CommentAnchors.configure({ anchors: options.anchors, activeId: options.activeAnchor, onClick: options.onAnchorClick })
			],
			editorProps: { attributes: { class: 'doc-content', 'aria-multiline': 'true', role: 'textbox' } },
			onTransaction: () => {
				this.tick++;
			}
		});
	}

	private watchConnection(): void {
		const provider = this.provider;
		const onStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }) => {
			if (status === 'connected') {
				this.failedAttempts = 0;
				if (!provider.synced) this.status = this.everSynced ? 'reconnecting' : 'connecting';
			} else if (!navigator.onLine) {
				this.status = 'offline';
			} else {
				this.status = this.everSynced ? 'reconnecting' : 'connecting';
			}
		};
		const onSync = (synced: boolean) => {
			if (!synced) return;
			this.everSynced = true;
			this.status = 'live';
			this.pending = 0;
			this.savingPaused = false;
			this.failure = null;
		};
		const onClose = (event: CloseEvent | null) => {
			if (!event) return;
			if (event.code === 4500) this.savingPaused = true;
			else if (event.code === 4401) this.failure = 'unauthorized';
			else if (event.code === 4403 || event.code === 4404) this.failure = 'forbidden';
			else if (event.code >= 4400 && event.code < 4500) this.failure = 'bad';
			else if (event.code === 1006 && ++this.failedAttempts === 3) void this.diagnose();
		};
		const onUpdate = (_update: Uint8Array, origin: unknown) => {
			if (origin !== provider && this.status !== 'live') this.pending++;
		};
		const onAwareness = () => this.readPeers();
		const onOnline = () => {
			if (this.status === 'offline') this.status = 'reconnecting';
		};
		const onOffline = () => {
			this.status = 'offline';
		};
		provider.on('status', onStatus);
		provider.on('sync', onSync);
		provider.on('connection-close', onClose);
		this.doc.on('update', onUpdate);
		provider.awareness.on('change', onAwareness);
		window.addEventListener('online', onOnline);
		window.addEventListener('offline', onOffline);
		this.cleanup.push(() => {
			window.removeEventListener('online', onOnline);
			window.removeEventListener('offline', onOffline);
		});
	}

	/**
	 * A refused upgrade reaches the browser as a bare 1006; ask the API why (signed out,
	 * no longer allowed, or the document cannot be loaded).
	 */
	private async diagnose(): Promise<void> {
		try {
			const res = await fetch(`/api/documents/${this.options.documentId}`, { headers: { accept: 'application/json' } });
			if (res.status === 401) this.failure = 'unauthorized';
			else if (res.status === 403 || res.status === 404) this.failure = 'forbidden';
			else this.failure = 'unavailable';
			if (this.failure !== 'unavailable') this.provider.disconnect();
		} catch {
			/* offline: the status says so */
		}
	}

	private readPeers(): void {
		// A plain local map, not reactive state: the list it produces is assigned to `peers`.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		const seen = new Map<string, Peer>();
		for (const [clientId, state] of this.provider.awareness.getStates()) {
			const user = (state as { user?: { id?: string; name?: string; color?: string } }).user;
			const self = clientId === this.doc.clientID;
			const userId = self ? this.options.user.id : user?.id;
			if (!userId) continue;
			if (seen.has(userId) && !self) continue;
			seen.set(userId, {
				clientId,
				userId,
				name: self ? this.options.user.name : (user?.name ?? '?'),
				color: self ? this.options.user.color : (user?.color ?? '#64748b'),
				self
			});
		}
		this.peers = [...seen.values()].sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name, 'zh-CN'));
	}

	setEditable(editable: boolean): void {
		if (this.editor.isEditable !== editable) this.editor.setEditable(editable);
	}

	refreshAnchors(): void {
		refreshAnchors(this.editor);
	}

	destroy(): void {
		for (const f of this.cleanup) f();
		this.editor.destroy();
		this.provider.destroy();
		this.doc.destroy();
	}
}
