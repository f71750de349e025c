// The collaboration benchmark: Panelroom's server (persisting every update to Postgres)
// against the reference @y/websocket-server 0.1.1 (in memory), on the same load, in one run:
//   - 1 document × 50 clients and 200 documents × 2 clients editing at a fixed rate:
//     edits per second completed, p50/p99 time from an edit to its arrival at every other
//     client (and per delivery), server memory;
//   - real editing traces replayed through real clients: seph-blog1 by one author, and the
//     two-author friendsforever session by two clients; every client and (for Panelroom) the
//     reloaded database must end with the trace's endContent;
//   - loading a document of 100,000 updates before and after compaction.
//
// Needs `npm run build`; on Postgres, DATABASE_URL (a database is created there and dropped):
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/collab/run.ts [--quick]
//   npx tsx bench/collab/run.ts [--quick]     # Panelroom on PGlite
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import * as Y from 'yjs';
import { sql } from 'drizzle-orm';
import { documentUpdates } from '../../db/schema';
import { createPostgresDatabase } from '../../tests/helpers/db';
import { openDatabase, type Database } from '../../src/lib/server/db';
import { compactDocument, loadDoc } from '../../src/lib/server/collab/persistence';
import { allSynced, connect, login, percentile, root, sampleMemory, startPanelroom, startReference, until, type BenchClient, type ServerProcess } from './lib';
import { ConcurrentReplay, loadTrace, patcher } from './traces';
import { addTextParagraph, appendMarker, FRAGMENT, lastParagraphString, lastParagraphText, observeMarkers } from './content';

const quick = process.argv.includes('--quick');
// Diagnostics: --load-only runs the two load scenarios and nothing else.
const loadOnly = process.argv.includes('--load-only');
// Every y-websocket provider in Node adds a process 'exit' listener.
process.setMaxListeners(0);
// With DATABASE_URL, Panelroom runs on a database of its own on that Postgres server; without,
// on PGlite in a temporary folder (the database checks then wait until the server has stopped:
// PGlite is one process's).
const base = process.env.DATABASE_URL;

interface LoadResult {
	server: string;
	clients: number;
	documents: number;
	offeredPerSec: number;
	editsPerSec: number;
	completed: number;
	sent: number;
	p50: number;
	p99: number;
	deliveryP50: number;
	deliveryP99: number;
	peakMiB: number;
	endMiB: number;
	/** CPU the benchmark's own clients used during the measurement, in cores (of the machine's). */
	driverCores: number;
}

function rng(seed: number): () => number {
	return () => {
		seed = (seed * 1103515245 + 12345) & 0x7fffffff;
		return seed / 0x7fffffff;
	};
}

/**
 * Every client edits its document `rate` times a second for warm-up + measurement. Each edit
 * inserts text into the room's text paragraph and appends a marker paragraph holding its id in
 * the same transaction (content.ts: the editor's shape, which Panelroom's server requires); every
 * client watches the fragment and notes when each id arrives.
 */
async function runLoad(server: ServerProcess, rooms: string[], perRoom: number, rate: number, cookie: string | undefined, warmupMs: number, measureMs: number): Promise<LoadResult> {
	const stopMemory = sampleMemory(server);
	const clients: { c: BenchClient; room: number; index: number }[] = [];
	for (const [r, room] of rooms.entries()) for (let k = 0; k < perRoom; k++) clients.push({ c: connect(server.url, room, cookie), room: r, index: clients.length });
	await allSynced(clients.map((x) => x.c), 120_000);
	// One client per room adds the paragraph everybody types into; all wait until they have it.
	const texts = new Map<number, Y.XmlText>();
	const expected = new Map<number, number>();
	for (const { c, room } of clients) {
		if (expected.has(room)) continue;
		c.doc.transact(() => addTextParagraph(c.doc));
		expected.set(room, c.doc.getXmlFragment(FRAGMENT).length);
	}
	await until(() => clients.every(({ c, room }) => c.doc.getXmlFragment(FRAGMENT).length === expected.get(room)), 60_000, 'the text paragraph');
	for (const { c, index } of clients) texts.set(index, lastParagraphText(c.doc)!);

	const sent = new Map<string, { t: number; got: number; last: number }>();
	const deliveries: number[] = [];
	const completeLatencies: number[] = [];
	let measuring = false;
	for (const { c, index } of clients) {
		observeMarkers(c.doc, (id, now) => {
			if (id.startsWith(`${index}:`)) return;
			const s = sent.get(id);
			if (!s) return;
			deliveries.push(now - s.t);
			s.got++;
			s.last = now;
			if (s.got === perRoom - 1) completeLatencies.push(s.last - s.t);
		});
	}
	const random = rng(12345);
	let seq = 0;
	let sending = true;
	const timers = clients.map(({ c, index }) => {
		const text = texts.get(index)!;
		const tick = () => {
			if (!sending) return;
			const id = `${index}:${seq++}`;
			const at = Math.floor(random() * (text.length + 1));
			c.doc.transact(() => {
				if (text.length > 3000) text.delete(Math.floor(random() * 2900), 50);
				// After a delete, `at` may lie past the end: clamp it (Yjs would insert at the end anyway).
				text.insert(Math.min(at, text.length), '编辑' + String.fromCharCode(97 + (seq % 26)));
				appendMarker(c.doc, id);
			});
			if (measuring) sent.set(id, { t: performance.now(), got: 0, last: 0 });
		};
		// Spread the clients' ticks over the period instead of all at once.
		const first = setTimeout(() => {
			tick();
			interval = setInterval(tick, 1000 / rate);
		}, random() * (1000 / rate));
		let interval: NodeJS.Timeout | undefined;
		return () => {
			clearTimeout(first);
			if (interval) clearInterval(interval);
		};
	});
	await new Promise((r) => setTimeout(r, warmupMs));
	measuring = true;
	const started = performance.now();
	const cpu = process.cpuUsage();
	await new Promise((r) => setTimeout(r, measureMs));
	measuring = false;
	sending = false;
	const measured = performance.now() - started;
	const used = process.cpuUsage(cpu);
	for (const stop of timers) stop();
	// Let what was sent arrive (a slow server shows here as incomplete edits).
	await until(() => [...sent.values()].every((s) => s.got === perRoom - 1), 15_000, 'outstanding edits').catch(() => {});
	const memory = stopMemory();
	for (const { c } of clients) c.destroy();
	completeLatencies.sort((a, b) => a - b);
	deliveries.sort((a, b) => a - b);
	const completedInWindow = [...sent.values()].filter((s) => s.got === perRoom - 1).length;
	return {
		server: server.name,
		clients: clients.length,
		documents: rooms.length,
		offeredPerSec: clients.length * rate,
		editsPerSec: completedInWindow / (measured / 1000),
		completed: completedInWindow,
		sent: sent.size,
		p50: percentile(completeLatencies, 50),
		p99: percentile(completeLatencies, 99),
		deliveryP50: percentile(deliveries, 50),
		deliveryP99: percentile(deliveries, 99),
		peakMiB: memory.peakMiB,
		endMiB: memory.endMiB,
		driverCores: (used.user + used.system) / 1000 / measured
	};
}

interface TraceResult {
	server: string;
	trace: string;
	room: string;
	clients: number;
	txns: number;
	seconds: number;
	txnsPerSec: number;
	clientsMatch: boolean;
	/** The document reloaded from the database (Panelroom only), checked once the server has stopped. */
	databaseMatch: boolean | null;
	peakMiB: number;
	/** Times an author waited for the other's edits to arrive through the server. */
	waits?: number;
}

async function yieldNow(): Promise<void> {
	await new Promise((r) => setImmediate(r));
}

/** The benchmark's paragraph appended by `author`, once every client in `clients` has it. */
async function addTraceParagraph(author: BenchClient, clients: BenchClient[]): Promise<void> {
	author.doc.transact(() => addTextParagraph(author.doc));
	const length = author.doc.getXmlFragment(FRAGMENT).length;
	await until(() => clients.every((c) => c.doc.getXmlFragment(FRAGMENT).length === length && lastParagraphText(c.doc) !== null), 60_000, 'the trace paragraph');
}

/** The last paragraph's text equals `expected` (its length first: toString of a long text costs). */
function textIs(doc: Y.Doc, expected: string): boolean {
	const text = lastParagraphText(doc);
	return text !== null && text.length === expected.length && text.toString() === expected;
}

async function replaySequential(server: ServerProcess, room: string, cookie: string | undefined, name: string): Promise<TraceResult> {
	const trace = loadTrace(name);
	const apply = patcher(trace);
	const stopMemory = sampleMemory(server);
	const writer = connect(server.url, room, cookie);
	const observer = connect(server.url, room, cookie);
	await allSynced([writer, observer]);
	await addTraceParagraph(writer, [writer, observer]);
	const text = lastParagraphText(writer.doc)!;
	if (trace.startContent) text.insert(0, trace.startContent);
	const started = performance.now();
	for (const [i, txn] of trace.txns.entries()) {
		writer.doc.transact(() => apply(text, txn.patches));
		if (i % 200 === 199) await yieldNow();
	}
	await until(() => textIs(observer.doc, trace.endContent), 600_000, `${name} to arrive`);
	const seconds = (performance.now() - started) / 1000;
	const clientsMatch = textIs(writer.doc, trace.endContent) && textIs(observer.doc, trace.endContent);
	writer.destroy();
	observer.destroy();
	return { server: server.name, trace: name, room, clients: 2, txns: trace.txns.length, seconds, txnsPerSec: trace.txns.length / seconds, clientsMatch, databaseMatch: null, peakMiB: stopMemory().peakMiB };
}

async function replayConcurrent(server: ServerProcess, room: string, cookie: string | undefined, name: string): Promise<TraceResult> {
	const trace = loadTrace(name);
	const stopMemory = sampleMemory(server);
	const agents = Array.from({ length: trace.numAgents ?? 2 }, () => connect(server.url, room, cookie));
	await allSynced(agents);
	await addTraceParagraph(agents[0], agents);
	if (trace.startContent) agents[0].doc.transact(() => lastParagraphText(agents[0].doc)!.insert(0, trace.startContent!));
	await until(() => agents.every((a) => textIs(a.doc, trace.startContent ?? '')), 60_000, 'the start content');
	const replay = new ConcurrentReplay(
		trace,
		agents.map((_, i) => 900_000 + i),
		Y.encodeStateAsUpdate(agents[0].doc)
	);
	const started = performance.now();
	let n = 0;
	let waits = 0;
	while (!replay.done) {
		const { agent, update, needs } = replay.next();
		const doc = agents[agent].doc;
		// The author had seen the other's edits this one builds on: wait until the server brought them.
		if (![...needs].every(([client, clock]) => Y.getState(doc.store, client) >= clock)) {
			waits++;
			await new Promise<void>((resolve) => {
				const check = () => {
					if ([...needs].every(([client, clock]) => Y.getState(doc.store, client) >= clock)) {
						doc.off('update', check);
						resolve();
					}
				};
				doc.on('update', check);
			});
		}
		// The agent's own client sends it; the others get it through the server.
		Y.applyUpdate(doc, update);
		if (++n % 200 === 0) await yieldNow();
	}
	await until(() => agents.every((a) => textIs(a.doc, trace.endContent)), 600_000, `${name} to converge`);
	const seconds = (performance.now() - started) / 1000;
	for (const a of agents) a.destroy();
	return { server: server.name, trace: name, room, clients: agents.length, txns: trace.txns.length, seconds, txnsPerSec: trace.txns.length / seconds, clientsMatch: true, databaseMatch: null, peakMiB: stopMemory().peakMiB, waits };
}

/** Loads a document of 100,000 updates (seph-blog1's first transactions) before and after compaction. */
async function loadTimes(db: Database, documentId: string): Promise<{ updates: number; beforeMs: number; afterMs: number; stateBytes: number; compactMs: number }> {
	const trace = loadTrace('seph-blog1');
	const apply = patcher(trace);
	// Built on the document as created (its template's heading and paragraph), so the paragraph
	// appended here lands after them in the reloaded document too.
	const doc = new Y.Doc();
	const created = await loadDoc(db.db, documentId);
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(created.doc));
	created.doc.destroy();
	const firstSeq = created.seq + 1;
	const rows: { documentId: string; seq: number; data: Uint8Array }[] = [];
	doc.on('update', (u: Uint8Array) => rows.push({ documentId, seq: firstSeq + rows.length, data: u }));
	const count = quick ? 20_000 : 100_000;
	// The editor's shape, as the server would have stored it: the text in a paragraph of the fragment.
	doc.transact(() => addTextParagraph(doc));
	const text = lastParagraphText(doc)!;
	for (let i = 0; i < count; i++) doc.transact(() => apply(text, trace.txns[i].patches));
	for (let i = 0; i < rows.length; i += 5000) await db.db.insert(documentUpdates).values(rows.slice(i, i + 5000));
	await db.db.execute(sql`UPDATE documents SET update_seq = ${firstSeq - 1 + rows.length} WHERE id = ${documentId}`);
	const median = async (runs: number) => {
		const times: number[] = [];
		for (let r = 0; r < runs; r++) {
			const t = performance.now();
			const loaded = await loadDoc(db.db, documentId);
			times.push(performance.now() - t);
			if (lastParagraphString(loaded.doc) !== text.toString()) throw new Error('load mismatch');
			loaded.doc.destroy();
		}
		return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
	};
	const beforeMs = await median(3);
	const c0 = performance.now();
	const compaction = await compactDocument(db.db, documentId);
	const compactMs = performance.now() - c0;
	await median(2);
	const afterMs = await median(7);
	return { updates: rows.length, beforeMs, afterMs, stateBytes: compaction.bytes, compactMs };
}

async function createDocuments(server: ServerProcess, cookie: string, divisionId: string, n: number, prefix: string): Promise<string[]> {
	const ids: string[] = [];
	for (let i = 0; i < n; i += 10) {
		const batch = await Promise.all(
			Array.from({ length: Math.min(10, n - i) }, async (_, k) => {
				const res = await fetch(`${server.url}/api/documents`, {
					method: 'POST',
					headers: { cookie, 'content-type': 'application/json' },
					body: JSON.stringify({ title: `${prefix} ${i + k + 1}`, kind: 'notes', owner: { kind: 'division', id: divisionId }, template: 'blank' })
				});
				if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
				return ((await res.json()) as { id: string }).id;
			})
		);
		ids.push(...batch);
	}
	return ids;
}

const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '—');

async function main() {
	const created = base ? await createPostgresDatabase('pr_bench') : null;
	const dataDir = created ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'pr-bench-'));
	let ours: ServerProcess | undefined;
	let ref: ServerProcess | undefined;
	let db: Database | undefined;
	try {
		ours = await startPanelroom(created?.url, dataDir);
		ref = await startReference();
		console.log(`Panelroom on ${created ? 'Postgres' : 'PGlite'}; load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
		const cookie = await login(ours.url, 'planner');
		const list = (await (await fetch(`${ours.url}/api/documents`, { headers: { cookie } })).json()) as { documents: { owner: { kind: string; id: string } }[] };
		const divisionId = list.documents.find((d) => d.owner.kind === 'division')!.owner.id;

		const warmup = quick ? 1000 : 3000;
		const measure = quick ? 4000 : 12_000;
		const scenarios = [
			// 100 edits/s into one document is 4,900 deliveries/s, which the benchmark's own clients
			// (one process, on a machine of two cores with other work on it) can still take in.
			{ name: '1 document × 50 clients', documents: 1, perRoom: 50, rate: 2 },
			{ name: '200 documents × 2 clients', documents: 200, perRoom: 2, rate: 4 }
		];
		// The machine is shared (2 cores, other processes): every scenario runs in several rounds,
		// the two servers alternating which goes first, and the medians are reported.
		const rounds = quick ? 1 : 3;
		const load: (LoadResult & { scenario: string; round: number; loadAverage: number })[] = [];
		for (const s of scenarios) {
			for (let round = 1; round <= rounds; round++) {
				const ourRooms = await createDocuments(ours, cookie, divisionId, s.documents, `${s.name} #${round}`);
				const refRooms = ourRooms.map((id) => `ref-${id}`);
				const order: [ServerProcess, string[], string | undefined][] = [
					[ref, refRooms, undefined],
					[ours, ourRooms, cookie]
				];
				for (const [server, rooms, auth] of round % 2 ? order : [...order].reverse()) {
					const loadAverage = os.loadavg()[0];
					const r = await runLoad(server, rooms, s.perRoom, s.rate, auth, warmup, measure);
					load.push({ scenario: s.name, round, loadAverage, ...r });
					// Panelroom unloads idle documents 30 s after their last client (compacting them):
					// let that happen before the next run rather than during it.
					if (server === ours) await new Promise((res) => setTimeout(res, quick ? 0 : 35_000));
					console.log(`${s.name} #${round} · ${r.server}: ${fmt(r.editsPerSec)} edits/s (offered ${r.offeredPerSec}), p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms, delivery p99 ${fmt(r.deliveryP99)} ms, peak ${fmt(r.peakMiB)} MiB, ${r.completed}/${r.sent} complete, clients used ${fmt(r.driverCores, 2)} cores, load average ${fmt(loadAverage, 2)}`);
				}
			}
		}
		const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
		const summary = scenarios.flatMap((s) =>
			(['reference', 'panelroom'] as const).map((server) => {
				const runs = load.filter((x) => x.scenario === s.name && x.server === server);
				return {
					scenario: s.name,
					server,
					editsPerSec: median(runs.map((r) => r.editsPerSec)),
					p50: median(runs.map((r) => r.p50)),
					p99: median(runs.map((r) => r.p99)),
					deliveryP99: median(runs.map((r) => r.deliveryP99)),
					peakMiB: median(runs.map((r) => r.peakMiB))
				};
			})
		);

		const traces: TraceResult[] = [];
		for (const [server, auth] of loadOnly ? [] : [
			[ref, undefined],
			[ours, cookie]
		] as const) {
			const [blog, friends] = server === ours ? await createDocuments(ours, cookie, divisionId, 2, 'trace') : ['ref-blog', 'ref-friends'];
			const a = await replaySequential(server, blog, auth, 'seph-blog1');
			traces.push(a);
			console.log(`seph-blog1 · ${a.server}: ${a.txns} txns in ${fmt(a.seconds, 2)} s = ${fmt(a.txnsPerSec, 0)} txns/s; clients ${a.clientsMatch ? 'match' : 'DIFFER'}`);
			const b = await replayConcurrent(server, friends, auth, 'friendsforever');
			traces.push(b);
			console.log(`friendsforever · ${b.server}: ${b.txns} txns in ${fmt(b.seconds, 2)} s = ${fmt(b.txnsPerSec, 0)} txns/s (${b.waits} waits for the other author)`);
		}

		const [loadDocId] = await createDocuments(ours, cookie, divisionId, 1, 'load time');
		// Everything Panelroom acknowledged is committed: stop it and read its database directly.
		await ours.stop();
		await ref.stop();
		db = await openDatabase(created ? { databaseUrl: created.url, max: 2 } : { dataDir });
		for (const t of traces) {
			if (t.server !== 'panelroom') continue;
			t.databaseMatch = lastParagraphString((await loadDoc(db.db, t.room)).doc) === loadTrace(t.trace).endContent;
			console.log(`${t.trace} · reloaded from the database: ${t.databaseMatch ? 'matches' : 'DIFFERS'}`);
		}
		const loading = loadOnly ? null : await loadTimes(db, loadDocId);
		if (loading) console.log(`load ${loading.updates} updates: before compaction ${fmt(loading.beforeMs)} ms, compaction ${fmt(loading.compactMs)} ms, after ${fmt(loading.afterMs)} ms (${loading.stateBytes} bytes)`);

		for (const x of summary) console.log(`median · ${x.scenario} · ${x.server}: ${fmt(x.editsPerSec)} edits/s, p50 ${fmt(x.p50)} ms, p99 ${fmt(x.p99)} ms, delivery p99 ${fmt(x.deliveryP99)} ms, peak ${fmt(x.peakMiB)} MiB`);
		const ratios = scenarios.map((s) => {
			const r = summary.find((x) => x.scenario === s.name && x.server === 'reference')!;
			const o = summary.find((x) => x.scenario === s.name && x.server === 'panelroom')!;
			return { scenario: s.name, p99Ratio: o.p99 / r.p99, p50Ratio: o.p50 / r.p50, memoryRatio: o.peakMiB / r.peakMiB };
		});
		for (const r of ratios) console.log(`${r.scenario}: p99 ratio ${fmt(r.p99Ratio, 2)} (target ≤ 1.20), p50 ratio ${fmt(r.p50Ratio, 2)}, memory ratio ${fmt(r.memoryRatio, 2)}`);

		const results = {
			at: new Date().toISOString(),
			machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, memoryGiB: Math.round(os.totalmem() / 2 ** 30) },
			quick,
			rounds,
			load,
			summary,
			ratios,
			traces,
			loading
		};
		const dir = path.join(root, 'bench/.results');
		fs.mkdirSync(dir, { recursive: true });
		const file = path.join(dir, `collab-${Date.now()}.json`);
		fs.writeFileSync(file, JSON.stringify(results, null, 2));
		console.log(`results: ${path.relative(root, file)}`);
	} finally {
		await db?.close();
		await ours?.stop();
		await ref?.stop();
		await created?.drop();
		if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
	}
}

main().then(
	() => process.exit(0),
	(err) => {
		console.error(err);
		process.exit(1);
	}
);
