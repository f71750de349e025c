// Collaboration clients for tests: the real y-websocket WebsocketProvider in Node (ws as its
// WebSocket, the session cookie in the upgrade request), raw WebSocket clients for sending
// malformed input, and an in-process collaboration server on the test database.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as Y from 'yjs';
import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import { createUpgradeRouter } from '../../src/lib/server/realtime/upgrade';
import { startCollab, stopCollab, type CollabOptions, type CollabServer, type Relay } from '../../src/lib/server/collab';
import { documentCollabHooks } from '../../src/lib/server/documents/collab';
import { createSession } from '../../src/lib/server/auth/session';
import { principalFromCookieHeader } from '../../src/lib/server/auth/connection';
import type { Principal } from '../../src/lib/server/auth/principal';
import { db, type DbOrTx } from '../../src/lib/server/db';

/**
 * The editor keeps text in paragraphs of the XmlFragment "default"; the server refuses
 * anything else. Tests type and read plain text there: the paragraphs' text, concatenated.
 */
function segments(doc: Y.Doc): Y.XmlText[] {
	const out: Y.XmlText[] = [];
	for (const block of doc.getXmlFragment('default').toArray()) {
		if (!(block instanceof Y.XmlElement) || block.nodeName !== 'paragraph') continue;
		for (const child of block.toArray()) if (child instanceof Y.XmlText) out.push(child);
	}
	return out;
}

export function paraText(doc: Y.Doc): string {
	return segments(doc)
		.map((t) => t.toString())
		.join('');
}

/** Inserts plain text at a position of paraText (creating a paragraph or its text if there is none). */
export function typeInto(doc: Y.Doc, at: number, text: string): void {
	doc.transact(() => {
		let parts = segments(doc);
		if (parts.length === 0) {
			const fragment = doc.getXmlFragment('default');
			let paragraph = fragment.toArray().find((b) => b instanceof Y.XmlElement && b.nodeName === 'paragraph') as Y.XmlElement | undefined;
			if (!paragraph) {
				paragraph = new Y.XmlElement('paragraph');
				fragment.insert(fragment.length, [paragraph]);
			}
			paragraph.insert(paragraph.length, [new Y.XmlText()]);
			parts = segments(doc);
		}
		let offset = Math.max(0, at);
		for (const [i, part] of parts.entries()) {
			if (offset <= part.length || i === parts.length - 1) {
				part.insert(Math.min(offset, part.length), text);
				return;
			}
			offset -= part.length;
		}
	});
}

/** Deletes up to `length` characters of paraText from `at` (within one paragraph's text). */
export function deleteFrom(doc: Y.Doc, at: number, length: number): void {
	let offset = at;
	for (const part of segments(doc)) {
		if (offset < part.length) {
			part.delete(offset, Math.min(length, part.length - offset));
			return;
		}
		offset -= part.length;
	}
}

/** A WebSocket class that sends the given headers (cookie, origin) with its upgrade. */
export function socketWith(headers: Record<string, string>): typeof WebSocket {
	return class extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, { headers });
		}
	} as unknown as typeof WebSocket;
}

export interface Client {
	doc: Y.Doc;
	provider: WebsocketProvider;
	/** Close events the provider saw. */
	closes: { code: number; reason: string }[];
	/** Permission-denied reasons received. */
	denied: string[];
	/** Panelroom document events received (with events: true). */
	events: Record<string, unknown>[];
	text(): string;
	destroy(): void;
}

export interface ClientOptions {
	cookie?: string;
	origin?: string;
	connect?: boolean;
	events?: boolean;
	doc?: Y.Doc;
}

export function connectClient(baseUrl: string, documentId: string, options: ClientOptions = {}): Client {
	const doc = options.doc ?? new Y.Doc();
	const headers: Record<string, string> = {};
	if (options.cookie) headers.cookie = options.cookie;
	if (options.origin) headers.origin = options.origin;
	const provider = new WebsocketProvider(baseUrl.replace(/^http/, 'ws') + '/collab', documentId, doc, {
		WebSocketPolyfill: socketWith(headers) as unknown as typeof globalThis.WebSocket,
		// Node has BroadcastChannel: without this, clients in one process would sync past the server.
		disableBc: true,
		connect: options.connect ?? true,
		params: options.events ? { events: '1' } : {},
		maxBackoffTime: 300
	});
	const client: Client = {
		doc,
		provider,
		closes: [],
		denied: [],
		events: [],
		text: () => paraText(doc),
		destroy: () => {
			provider.destroy();
			doc.destroy();
		}
	};
	provider.on('connection-close', (e) => {
		if (e) client.closes.push({ code: e.code, reason: e.reason });
	});
	provider.messageHandlers[2] = (_enc, decoder) => {
		// messageAuth: permission denied (0), with its reason.
		decoding.readVarUint(decoder);
		client.denied.push(decoding.readVarString(decoder));
	};
	provider.messageHandlers[100] = (_enc, decoder) => {
		client.events.push(JSON.parse(decoding.readVarString(decoder)));
	};
	return client;
}

/** Resolves once the provider has synced with the server. */
export function synced(client: Client, timeoutMs = 10_000): Promise<void> {
	if (client.provider.synced) return Promise.resolve();
	return waitFor(() => client.provider.synced, timeoutMs, 'sync');
}

export async function waitFor(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 10));
	}
}

/** The outcome of a raw upgrade: the HTTP status when refused, or the open socket. */
export function rawConnect(
	url: string,
	headers: Record<string, string> = {}
): Promise<{ status: number; body: string } | { ws: WebSocket; messages: Uint8Array[]; closed: Promise<{ code: number; reason: string }> }> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(url, { headers });
		const messages: Uint8Array[] = [];
		let resolveClosed: (v: { code: number; reason: string }) => void;
		const closed = new Promise<{ code: number; reason: string }>((r) => (resolveClosed = r));
		ws.on('message', (data: Buffer) => messages.push(new Uint8Array(data)));
		ws.on('close', (code, reason) => resolveClosed({ code, reason: reason.toString() }));
		ws.on('unexpected-response', (_req, res) => {
			let body = '';
			res.on('data', (d) => (body += d));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
		});
		ws.on('open', () => resolve({ ws, messages, closed }));
		ws.on('error', (err) => {
			if (!/Unexpected server response/.test(err.message)) reject(err);
		});
	});
}

/** Signs a user in without HTTP: returns the Cookie header a browser would send. */
export async function sessionCookie(db: DbOrTx, userId: string): Promise<string> {
	const { token } = await createSession(db, userId, { ip: '127.0.0.1', userAgent: 'vitest' });
	return `panelroom_session=${token}`;
}

export interface InProcessServer {
	url: string;
	collab: CollabServer<Principal>;
	close(): Promise<void>;
}

/**
 * An HTTP server with only the collaboration endpoint, on the installed test database: the
 * engine with the documents domain's hooks, authenticated as start-up does.
 */
export async function startInProcess(options: { collab?: Partial<CollabOptions>; relay?: Relay } = {}): Promise<InProcessServer> {
	const server = http.createServer((_req, res) => {
		res.statusCode = 404;
		res.end();
	});
	const router = createUpgradeRouter(server, { dev: false });
	const collab = await startCollab(documentCollabHooks(db), {
		authenticate: (req) => principalFromCookieHeader(db(), req.headers.cookie),
		options: options.collab,
		relay: options.relay
	});
	router.register('/collab/', collab.handleUpgrade);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		collab,
		async close() {
			await stopCollab(collab);
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
}
