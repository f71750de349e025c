// The meeting-room benchmark: the built server (node server.js, scores persisted to Postgres
// or PGlite) with real socket.io-client participants, in two scenarios:
//   - one meeting of 60 participants (a chair and 59 voting members);
//   - 20 meetings of 8 (a chair and 7 members each), all running at once.
// Measured: the time from a chair's action (moving the agenda) and from a score submission to
// its arrival at every participant of the meeting (one sample per participant and event),
// p50 and p99. Scores are written to the database before anyone is told, as always.
//
// Needs `npm run build` and DATABASE_URL: the server runs on a fresh Postgres database (created
// and dropped) into which the benchmark also writes its participants and meetings.
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/meeting/run.ts [--quick]
import os from 'node:os';
import { eq } from 'drizzle-orm';
import { io, type Socket } from 'socket.io-client';
import * as s from '../../db/schema';
import { openDatabase, type Database } from '../../src/lib/server/db';
import { createSession } from '../../src/lib/server/auth/session';
import { startServer, type TestServer } from '../../tests/helpers/server';
import { applyPatch, type Ack, type MeetingPatch, type MeetingView } from '../../src/lib/meetings/protocol';
import { fmt, percentile } from '../lib';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 2 : 5;
const MOVES = quick ? 10 : 40;

interface Participant {
	userId: string;
	socket: Socket;
	state: MeetingView | null;
	/** Called on every state received. */
	onState?: (v: MeetingView) => void;
}

interface Scenario {
	name: string;
	meetings: number;
	size: number;
}

function emit(socket: Socket, name: string, payload: unknown): Promise<Ack<MeetingView>> {
	return socket.timeout(30_000).emitWithAck(name, payload);
}

async function setUp(database: Database, scenario: Scenario) {
	const db = database.db;
	const [call] = await db.select().from(s.calls).where(eq(s.calls.code, 'IF2026'));
	const apps = await db.select({ id: s.applications.id }).from(s.applications).where(eq(s.applications.callId, call.id));
	const meetings: { id: string; itemIds: string[]; cookies: { userId: string; cookie: string }[] }[] = [];
	for (let mi = 0; mi < scenario.meetings; mi++) {
		const users = await db
			.insert(s.users)
			.values(
				Array.from({ length: scenario.size }, (_, i) => ({
					username: `bench_${scenario.name}_${mi}_${i}`.toLowerCase(),
					name: `评审专家${mi}-${i}`,
					passwordHash: 'x',
					color: '#2563eb'
				}))
			)
			.returning({ id: s.users.id });
		const [meeting] = await db.insert(s.meetings).values({ callId: call.id, title: `基准测试评审会 ${mi}`, startsAt: new Date() }).returning();
		await db.insert(s.meetingMembers).values(users.map((u, i) => ({ meetingId: meeting.id, userId: u.id, role: i === 0 ? ('chair' as const) : ('expert' as const) })));
		const items = await db
			.insert(s.meetingItems)
			.values(apps.slice(0, 6).map((a, i) => ({ meetingId: meeting.id, applicationId: a.id, position: i + 1 })))
			.returning({ id: s.meetingItems.id });
		const cookies = [];
		for (const u of users) cookies.push({ userId: u.id, cookie: `panelroom_session=${(await createSession(db, u.id)).token}` });
		meetings.push({ id: meeting.id, itemIds: items.map((i) => i.id), cookies });
	}
	return meetings;
}

async function connectAll(url: string, meetingId: string, cookies: { userId: string; cookie: string }[]): Promise<Participant[]> {
	return Promise.all(
		cookies.map(async ({ userId, cookie }) => {
			const socket = io(url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie }, reconnection: false });
			const p: Participant = { userId, socket, state: null };
			socket.on('meeting:state', (v: MeetingView) => {
				p.state = v;
				p.onState?.(v);
			});
			socket.on('meeting:patch', (patch: MeetingPatch) => {
				const next = p.state && applyPatch(p.state, patch);
				if (!next) throw new Error('a patch did not follow the state');
				p.state = next;
				p.onState?.(next);
			});
			await new Promise<void>((resolve, reject) => {
				socket.once('connect', () => resolve());
				socket.once('connect_error', reject);
			});
			const ack = await emit(socket, 'meeting:join', { meetingId });
			if (!ack.ok) throw new Error(`join failed: ${ack.message}`);
			return p;
		})
	);
}

/** Resolves with each participant's arrival time (ms after `t0`) of the first state passing `check`. */
function arrivals(participants: Participant[], check: (v: MeetingView) => boolean, t0: () => number): Promise<number[]> {
	return Promise.all(
		participants.map(
			(p) =>
				new Promise<number>((resolve, reject) => {
					const timer = setTimeout(() => reject(new Error('a participant never received the change')), 30_000);
					p.onState = (v) => {
						if (check(v)) {
							clearTimeout(timer);
							p.onState = undefined;
							resolve(performance.now() - t0());
						}
					};
				})
		)
	);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runMeeting(meetingId: string, itemIds: string[], participants: Participant[], samples: { chair: number[]; score: number[] }) {
	const chair = participants[0];
	const started = await emit(chair.socket, 'meeting:start', { meetingId });
	if (!started.ok) throw new Error(started.message);
	await sleep(200);
	const rubricItems = chair.state!.rubric.groups.flatMap((g) => g.items.map((i) => i.id));

	// The chair moves the agenda; every participant must follow.
	for (let k = 0; k < MOVES; k++) {
		const target = itemIds[(k + 1) % itemIds.length];
		let t0 = 0;
		const waiting = arrivals(participants, (v) => v.meeting.currentItemId === target, () => t0);
		t0 = performance.now();
		const ack = await emit(chair.socket, 'meeting:goto', { meetingId, itemId: target });
		if (!ack.ok) throw new Error(ack.message);
		samples.chair.push(...(await waiting));
		await sleep(50 + Math.random() * 100);
	}

	// Scoring rounds on the current item: every member submits within about two seconds.
	const itemId = chair.state!.meeting.currentItemId!;
	for (let r = 0; r < ROUNDS; r++) {
		const round = (chair.state!.items.find((i) => i.id === itemId) as { round: number }).round;
		// Listen per submitter: the first state in which that member counts as submitted.
		const pending = new Map<string, { t0: number; seen: Set<string>; times: number[] }>();
		const done: Promise<void>[] = [];
		for (const p of participants) {
			p.onState = (v) => {
				const item = v.items.find((i) => i.id === itemId);
				if (!item || item.recused) return;
				const rv = item.rounds.find((x) => x.round === round);
				if (!rv) return;
				for (const uid of rv.submittedUserIds) {
					const entry = pending.get(uid);
					if (entry && !entry.seen.has(p.userId)) {
						entry.seen.add(p.userId);
						entry.times.push(performance.now() - entry.t0);
					}
				}
			};
		}
		for (const p of participants) {
			done.push(
				(async () => {
					await sleep(Math.random() * 2000);
					const scores = Object.fromEntries(rubricItems.map((id) => [id, 60 + Math.floor(Math.random() * 40)]));
					pending.set(p.userId, { t0: performance.now(), seen: new Set(), times: [] });
					const ack = await emit(p.socket, 'score:submit', { meetingId, itemId, round, scores });
					if (!ack.ok) throw new Error(`submit (round ${round}, bench round ${r}): ${ack.message}`);
				})()
			);
		}
		await Promise.all(done);
		const deadline = Date.now() + 30_000;
		while ([...pending.values()].some((e) => e.seen.size < participants.length) && Date.now() < deadline) await sleep(20);
		for (const e of pending.values()) {
			if (e.seen.size < participants.length) throw new Error('a submission never reached every participant');
			samples.score.push(...e.times);
		}
		for (const p of participants) p.onState = undefined;
		// The last submission revealed the round; the chair opens the next.
		const next = await emit(chair.socket, 'round:new', { meetingId, itemId });
		if (!next.ok) throw new Error(`new round: ${next.message}`);
		const until = Date.now() + 10_000;
		const roundOf = (p: Participant) => (p.state!.items.find((i) => i.id === itemId) as { round: number }).round;
		while (participants.some((p) => roundOf(p) !== round + 1)) {
			if (Date.now() > until) throw new Error(`round ${round + 1} never reached everyone: ${participants.map(roundOf).join(',')}`);
			await sleep(20);
		}
	}
}

async function scenario(server: TestServer, database: Database, sc: Scenario) {
	const meetings = await setUp(database, sc);
	const rooms = [];
	for (const mt of meetings) rooms.push({ mt, participants: await connectAll(server.url, mt.id, mt.cookies) });
	const samples = { chair: [] as number[], score: [] as number[] };
	const cpu0 = process.cpuUsage();
	const t0 = performance.now();
	await Promise.all(rooms.map(({ mt, participants }) => runMeeting(mt.id, mt.itemIds, participants, samples)));
	const seconds = (performance.now() - t0) / 1000;
	const cpu = process.cpuUsage(cpu0);
	for (const { participants } of rooms) for (const p of participants) p.socket.close();
	samples.chair.sort((a, b) => a - b);
	samples.score.sort((a, b) => a - b);
	return {
		name: sc.name,
		participants: sc.meetings * sc.size,
		chairSamples: samples.chair.length,
		chairP50: percentile(samples.chair, 50),
		chairP99: percentile(samples.chair, 99),
		scoreSamples: samples.score.length,
		scoreP50: percentile(samples.score, 50),
		scoreP99: percentile(samples.score, 99),
		seconds,
		clientCpu: (cpu.user + cpu.system) / 1e6
	};
}

async function main() {
	const server = await startServer({ LOG_LEVEL: 'warn' });
	let database: Database | undefined;
	try {
		// The fixture is written beside the running server, which PGlite (one process) cannot take.
		if (!server.databaseUrl) throw new Error('Set DATABASE_URL: the benchmark writes its fixture into the server database (Postgres).');
		database = await openDatabase({ databaseUrl: server.databaseUrl, max: 2 });
		const results = [];
		for (const sc of [
			{ name: 'one60', meetings: 1, size: 60 },
			{ name: 'twenty8', meetings: 20, size: 8 }
		]) {
			results.push(await scenario(server, database, sc));
		}
		console.log(`\nmeeting room, ${os.cpus().length} cores, Node ${process.version}, ${quick ? 'quick' : 'full'} run`);
		console.log('scenario              participants   chair→all p50 / p99 (n)      score→all p50 / p99 (n)');
		for (const r of results) {
			console.log(
				`${(r.name === 'one60' ? '1 meeting × 60' : '20 meetings × 8').padEnd(22)}${String(r.participants).padEnd(15)}${fmt(r.chairP50)} / ${fmt(r.chairP99)} ms (${r.chairSamples})`.padEnd(
					66
				) + `${fmt(r.scoreP50)} / ${fmt(r.scoreP99)} ms (${r.scoreSamples})`
			);
		}
	} finally {
		await database?.close();
		await server.dispose();
	}
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
