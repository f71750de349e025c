// Property-based tests of a loaded document (the Yjs engine's DocumentRoom) under the documents
// domain's hooks, receiving random messages (tests/helpers/collab-fuzz: random bytes, valid
// messages cut short, well-formed updates of random, often hostile, documents): it never
// throws, closes the sender with a 44xx code or accepts, and what it accepts is always in the
// editor's schema. (The reader alone is in collab/protocol.spec.ts.) Each property prints how
// many cases ran.
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import type { WebSocket } from 'ws';
import { CloseCode } from '../collab/protocol';
import { Connection } from '../collab/connection';
import { DocumentRoom, type RoomContext } from '../collab/room';
import { DEFAULT_OPTIONS } from '../collab/server';
import type { UpdateStore } from '../collab/persistence';
import type { Relay } from '../collab/relay';
import type { Logger } from '../log';
import type { Principal } from '../auth/principal';
import { documentCollabHooks } from './collab';
import { vocabularyProblem } from './shape';
import { base, messages, op, perform, syncMessage } from '../../../../tests/helpers/collab-fuzz';

const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const counts: Record<string, number> = {};
afterAll(() => {
	const total = Object.values(counts).reduce((a, b) => a + b, 0);
	console.log(`[fuzz] document receiving messages: ${total} cases`, counts);
});

// ---------- a document with a fake socket and a store that never commits ----------

const silent: Logger = { child: () => silent, warn: () => {}, error: () => {}, debug: () => {}, info: () => {} } as unknown as Logger;

const noDatabase = () => {
	throw new Error('no database in this test');
};
const hooks = documentCollabHooks(noDatabase);

function room(): DocumentRoom<Principal> {
	const ctx: RoomContext<Principal> = {
		db: noDatabase,
		store: { schedule: () => {} } as unknown as UpdateStore,
		relay: { shared: false } as Relay,
		hooks,
		log: silent,
		options: DEFAULT_OPTIONS,
		onIdle: () => {}
	};
	const r = new DocumentRoom<Principal>('00000000-0000-4000-8000-000000000000', ctx);
	Y.applyUpdate(r.doc, base);
	return r;
}

function connection(r: DocumentRoom<Principal>): { conn: Connection<Principal>; closes: { code: number; reason: string }[] } {
	const closes: { code: number; reason: string }[] = [];
	const ws = { readyState: 1, OPEN: 1, bufferedAmount: 0, send: () => {}, close: (code: number, reason: string) => closes.push({ code, reason }), terminate: () => {} };
	const principal = { user: { id: 'u', name: '测试', color: '#123456', username: 'u' }, sessionId: 's' } as unknown as Principal;
	const conn = new Connection(ws as unknown as WebSocket, principal, hooks.identify(principal), 'edit', false, silent, { maxBufferedBytes: 1 << 20 }, r.isLocked);
	return { conn, closes };
}

describe('a document receiving them', () => {
	it('never throws; it closes the sender with a 44xx code or accepts, and accepts only what fits the schema', () => {
		let n = 0;
		fc.assert(
			fc.property(fc.array(messages, { minLength: 1, maxLength: 4 }), (list) => {
				n++;
				const r = room();
				const { conn, closes } = connection(r);
				for (const buf of list) {
					expect(() => r.receive(conn, buf)).not.toThrow();
					if (conn.closed) break;
				}
				for (const c of closes) expect(c.code >= 4400 && c.code < 4500).toBe(true);
				// What was accepted (handed to the store) is what the document will become.
				const accepted = r.take();
				const next = new Y.Doc();
				Y.applyUpdate(next, base);
				for (const u of accepted) Y.applyUpdate(next, u);
				expect(vocabularyProblem(next)).toBeNull();
				r.destroy();
			}),
			{ numRuns: Math.ceil(RUNS / 2) }
		);
		counts.document = n;
	});

	it('refuses an update exactly when the whole-document check would find a break (incremental ≡ full)', () => {
		let n = 0;
		let refused = 0;
		fc.assert(
			fc.property(fc.array(fc.array(op, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }), (batches) => {
				n++;
				const r = room();
				const { conn, closes } = connection(r);
				const author = new Y.Doc();
				Y.applyUpdate(author, base);
				const accepted = new Y.Doc();
				Y.applyUpdate(accepted, base);
				for (const batch of batches) {
					const sv = Y.encodeStateVector(author);
					for (const o of batch) perform(author, o);
					const update = Y.encodeStateAsUpdate(author, sv);
					const after = new Y.Doc();
					Y.applyUpdate(after, Y.encodeStateAsUpdate(accepted));
					Y.applyUpdate(after, update);
					const broken = vocabularyProblem(after) !== null;
					r.receive(conn, syncMessage(2, update));
					expect(conn.closed).toBe(broken);
					if (broken) {
						expect(closes[0].code).toBe(CloseCode.badShape);
						refused++;
						break;
					}
					Y.applyUpdate(accepted, update);
				}
				r.destroy();
			}),
			{ numRuns: Math.ceil(RUNS / 2) }
		);
		counts.equivalence = n;
		// The generator makes hostile updates often enough for the property to mean something.
		expect(refused).toBeGreaterThan(n / 10);
		expect(refused).toBeLessThan(n);
	});
});
