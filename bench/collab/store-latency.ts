// Diagnostic: the append latency of the group-committing store alone against Postgres, i.e.
// the floor that committing before broadcasting puts under the server's edit latency.
//   DATABASE_URL=postgres://… npx tsx bench/collab/store-latency.ts [appends per second] [concurrent writes]
import * as Y from 'yjs';
import { createPostgresDatabase } from '../../tests/helpers/db';
import { migrate, openDatabase } from '../../src/lib/server/db';
import { UpdateStore } from '../../src/lib/server/collab/persistence';
import { sql } from 'drizzle-orm';
import { percentile } from './lib';
import { addTextParagraph } from './content';

const created = await createPostgresDatabase('pr_store');
const db = await openDatabase({ databaseUrl: created.url, max: 10 });
await migrate(db);
const [{ id: div }] = (await db.db.execute(sql`INSERT INTO divisions (code, name, name_en) VALUES ('b', 'b', 'b') RETURNING id`)) as unknown as { id: string }[];
const ids: string[] = [];
for (let i = 0; i < 200; i++) {
	const [{ id }] = (await db.db.execute(sql`INSERT INTO documents (title, kind, owner_kind, division_id) VALUES ('x', 'notes', 'division', ${div}) RETURNING id`)) as unknown as { id: string }[];
	ids.push(id);
}
const store = new UpdateStore(() => db.db, { concurrency: Number(process.argv[3] ?? 4) });
const docs = ids.map(() => new Y.Doc());
// The editor's shape (content.ts), as the server stores it; the store itself does not look.
const texts = docs.map((d) => addTextParagraph(d));
const lat: number[] = [];
const rate = Number(process.argv[2] ?? 1600);
const until = Date.now() + 8000;
const started = performance.now();
let sent = 0;
while (Date.now() < until) {
	const k = Math.floor(Math.random() * ids.length);
	let u: Uint8Array = new Uint8Array();
	docs[k].once('update', (x: Uint8Array) => (u = x));
	texts[k].insert(0, 'abc');
	const t = performance.now();
	store.append(ids[k], u).then(() => {
		lat.push(performance.now() - t);
	});
	// Paced by the clock, not by setTimeout (which cannot wait less than a millisecond).
	const next = started + (++sent * 1000) / rate;
	while (performance.now() < next) await new Promise((r) => setImmediate(r));
}
await store.close();
lat.sort((a, b) => a - b);
console.log({ appendsPerSec: Math.round(lat.length / 8), n: lat.length, p50: percentile(lat, 50).toFixed(2), p90: percentile(lat, 90).toFixed(2), p99: percentile(lat, 99).toFixed(2), max: lat.at(-1)!.toFixed(2) });
await db.close();
await created.drop();
