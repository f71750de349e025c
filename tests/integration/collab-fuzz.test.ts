// The collaboration server over real sockets, fed the fuzzer's messages by a signed-in editor
// with a raw WebSocket: every connection it closes is closed cleanly (a 44xx code, or 1009
// for an oversized frame), the process never fails, and an honest editor on the same document
// keeps editing and saving throughout; the stored document stays in the editor's schema.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { users } from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { connectClient, paraText, rawConnect, sessionCookie, startInProcess, synced, typeInto, waitFor, type InProcessServer } from '../helpers/collab';
import { messages } from '../helpers/collab-fuzz';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { insertDocument } from '../../src/lib/server/documents';
import { blankTemplate } from '../../src/lib/server/documents/templates';
import { loadDoc } from '../../src/lib/server/collab/persistence';
import { vocabularyProblem } from '../../src/lib/server/documents/shape';
import { rows } from '../../src/lib/server/db';

const RUNS = Number(process.env.FUZZ_WIRE_RUNS ?? 150);
let t: TestDatabase;
let srv: InProcessServer;
const cookies: Record<string, string> = {};
let planning: string;
let plannerId: string;

beforeAll(async () => {
	t = await createTestDatabase();
	await seedDemo(t.db);
	const ids: Record<string, string> = {};
	for (const u of await t.db.select({ id: users.id, username: users.username }).from(users)) ids[u.username] = u.id;
	plannerId = ids.planner;
	for (const name of ['planner', 'zhouxiaoyan']) cookies[name] = await sessionCookie(t.db, ids[name]);
	[{ id: planning }] = await rows<{ id: string }>(t.db, sql`SELECT id FROM divisions WHERE code = 'planning'`);
	srv = await startInProcess({ collab: { maxMessageBytes: 64 * 1024 } });
});

afterAll(async () => {
	await srv?.close();
	await t?.drop();
});

describe('random messages over the wire', () => {
	it('close only their sender, cleanly; the honest editor keeps saving', async () => {
		const id = await t.db.transaction((tx) =>
			insertDocument(tx, { title: '线上模糊测试', kind: 'notes', owner: { kind: 'division', id: planning }, content: blankTemplate('线上模糊测试'), createdBy: plannerId })
		);
		const honest = connectClient(srv.url, id, { cookie: cookies.planner });
		await synced(honest);
		const url = `${srv.url.replace('http', 'ws')}/collab/${id}`;
		let cases = 0;
		let closedByServer = 0;
		try {
			await fc.assert(
				fc.asyncProperty(fc.array(messages, { minLength: 1, maxLength: 3 }), async (list) => {
					cases++;
					const raw = await rawConnect(url, { cookie: cookies.zhouxiaoyan });
					if (!('ws' in raw)) throw new Error(`upgrade refused: ${raw.status}`);
					for (const m of list) raw.ws.send(m);
					const outcome = await Promise.race([raw.closed, new Promise<null>((r) => setTimeout(() => r(null), 150))]);
					if (outcome) {
						closedByServer++;
						expect(outcome.code === 1009 || (outcome.code >= 4400 && outcome.code < 4500)).toBe(true);
					} else {
						raw.ws.close();
						await raw.closed;
					}
					// The honest editor types between attacks and stays connected.
					typeInto(honest.doc, paraText(honest.doc).length, '字');
					expect(honest.provider.wsconnected).toBe(true);
				}),
				{ numRuns: RUNS }
			);
			const expected = '字'.repeat(cases);
			await waitFor(() => paraText(honest.doc) === expected);
			const later = connectClient(srv.url, id, { cookie: cookies.zhouxiaoyan });
			try {
				await synced(later);
				await waitFor(() => later.text().includes(expected));
			} finally {
				later.destroy();
			}
			const deadline = Date.now() + 5000;
			let stored = await loadDoc(t.db, id);
			while (!paraText(stored.doc).includes(expected) && Date.now() < deadline) {
				await new Promise((r) => setTimeout(r, 50));
				stored = await loadDoc(t.db, id);
			}
			expect(paraText(stored.doc)).toContain(expected);
			expect(vocabularyProblem(stored.doc)).toBeNull();
			expect(closedByServer).toBeGreaterThan(cases / 2);
			console.log(`[fuzz] collaboration server over the wire: ${cases} connections, ${closedByServer} closed by the server with a 44xx/1009 code`);
		} finally {
			honest.destroy();
		}
	});
});
