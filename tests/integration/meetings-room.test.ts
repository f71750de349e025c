// The live meeting room over real Socket.IO connections against the real realtime server, on
// the test database (PGlite, or Postgres with DATABASE_URL): presence through reconnects and
// tabs, the tracker, blind scoring seen by a raw client, reveal statistics, rounds, quorum,
// the secret ballot, locking (refused again by the app and by the database), recusal leaking
// nothing, bad input, floods, and a server restart that loses nothing.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import * as s from '../../db/schema';
import { createTestDatabase, dbError, type TestDatabase } from '../helpers/db';
import { seedDemo, STEPS } from '../../src/lib/server/demo/seed';
import { meetingFixture, roomClient, startRealtime, type RealtimeServer, type RoomClient } from '../helpers/meetings';
import { rawConnect, waitFor } from '../helpers/collab';
import { principal } from '../helpers/factories';
import { accessTo } from '../../src/lib/server/documents/access';
import { decisionHash } from '../../src/lib/server/meetings/room';
import type { ItemView, MeetingView } from '../../src/lib/meetings/protocol';

let t: TestDatabase;
let server: RealtimeServer;
let clients: RoomClient[] = [];

beforeAll(async () => {
	t = await createTestDatabase();
	await seedDemo(t.db, STEPS.filter((step) => step.name === 'organization'));
	server = await startRealtime();
});
afterEach(() => {
	// Every patch followed the state its client held.
	for (const c of clients) expect(c.gaps, `${c.username} missed a state`).toBe(0);
	for (const c of clients) c.close();
	clients = [];
});
afterAll(async () => {
	await server?.close();
	await t?.drop();
});

async function connect(meetingId: string, ...usernames: string[]): Promise<RoomClient[]> {
	const out = await Promise.all(usernames.map((u) => roomClient(t.db, server.url, u, meetingId)));
	clients.push(...out);
	for (const c of out) await c.join();
	return out;
}

/** A complete score sheet: every rubric item scored `value` (or by the function). */
function sheet(view: MeetingView, value: number | ((key: string) => number)) {
	const scores: Record<string, number> = {};
	for (const g of view.rubric.groups) for (const i of g.items) scores[i.id] = typeof value === 'number' ? value : value(i.key);
	return scores;
}

const full = (c: RoomClient, position: number) => c.item(position) as ItemView;

describe('presence', () => {
	it('follows connect, two tabs, away, drop and reconnect', async () => {
		const f = await meetingFixture(t.db);
		const [chair, tab1] = await connect(f.meetingId, 'chair', 'expert1');
		const uid = tab1.state!.me.userId;
		const seen = (v: MeetingView) => v.members.find((m) => m.userId === uid)!;
		await chair.until((v) => seen(v).presence === 'present' && seen(v).tabs === 1, 'expert1 present');
		const [tab2] = await connect(f.meetingId, 'expert1');
		await chair.until((v) => seen(v).tabs === 2, 'two tabs');
		tab1.close();
		await chair.until((v) => seen(v).tabs === 1 && seen(v).presence === 'present', 'one tab left, still present');
		expect((await tab2.send('meeting:away', { away: true })).ok).toBe(true);
		await chair.until((v) => seen(v).presence === 'away', 'away');
		tab2.socket.disconnect();
		await chair.until((v) => seen(v).presence === 'dropped', 'dropped');
		tab2.socket.connect();
		await tab2.join();
		await chair.until((v) => seen(v).presence === 'present', 'back');
		// Members never seen are absent.
		expect(chair.state!.members.find((m) => m.role === 'secretary')!.presence).toBe('absent');
	});
});

describe('the tracker, blind scoring, reveal and rounds', () => {
	it('moves everyone with the chair; nobody sees a value before the reveal; statistics and discrepancy are right', async () => {
		const f = await meetingFixture(t.db);
		const [chair, e1, e2, e6, secretary] = await connect(f.meetingId, 'chair', 'expert1', 'expert2', 'expert6', 'intake');
		// Only the chair starts the meeting.
		expect(await e1.send('meeting:start', {})).toMatchObject({ ok: false, error: 'forbidden' });
		expect((await chair.send('meeting:start', {})).ok).toBe(true);
		for (const c of [e1, e2, e6, secretary]) await c.until((v) => v.meeting.status === 'open' && v.meeting.currentItemId === f.items[0].id, 'started');
		const first = full(e1, 1);
		expect(first.startedAt).not.toBeNull();
		expect(first.notesDocumentId).toBeTruthy();
		expect(first.quorum).toMatchObject({ eligible: 4, present: 4, required: 3, met: true });

		// The secretary neither scores nor votes.
		const view = e1.state!;
		expect(await secretary.send('score:submit', { itemId: f.items[0].id, round: 1, scores: sheet(view, 80) })).toMatchObject({ ok: false, error: 'forbidden' });
		// An incomplete sheet is refused with a clear message, and nothing is stored.
		const partial = await e1.send('score:submit', { itemId: f.items[0].id, round: 1, scores: { [view.rubric.groups[0].items[0].id]: 90 } });
		expect(partial).toMatchObject({ ok: false, error: 'incomplete' });
		expect(!partial.ok && partial.message).toMatch(/未打分/);
		expect(await t.db.select().from(s.meetingScores)).toHaveLength(0);

		// Distinctive values, so any leak would show in the raw event log.
		expect((await e1.send('score:submit', { itemId: f.items[0].id, round: 1, scores: sheet(view, 91), opinion: '技术路线清晰，团队扎实。' })).ok).toBe(true);
		// Written to the database before anyone is told.
		expect((await t.db.select().from(s.meetingScores)).map((r) => r.total)).toEqual(['91.00']);
		await e2.until((v) => (v.items[0] as ItemView).rounds[0].submitted === 1, 'count seen');
		expect(full(e2, 1).rounds[0]).toMatchObject({ submitted: 1, eligible: 4, revealed: false, sheets: null, stats: null, mine: null });
		expect(full(e1, 1).rounds[0].mine).toMatchObject({ total: 91 });
		expect((await e2.send('score:submit', { itemId: f.items[0].id, round: 1, scores: sheet(view, 63) })).ok).toBe(true);
		expect((await e6.send('score:submit', { itemId: f.items[0].id, round: 1, scores: sheet(view, 77) })).ok).toBe(true);
		for (const c of [e2, e6, secretary, chair]) {
			expect(c.everything()).not.toContain('技术路线清晰');
			expect(c.everything()).not.toMatch(/"total":91\b/);
		}
		expect(e1.everything()).not.toMatch(/"total":63\b/);
		// Not all present have submitted: not revealed yet.
		expect(full(chair, 1).rounds[0].revealed).toBe(false);

		// The chair's own submission completes the set: the round reveals itself.
		expect((await chair.send('score:submit', { itemId: f.items[0].id, round: 1, scores: sheet(view, 80) })).ok).toBe(true);
		const revealed = await e2.until((v) => (v.items[0] as ItemView).rounds[0].revealed, 'auto reveal');
		const r1 = (revealed.items[0] as ItemView).rounds[0];
		expect(r1.sheets!.map((x) => x.total).sort()).toEqual([63, 77, 80, 91]);
		expect(r1.stats!.aggregate).toBe(77.75);
		expect(r1.stats!.total).toMatchObject({ median: 78.5, min: 63, max: 91, range: 28, discrepancy: true });
		expect(r1.stats!.total.stdev).toBeCloseTo(9.98, 2);
		for (const spread of Object.values(r1.stats!.items)) expect(spread).toMatchObject({ range: 28, discrepancy: true });
		expect(r1.sheets!.find((x) => x.total === 91)!.opinion).toBe('技术路线清晰，团队扎实。');
		// A revealed round is frozen in the database too.
		expect(await dbError(t.db.update(s.meetingScores).set({ total: '99.00' }).where(eq(s.meetingScores.itemId, f.items[0].id)))).toMatch(/revealed/);
		expect(await e1.send('score:submit', { itemId: f.items[0].id, round: 1, scores: sheet(view, 50) })).toMatchObject({ ok: false, error: 'alreadyRevealed' });

		// A new round: members revise; round 1 stays visible.
		expect(await e1.send('round:new', { itemId: f.items[0].id })).toMatchObject({ ok: false, error: 'forbidden' });
		expect((await chair.send('round:new', { itemId: f.items[0].id })).ok).toBe(true);
		await e1.until((v) => (v.items[0] as ItemView).round === 2, 'round 2');
		expect(await e1.send('score:submit', { itemId: f.items[0].id, round: 1, scores: sheet(view, 85) })).toMatchObject({ ok: false, error: 'staleRound' });
		expect((await e1.send('score:submit', { itemId: f.items[0].id, round: 2, scores: sheet(view, 84) })).ok).toBe(true);
		expect((await e2.send('score:submit', { itemId: f.items[0].id, round: 2, scores: sheet(view, 76) })).ok).toBe(true);
		expect((await chair.send('round:reveal', { itemId: f.items[0].id })).ok).toBe(true);
		const after = await e6.until((v) => (v.items[0] as ItemView).rounds.length === 2 && (v.items[0] as ItemView).rounds[1].revealed, 'round 2 revealed');
		const [round1, round2] = (after.items[0] as ItemView).rounds;
		expect(round1.sheets).toHaveLength(4);
		expect(round2.sheets!.map((x) => x.total).sort()).toEqual([76, 84]);
		expect(round2.stats!.total).toMatchObject({ range: 8, discrepancy: false });

		// The tracker: the chair moves on and every view follows; a member may browse back.
		expect(await e1.send('meeting:goto', { itemId: f.items[2].id })).toMatchObject({ ok: false, error: 'forbidden' });
		expect((await chair.send('meeting:goto', { itemId: f.items[2].id })).ok).toBe(true);
		for (const c of [e1, e2, e6, secretary]) await c.until((v) => v.meeting.currentItemId === f.items[2].id, 'follows');
		expect((await e1.send('meeting:view', { itemId: f.items[0].id })).ok).toBe(true);
		await chair.until((v) => v.members.find((m) => m.userId === e1.state!.me.userId)!.viewingItemId === f.items[0].id, 'browsing shown');
		// Scoring is for the current item only.
		expect(await e1.send('score:submit', { itemId: f.items[0].id, round: 2, scores: sheet(view, 70) })).toMatchObject({ ok: false, error: 'notCurrent' });
		// The state patched together event by event is the state a newcomer gets whole.
		const [fresh] = await connect(f.meetingId, 'expert2');
		expect(e2.state!.items).toEqual(fresh.state!.items);
		expect(e2.state!.meeting).toEqual(fresh.state!.meeting);
		// A joiner's next patch carries only what changed since its whole state: a browse.
		const seen = fresh.received.length;
		await e1.send('meeting:view', { itemId: f.items[2].id });
		await fresh.until((v) => v.members.find((m) => m.userId === e1.state!.me.userId)!.viewingItemId === f.items[2].id, 'browse seen');
		const patch = JSON.parse(fresh.received.at(-1)!.json)[0];
		expect(fresh.received.length).toBe(seen + 1);
		expect(Object.keys(patch).sort()).toEqual(['members', 'seq', 'serverTime']);
	});
});

describe('quorum, the secret ballot and locked decisions', () => {
	it('blocks decisions without quorum, keeps votes secret, and locks for good', async () => {
		const f = await meetingFixture(t.db, { requiresBallot: true });
		const [chair, e1] = await connect(f.meetingId, 'chair', 'expert1');
		expect((await chair.send('meeting:start', {})).ok).toBe(true);
		const itemId = f.items[0].id;
		// 2 of 4 voting members present: no quorum (3 needed).
		await chair.until((v) => (v.items[0] as ItemView).quorum.present === 2, 'two present');
		expect(full(chair, 1).quorum).toMatchObject({ present: 2, required: 3, met: false });
		const blocked = await chair.send('decision:lock', { itemId, outcome: 'decline', rationale: '技术成熟度不足。' });
		expect(blocked).toMatchObject({ ok: false, error: 'noQuorum' });
		expect(!blocked.ok && blocked.message).toContain('2/3');
		expect(await chair.send('ballot:open', { itemId })).toMatchObject({ ok: false, error: 'noQuorum' });
		expect(await t.db.select().from(s.meetingDecisions)).toHaveLength(0);

		const [e2, e6] = await connect(f.meetingId, 'expert2', 'expert6');
		await chair.until((v) => (v.items[0] as ItemView).quorum.met, 'quorum');
		// The call decides by ballot: no decision before one.
		expect(await chair.send('decision:lock', { itemId, outcome: 'decline', rationale: '技术成熟度不足。' })).toMatchObject({ ok: false, error: 'ballotRequired' });
		expect((await chair.send('ballot:open', { itemId })).ok).toBe(true);
		const ballot = (await e1.until((v) => !!(v.items[0] as ItemView).ballot, 'ballot')).items[0] as ItemView;
		const ballotId = ballot.ballot!.id;
		expect(ballot.ballot).toMatchObject({ open: true, eligible: 4, counts: null, carried: null });
		expect((await e1.send('ballot:vote', { itemId, ballotId, choice: 'fund' })).ok).toBe(true);
		expect(await e1.send('ballot:vote', { itemId, ballotId, choice: 'decline' })).toMatchObject({ ok: false, error: 'alreadyVoted' });
		expect((await e2.send('ballot:vote', { itemId, ballotId, choice: 'decline' })).ok).toBe(true);
		expect((await chair.send('ballot:vote', { itemId, ballotId, choice: 'fund' })).ok).toBe(true);
		await e6.until((v) => (v.items[0] as ItemView).ballot!.votedUserIds.length === 3, 'three voted');
		// Who voted is shown; the counts are not, to anyone, the chair included, while it is open.
		for (const c of [chair, e1, e2, e6]) {
			const b = full(c, 1).ballot!;
			expect(b.counts).toBeNull();
			expect(b.votedUserIds).toHaveLength(3);
			expect(c.everything()).not.toMatch(/"(fund|decline|abstain)":[1-9]/);
		}
		// Nothing in the database links a voter to a choice.
		const voterColumns = await t.db.execute(sql`SELECT column_name FROM information_schema.columns WHERE table_name = 'meeting_ballot_voters'`);
		const names = ((voterColumns as unknown as { rows?: { column_name: string }[] }).rows ?? (voterColumns as unknown as { column_name: string }[])).map((r) => r.column_name).sort();
		expect(names).toEqual(['ballot_id', 'user_id']);
		// The last vote closes it: 3 of 4 for, carried at two thirds.
		expect((await e6.send('ballot:vote', { itemId, ballotId, choice: 'fund' })).ok).toBe(true);
		const closed = (await chair.until((v) => (v.items[0] as ItemView).ballot!.open === false, 'closed')).items[0] as ItemView;
		expect(closed.ballot).toMatchObject({ counts: { fund: 3, decline: 1, abstain: 0 }, carried: true });

		// Bad decisions are refused and change nothing.
		expect(await e1.send('decision:lock', { itemId, outcome: 'fund', amount: 50, fundingMode: 'grant', rationale: '同意' })).toMatchObject({ ok: false, error: 'forbidden' });
		expect(await chair.send('decision:lock', { itemId, outcome: 'fund', amount: 500, fundingMode: 'grant', rationale: '同意' })).toMatchObject({ ok: false, error: 'overCeiling' });
		expect(await chair.send('decision:lock', { itemId, outcome: 'fund', amount: 80, rationale: '同意' })).toMatchObject({ ok: false, error: 'modeRequired' });
		expect(await chair.send('decision:lock', { itemId, outcome: 'decline', amount: 80, rationale: '不同意' })).toMatchObject({ ok: false, error: 'amountNotAllowed' });
		expect(await t.db.select().from(s.meetingDecisions)).toHaveLength(0);

		const locked = await chair.send('decision:lock', { itemId, outcome: 'fund', amount: 80, fundingMode: 'grant', rationale: '项目技术先进，市场前景明确，同意资助。' });
		expect(locked.ok).toBe(true);
		for (const c of [e1, e2, e6]) await c.until((v) => (v.items[0] as ItemView).decision?.outcome === 'fund', 'decision seen');
		const d = full(e2, 1).decision!;
		expect(d).toMatchObject({ version: 1, amount: 80, fundingMode: 'grant', lockedByName: '陈宏远', reopened: null });
		const [row] = await t.db.select().from(s.meetingDecisions);
		expect(row.sha256).toBe(d.sha256);
		expect(
			decisionHash({ ...row, amount: Number(row.amount), basis: row.basis, lockedAt: row.lockedAt, outcome: row.outcome, fundingMode: row.fundingMode })
		).toBe(row.sha256);
		const [app] = await t.db.select({ status: s.applications.status }).from(s.applications).where(eq(s.applications.id, row.applicationId));
		expect(app.status).toBe('decided');
		const audit = await t.db.select().from(s.auditLog).where(eq(s.auditLog.action, 'meeting.decision_locked'));
		expect(audit).toHaveLength(1);
		expect(row.auditAnchor).toMatch(/^#\d+ [0-9a-f]{64}$/);
		expect(d.auditAnchor).toBe(row.auditAnchor);
		expect(Number(row.auditAnchor!.split(' ')[0].slice(1))).toBeLessThan(Number(audit[0].seq));

		// Locked: the application refuses every change ...
		expect(await chair.send('decision:lock', { itemId, outcome: 'decline', rationale: '改为不予资助。' })).toMatchObject({ ok: false, error: 'locked' });
		expect(await chair.send('round:new', { itemId })).toMatchObject({ ok: false, error: 'locked' });
		expect(await chair.send('summary:set', { itemId, summary: '改写' })).toMatchObject({ ok: false, error: 'locked' });
		expect(await chair.send('decision:reopen', { itemId, reason: '主持人想改决定' })).toMatchObject({ ok: false, error: 'forbidden' });
		// ... and so does the database, whoever connects.
		expect(await dbError(t.db.update(s.meetingDecisions).set({ outcome: 'decline' }).where(eq(s.meetingDecisions.id, row.id)))).toMatch(/locked record/);
		expect(await dbError(t.db.execute(sql`UPDATE meeting_decisions SET amount = 100 WHERE id = ${row.id}`))).toMatch(/locked record/);
		expect(await dbError(t.db.delete(s.meetingDecisions).where(eq(s.meetingDecisions.id, row.id)))).toMatch(/locked record/);
		expect(await dbError(t.db.execute(sql`TRUNCATE meeting_decisions CASCADE`))).toMatch(/locked record/);
		expect((await t.db.select().from(s.meetingDecisions))[0].amount).toBe('80.00');

		// An admin's reopen, with a reason, leaves version 1 and allows a version 2.
		const [admin] = await connect(f.meetingId, 'admin');
		// An admin watching is shown to the panel, and counts for nothing.
		const watcher = (await chair.until((v) => v.members.some((m) => m.guest), 'admin listed')).members.find((m) => m.guest)!;
		expect(watcher).toMatchObject({ userId: admin.state!.me.userId, name: '赵敏', role: 'observer', presence: 'present' });
		expect(full(chair, 1).quorum).toMatchObject({ eligible: 4, present: 4 });
		expect(await admin.send('decision:reopen', { itemId, reason: '短' })).toMatchObject({ ok: false, error: 'invalid' });
		expect((await admin.send('decision:reopen', { itemId, reason: '申报单位补充材料后复议' })).ok).toBe(true);
		await chair.until((v) => (v.items[0] as ItemView).decision === null, 'reopened');
		expect(full(chair, 1).decisions[0].reopened).toMatchObject({ reason: '申报单位补充材料后复议', byName: '赵敏' });
		expect((await chair.send('decision:lock', { itemId, outcome: 'defer', rationale: '待补充材料后再议。' })).ok).toBe(true);
		const v2 = (await e1.until((v) => (v.items[0] as ItemView).decision?.version === 2, 'v2')).items[0] as ItemView;
		expect(v2.decisions.map((x) => x.version)).toEqual([2, 1]);
		expect(await t.db.select().from(s.meetingDecisions)).toHaveLength(2);
		// Loaded again from the database (after a restart), the reopen still names the admin.
		const { loadRoomState } = await import('../../src/lib/server/meetings/state');
		const reloaded = (await loadRoomState(t.db, f.meetingId))!.items[0].decisions[0];
		expect(reloaded.reopened).toMatchObject({ byName: '赵敏', reason: '申报单位补充材料后复议' });
	});
});

describe('recusal', () => {
	it('leaks nothing of a recused item to the recused member, on any channel', async () => {
		const f = await meetingFixture(t.db, { requiresBallot: false });
		const [chair, e1, e2, e6] = await connect(f.meetingId, 'chair', 'expert1', 'expert2', 'expert6');
		const recusedItem = f.items[1]; // IF2026-0004: expert6 works at the applicant.
		expect(e6.state!.items[1]).toEqual({ id: recusedItem.id, position: 2, recused: true });
		expect(full(chair, 2).recusedUserIds).toEqual([e6.state!.me.userId]);
		await chair.send('meeting:start', {});
		await chair.send('meeting:goto', { itemId: recusedItem.id });
		await e6.until((v) => v.meeting.currentItemId === recusedItem.id, 'e6 knows it is recused now');
		const before = e6.received.length;
		// Everything that happens on the item while e6 is recused.
		await e1.send('meeting:view', { itemId: recusedItem.id });
		const view = e1.state!;
		expect(await e6.send('score:submit', { itemId: recusedItem.id, round: 1, scores: sheet(view, 60) })).toMatchObject({ ok: false, error: 'recused' });
		expect(full(e1, 2).quorum).toMatchObject({ eligible: 3 });
		for (const c of [chair, e1, e2]) expect((await c.send('score:submit', { itemId: recusedItem.id, round: 1, scores: sheet(view, 88), opinion: '钙钛矿叠层效率领先' })).ok).toBe(true);
		await chair.until((v) => (v.items[1] as ItemView).rounds[0].revealed, 'revealed without e6');
		expect((await chair.send('ballot:open', { itemId: recusedItem.id })).ok).toBe(true);
		await chair.send('summary:set', { itemId: recusedItem.id, summary: '专家组一致认为技术领先。' });
		expect((await chair.send('decision:lock', { itemId: recusedItem.id, outcome: 'fund', amount: 100, fundingMode: 'interestSubsidy', rationale: '同意贴息资助。' })).ok).toBe(true);
		await e1.until((v) => !!(v.items[1] as ItemView).decision, 'decided');
		await new Promise((r) => setTimeout(r, 200));
		// Not one event reached the recused member while all that happened.
		expect(e6.received.length).toBe(before);
		const all = e6.everything();
		for (const secret of [recusedItem.number, recusedItem.title, '钙钛矿', '同意贴息资助', '专家组一致认为', '"total":88']) expect(all).not.toContain(secret);
		// The notes document is closed to the recused member at the upgrade.
		const item = full(chair, 2);
		const p6 = await principal(t.db, 'expert6');
		expect((await accessTo(t.db, p6, item.notesDocumentId!))?.access.access ?? 'none').toBe('none');
		const p1 = await principal(t.db, 'expert1');
		expect((await accessTo(t.db, p1, item.notesDocumentId!))!.access.access).toBe('edit');
		const { sessionCookie } = await import('../helpers/collab');
		const [u6] = await t.db.select({ id: s.users.id }).from(s.users).where(eq(s.users.username, 'expert6'));
		const refused = await rawConnect(`${server.url.replace('http', 'ws')}/collab/${item.notesDocumentId}`, { cookie: await sessionCookie(t.db, u6.id) });
		expect('status' in refused && refused.status).toBe(403);
		// When the room moves on, e6 is back and sees the next item.
		await chair.send('meeting:goto', { itemId: f.items[2].id });
		await e6.until((v) => v.meeting.currentItemId === f.items[2].id && !v.items[2].recused, 'back');
	});
});

describe('signatures, closing and the minutes', () => {
	it('collects signed sheets and confirmations with dissent, then drafts the minutes for the secretary and the chair', async () => {
		const f = await meetingFixture(t.db, { requiresBallot: false });
		const [chair, e1, e2, e6, secretary] = await connect(f.meetingId, 'chair', 'expert1', 'expert2', 'expert6', 'intake');
		await chair.send('meeting:start', {});
		const itemId = f.items[0].id;
		const view = e1.state!;
		expect(await e1.send('sheet:sign', { itemId })).toMatchObject({ ok: false, error: 'noSheet' });
		for (const [c, v] of [[chair, 82], [e1, 86], [e2, 79], [e6, 81]] as const) await c.send('score:submit', { itemId, round: 1, scores: sheet(view, v) });
		await e1.until((v) => (v.items[0] as ItemView).rounds[0].revealed, 'revealed');
		expect((await e1.send('sheet:sign', { itemId })).ok).toBe(true);
		expect(await e1.send('summary:confirm', { itemId })).toMatchObject({ ok: false, error: 'noSummary' });
		expect(await secretary.send('sheet:sign', { itemId })).toMatchObject({ ok: false, error: 'forbidden' });
		expect((await chair.send('summary:set', { itemId, summary: '项目技术路线可行，建议资助。' })).ok).toBe(true);
		expect((await e1.send('summary:confirm', { itemId })).ok).toBe(true);
		expect((await e2.send('summary:confirm', { itemId, dissent: '市场预测偏乐观，建议降低资助额度。' })).ok).toBe(true);
		const signed = (await chair.until((v) => (v.items[0] as ItemView).signatures.length === 3, 'signatures')).items[0] as ItemView;
		expect(signed.signatures.find((x) => x.kind === 'sheet')).toMatchObject({ userId: e1.state!.me.userId, round: 1 });
		expect(signed.signatures.find((x) => x.dissent)).toMatchObject({ userId: e2.state!.me.userId, kind: 'summary' });
		expect((await chair.send('decision:lock', { itemId, outcome: 'fund', amount: 90, fundingMode: 'grant', rationale: '综合评分较高，同意资助。' })).ok).toBe(true);

		expect(await secretary.send('meeting:close', {})).toMatchObject({ ok: false, error: 'forbidden' });
		expect((await chair.send('meeting:close', {})).ok).toBe(true);
		const closed = await secretary.until((v) => v.meeting.status === 'closed' && !!v.meeting.minutesDocumentId, 'closed');
		expect(await e1.send('score:submit', { itemId, round: 1, scores: sheet(view, 50) })).toMatchObject({ ok: false, error: 'closed' });
		const minutesId = closed.meeting.minutesDocumentId!;
		const { currentContent } = await import('../../src/lib/server/documents');
		const { textOfJSON } = await import('../../src/lib/server/documents/content');
		const text = textOfJSON((await currentContent(t.db, minutesId)).json);
		for (const expected of ['会议纪要', '出席情况', '陈宏远', '刘芳', 'IF2026-0002', '同意资助', '90.00 万元', '82.00', '市场预测偏乐观', '吴建平']) expect(text).toContain(expected);
		// The secretary edits, the chair edits and locks; a member recused from any item may not read it.
		const access = async (u: string) => (await accessTo(t.db, await principal(t.db, u), minutesId))?.access ?? null;
		expect(await access('intake')).toMatchObject({ access: 'edit', canLock: false });
		expect(await access('chair')).toMatchObject({ access: 'edit', canLock: true });
		expect(await access('expert1')).toMatchObject({ access: 'view' });
		expect(await access('expert6')).toBeNull();
		expect(await access('expert5')).toBeNull();
	});
});

describe('changes from outside the room', () => {
	it('reloads the room when the schedule changes, and recuses at once on a new conflict', async () => {
		const { setAgenda } = await import('../../src/lib/server/meetings/schedule/commands');
		const { stateConflict } = await import('../../src/lib/server/conflicts');
		const { emit } = await import('../../src/lib/server/events');
		// Applications no other test decides: a decided one may not be put on an agenda.
		const f = await meetingFixture(t.db, { numbers: ['IF2026-0003', 'IF2026-0005', 'IF2026-0006'] });
		const [chair, e1] = await connect(f.meetingId, 'chair', 'expert1');
		const ids = await Promise.all(f.items.map(async (i) => (await t.db.select({ a: s.meetingItems.applicationId }).from(s.meetingItems).where(eq(s.meetingItems.id, i.id)))[0].a));
		const actor = { id: null, name: 'test' };
		const reordered = await setAgenda(t.db, actor, f.meetingId, [ids[2], ids[0], ids[1]].map((applicationId) => ({ applicationId, timeboxMinutes: 30 })));
		expect(reordered.ok).toBe(true);
		await e1.until((v) => v.items[0].id === f.items[2].id && (v.items[0] as ItemView).timeboxMinutes === 30, 'new agenda order');
		expect((await chair.send('meeting:start', {})).ok).toBe(true);
		await e1.until((v) => v.meeting.currentItemId === f.items[2].id, 'started on the new first item');
		// expert1 declares a conflict with the item now on the table: the room recuses them at once.
		const [x1] = await t.db.select({ id: s.experts.id }).from(s.experts).innerJoin(s.users, eq(s.users.id, s.experts.userId)).where(eq(s.users.username, 'expert1'));
		await stateConflict(t.db, actor, { expertId: x1.id, applicationId: ids[2], source: 'declared', reason: '曾为该企业提供技术咨询' });
		emit('conflicts.changed', {});
		await e1.until((v) => v.items[0].recused, 'recused');
		await chair.until((v) => (v.items[0] as ItemView).recusedUserIds.includes(e1.state!.me.userId), 'chair sees the recusal');
		expect(e1.state!.items[0]).toEqual({ id: f.items[2].id, position: 1, recused: true });
	});
});

describe('bad input, strangers and floods', () => {
	it('answers every bad event with an error and changes nothing', async () => {
		const f = await meetingFixture(t.db);
		const [e1] = await connect(f.meetingId, 'expert1');
		expect(await e1.send('meeting:goto', { itemId: 'not-a-uuid' } as never)).toMatchObject({ ok: false, error: 'invalid' });
		expect(await e1.send('score:submit', { itemId: f.items[0].id, round: 1, scores: { x: 1000 } })).toMatchObject({ ok: false, error: 'invalid' });
		const unknown = (await e1.socket.timeout(5000).emitWithAck('meeting:destroy', { meetingId: f.meetingId })) as { ok: boolean; error: string };
		expect(unknown).toMatchObject({ ok: false, error: 'unknownEvent' });
		// Events without an acknowledgement are validated all the same and do not crash anything.
		e1.socket.emit('score:submit', 'garbage');
		e1.socket.emit('meeting:start', { meetingId: f.meetingId });
		// A stranger (an expert not in the meeting, an applicant) cannot join or act.
		const [stranger] = [await roomClient(t.db, server.url, 'expert5', f.meetingId)];
		clients.push(stranger);
		await new Promise<void>((r) => stranger.socket.once('connect', () => r()));
		expect(await stranger.send('meeting:join', {})).toMatchObject({ ok: false, error: 'notFound' });
		expect(await stranger.send('meeting:start', {})).toMatchObject({ ok: false, error: 'notFound' });
		expect(stranger.received.filter((r) => r.event === 'meeting:state')).toHaveLength(0);
		// A member who has not joined cannot act either.
		const e2 = await roomClient(t.db, server.url, 'expert2', f.meetingId);
		clients.push(e2);
		await new Promise<void>((r) => e2.socket.once('connect', () => r()));
		expect(await e2.send('meeting:view', { itemId: null })).toMatchObject({ ok: false, error: 'notMember' });
		// No session: the handshake is refused.
		const { io } = await import('socket.io-client');
		const anon = io(server.url, { path: '/socket.io', transports: ['websocket'], reconnection: false });
		const err = await new Promise<Error>((resolve) => anon.once('connect_error', resolve));
		expect(err.message).toBe('unauthorized');
		anon.close();
		// A flood is rate-limited, and the server goes on serving.
		const results = await Promise.all(Array.from({ length: 120 }, () => e1.send('meeting:view', { itemId: null })));
		expect(results.filter((r) => !r.ok && r.error === 'rateLimited').length).toBeGreaterThan(50);
		await new Promise((r) => setTimeout(r, 1500));
		expect((await e1.send('meeting:view', { itemId: null })).ok).toBe(true);
		const [meeting] = await t.db.select().from(s.meetings).where(eq(s.meetings.id, f.meetingId));
		expect(meeting.status).toBe('scheduled');
	});
});

describe('server restart', () => {
	it('loses no submitted score and restores the room', async () => {
		const f = await meetingFixture(t.db);
		const [chair, e1, e2] = await connect(f.meetingId, 'chair', 'expert1', 'expert2');
		await chair.send('meeting:start', {});
		await chair.send('meeting:goto', { itemId: f.items[2].id });
		await e1.until((v) => v.meeting.currentItemId === f.items[2].id, 'moved');
		const scores = sheet(e1.state!, 72);
		expect((await e1.send('score:submit', { itemId: f.items[2].id, round: 1, scores, opinion: '重启前提交' })).ok).toBe(true);
		await e2.until((v) => (v.items[2] as ItemView).rounds[0].submitted === 1, 'count');

		const port = Number(new URL(server.url).port);
		await server.close();
		await waitFor(() => !e1.socket.connected && !e2.socket.connected, 10_000, 'sockets dropped');
		server = await startRealtime(port);
		// The clients reconnect by themselves and join again, as the room page does.
		for (const c of [chair, e1, e2]) {
			await waitFor(() => c.socket.connected, 15_000, `${c.username} reconnected`);
			await c.join();
		}
		const restored = full(e1, 3);
		expect(e1.state!.meeting).toMatchObject({ status: 'open', currentItemId: f.items[2].id });
		expect(restored.rounds[0]).toMatchObject({ submitted: 1, revealed: false });
		expect(restored.rounds[0].mine).toMatchObject({ total: 72, opinion: '重启前提交' });
		expect(full(e2, 3).rounds[0].mine).toBeNull();
		await chair.until((v) => v.members.filter((m) => m.presence === 'present').length === 3, 'presence restored');
		// The room goes on: the chair reveals the score submitted before the restart.
		expect((await chair.send('round:reveal', { itemId: f.items[2].id })).ok).toBe(true);
		await e2.until((v) => (v.items[2] as ItemView).rounds[0].sheets?.[0]?.total === 72, 'revealed after restart');
	});
});
