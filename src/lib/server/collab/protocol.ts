// The y-websocket wire protocol as the server speaks it: message types, the close codes it
// uses, encoders for what it sends, and a strict reader for what clients send. Reading never
// touches a document: it only parses and validates, so a bad message is refused before any
// of it reaches the shared document or the database.
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as authProtocol from 'y-protocols/auth';

export const messageSync = 0;
export const messageAwareness = 1;
export const messageAuth = 2;
export const messageQueryAwareness = 3;
/**
 * Panelroom's own addition: JSON notices about the document (access, lock, comments,
 * versions). Sent only to connections that ask for them with `?events=1`, so an unmodified
 * y-websocket client never receives a type it does not know.
 */
export const messageDocumentEvent = 100;

export const syncStep1 = 0;
export const syncStep2 = 1;
export const syncUpdate = 2;

/**
 * Close codes. 4400–4499 tell y-websocket's provider not to reconnect (the same request would
 * fail again); anything else, 4500 included, makes it reconnect and re-sync.
 */
export const CloseCode = {
	/** Shutdown or restart: reconnect. */
	goingAway: 1001,
	/** ws closes with this itself when a frame exceeds maxPayload. */
	tooBig: 1009,
	malformed: 4400,
	unauthorized: 4401,
	forbidden: 4403,
	notFound: 4404,
	unknownType: 4405,
	badUpdate: 4422,
	/** The update decodes, but what it makes of the document is not what the editor's schema allows. */
	badShape: 4423,
	/** A transient server problem (database write failed): reconnect and re-sync. */
	retry: 4500,
	/** The client does not keep up with what it is sent. */
	slowConsumer: 4508
} as const;

/** A client message the server refuses: the connection is closed with `code`. */
export class ProtocolError extends Error {
	constructor(
		readonly code: number,
		message: string
	) {
		super(message);
	}
}

export type ClientMessage =
	| { type: 'syncStep1'; stateVector: Uint8Array }
	| { type: 'update'; update: Uint8Array; step2: boolean }
	| { type: 'awareness'; entries: AwarenessEntry[] }
	| { type: 'queryAwareness' };

export interface AwarenessEntry {
	clientId: number;
	clock: number;
	state: Record<string, unknown> | null;
}

/**
 * Parses one message from a client, or throws ProtocolError. Updates are decoded in full so
 * that a truncated or corrupt one never gets further; a message must be exactly one message.
 */
export function readClientMessage(buf: Uint8Array): ClientMessage {
	const decoder = decoding.createDecoder(buf);
	let message: ClientMessage;
	try {
		const type = decoding.readVarUint(decoder);
		switch (type) {
			case messageSync: {
				const step = decoding.readVarUint(decoder);
				const payload = decoding.readVarUint8Array(decoder);
				if (step === syncStep1) {
					message = { type: 'syncStep1', stateVector: payload };
				} else if (step === syncStep2 || step === syncUpdate) {
					message = { type: 'update', update: payload, step2: step === syncStep2 };
				} else {
					throw new ProtocolError(CloseCode.unknownType, `unknown sync message type ${step}`);
				}
				break;
			}
			case messageAwareness:
				message = { type: 'awareness', entries: readAwarenessUpdate(decoding.readVarUint8Array(decoder)) };
				break;
			case messageQueryAwareness:
				message = { type: 'queryAwareness' };
				break;
			default:
				throw new ProtocolError(CloseCode.unknownType, `unknown message type ${type}`);
		}
	} catch (err) {
		if (err instanceof ProtocolError) throw err;
		throw new ProtocolError(CloseCode.malformed, `malformed message: ${(err as Error).message}`);
	}
	if (decoder.pos !== buf.length) throw new ProtocolError(CloseCode.malformed, 'malformed message: trailing bytes');
	if (message.type === 'syncStep1') validateStateVector(message.stateVector);
	if (message.type === 'update') validateUpdate(message.update);
	return message;
}

function validateStateVector(sv: Uint8Array): void {
	try {
		Y.decodeStateVector(sv);
	} catch (err) {
		throw new ProtocolError(CloseCode.malformed, `malformed state vector: ${(err as Error).message}`);
	}
}

/** Throws unless Yjs can decode the whole update. */
export function validateUpdate(update: Uint8Array): void {
	try {
		Y.decodeUpdate(update);
	} catch (err) {
		throw new ProtocolError(CloseCode.badUpdate, `update cannot be decoded: ${(err as Error).message}`);
	}
}

function readAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
	const decoder = decoding.createDecoder(update);
	const count = decoding.readVarUint(decoder);
	if (count > 64) throw new ProtocolError(CloseCode.malformed, 'too many awareness states in one message');
	const entries: AwarenessEntry[] = [];
	for (let i = 0; i < count; i++) {
		const clientId = decoding.readVarUint(decoder);
		const clock = decoding.readVarUint(decoder);
		const json = decoding.readVarString(decoder);
		let state: unknown;
		try {
			state = JSON.parse(json);
		} catch {
			throw new ProtocolError(CloseCode.malformed, 'awareness state is not JSON');
		}
		if (state !== null && (typeof state !== 'object' || Array.isArray(state))) {
			throw new ProtocolError(CloseCode.malformed, 'awareness state is not an object');
		}
		entries.push({ clientId, clock, state: state as Record<string, unknown> | null });
	}
	if (decoder.pos !== update.length) throw new ProtocolError(CloseCode.malformed, 'malformed awareness update: trailing bytes');
	return entries;
}

export function encodeAwarenessEntries(entries: AwarenessEntry[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, entries.length);
	for (const e of entries) {
		encoding.writeVarUint(encoder, e.clientId);
		encoding.writeVarUint(encoder, e.clock);
		encoding.writeVarString(encoder, JSON.stringify(e.state));
	}
	return encoding.toUint8Array(encoder);
}

export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, messageSync);
	encoding.writeVarUint(encoder, syncStep1);
	encoding.writeVarUint8Array(encoder, Y.encodeStateVector(doc));
	return encoding.toUint8Array(encoder);
}

export function encodeSyncStep2(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, messageSync);
	encoding.writeVarUint(encoder, syncStep2);
	encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(doc, stateVector));
	return encoding.toUint8Array(encoder);
}

export function encodeUpdateMessage(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, messageSync);
	encoding.writeVarUint(encoder, syncUpdate);
	encoding.writeVarUint8Array(encoder, update);
	return encoding.toUint8Array(encoder);
}

export function encodeAwarenessMessage(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, messageAwareness);
	encoding.writeVarUint8Array(encoder, update);
	return encoding.toUint8Array(encoder);
}

/** y-protocols' "permission denied": the provider reports it; Panelroom's editor turns read-only. */
export function encodePermissionDenied(reason: string): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, messageAuth);
	authProtocol.writePermissionDenied(encoder, reason);
	return encoding.toUint8Array(encoder);
}

export function encodeDocumentEvent(event: object): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, messageDocumentEvent);
	encoding.writeVarString(encoder, JSON.stringify(event));
	return encoding.toUint8Array(encoder);
}

/** True when an update carries nothing (no structs, empty delete set). */
export function isEmptyUpdate(update: Uint8Array): boolean {
	return update.length === 2 && update[0] === 0 && update[1] === 0;
}
