// Property-based tests of the y-websocket message reader: random bytes, truncated varints,
// huge lengths, valid messages cut short or followed by garbage. The reader only ever returns
// a message or throws ProtocolError with a close code. (What a document does with what it
// reads, under the documents domain's hooks, is in documents/collab.spec.ts.) Each property
// prints how many cases ran.
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CloseCode, ProtocolError, readClientMessage } from './protocol';
import { messages } from '../../../../tests/helpers/collab-fuzz';

const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const counts: Record<string, number> = {};
afterAll(() => {
	const total = Object.values(counts).reduce((a, b) => a + b, 0);
	console.log(`[fuzz] y-websocket reader: ${total} cases`, counts);
});

const READER_CODES = new Set<number>([CloseCode.malformed, CloseCode.unknownType, CloseCode.badUpdate]);

describe('the y-websocket message reader', () => {
	it('returns a message or refuses with a close code, quickly and without allocating for declared lengths', () => {
		let n = 0;
		fc.assert(
			fc.property(messages, (buf) => {
				n++;
				const started = performance.now();
				const heap = process.memoryUsage().arrayBuffers;
				try {
					const m = readClientMessage(buf);
					expect(['syncStep1', 'update', 'awareness', 'queryAwareness']).toContain(m.type);
				} catch (err) {
					expect(err).toBeInstanceOf(ProtocolError);
					expect(READER_CODES.has((err as ProtocolError).code)).toBe(true);
				}
				expect(performance.now() - started).toBeLessThan(250);
				// A declared length never turns into an allocation: nothing near it is ever made.
				expect(process.memoryUsage().arrayBuffers - heap).toBeLessThan(16 * 1024 * 1024);
			}),
			{ numRuns: RUNS }
		);
		counts.reader = n;
	});
});
