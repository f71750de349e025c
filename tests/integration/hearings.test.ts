// Hearings (答辩) from the attacker's side, over real Socket.IO connections on the test database
// (PGlite, or Postgres with DATABASE_URL): an applicant not checked in, another enterprise's
// account, an expert or a member trying the applicant's door; more representatives or devices
// than allowed; the applicant's raw client recording every frame across a whole meeting (the
// item before, theirs, the item after, a reconnect) and trying the room's member events; the
// questions' authors hidden; the chair alone moving the hearing on; the minutes' record.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray } from 'drizzle-orm';
import * as s from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { useDatabase } from '../../src/lib/server/db';
import { useAuditSecrets } from '../../src/lib/server/audit/secrets';
import { seedDemo, STEPS } from '../../src/lib/server/demo/seed';
import { meetingFixture, roomClient, startRealtime, type MeetingFixture, type RealtimeServer, type RoomClient } from '../helpers/meetings';
import { hearingClient, type HearingClient } from '../helpers/hearings';
import { waitFor } from '../helpers/collab';
import { actorOf, applicationByNumber, principal } from '../helpers/factories';
import { addQuestion, addRepresentative, checkIn, removeRepresentative, setHearing } from '../../src/lib/server/meetings/hearings/commands';
import { applicantHearingPage, meetingHearingsPage } from '../../src/lib/server/meetings/hearings/pages';
import { meetingAccess } from '../../src/lib/server/meetings/access';
import { HEARING_DEFAULTS } from '../../src/lib/server/meetings/hearings/schemas';
import type { ItemView, MeetingView } from '../../src/lib/meetings/protocol';

let t: TestDatabase;
let server: RealtimeServer;
let rooms: RoomClient[] = [];
let hearing: HearingClient[] = [];

beforeAll(async () => {
	t = await createTestDatabase();
	await seedDemo(t.db, STEPS.filter((step) => step.name === 'organization'));
	// IF2026-0002's enterprise gets an account, as the demo's hearing step gives it.
	const app = await applicationByNumber(t.db, 'IF2026-0002');
	const [user] = await t.db.insert(s.users).values({ username: 'applicant2', name: '黄志伟', passwordHash: 'x' }).returning();
	await t.db.update(s.enterprises).set({ userId: user.id }).where(eq(s.enterprises.id, app.enterpriseId!));
	server = await startRealtime();
});
afterEach(() => {
	for (const c of rooms) c.close();
	for (const c of hearing) c.close();
	rooms = [];
	hearing = [];
});
afterAll(async () => {
	await server?.close();
	await t?.drop();
});

async function room(meetingId: string, ...usernames: string[]): Promise<RoomClient[]> {
	const out = await Promise.all(usernames.map((u) => roomClient(t.db, server.url, u, meetingId)));
	rooms.push(...out);
	for (const c of out) await c.join();
	return out;
}

async function hearer(username: string): Promise<HearingClient> {
	const c = await hearingClient(t.db, server.url, username);
	hearing.push(c);
	await c.connected();
	return c;
}

const as = async (username: string) => {
	const p = await principal(t.db, username);
	return { p, actor: actorOf(p) };
};

/** A meeting with IF2026-0002 (applicant2's) in the middle, and a hearing on it. */
async function fixture(options: Partial<typeof HEARING_DEFAULTS> = {}): Promise<MeetingFixture & { itemId: string }> {
	const f = await meetingFixture(t.db, { numbers: ['IF2026-0003', 'IF2026-0002', 'IF2026-0005'], requiresBallot: false });
	const itemId = f.items[1].id;
	const intake = await as('intake');
	const r = await setHearing(t.db, intake.p, intake.actor, f.meetingId, { itemId, scheduledAt: new Date(), ...HEARING_DEFAULTS, ...options });
	expect(r).toEqual({ ok: true });
	return { ...f, itemId };
}

function sheet(view: MeetingView, value: number) {
	const scores: Record<string, number> = {};
	for (const g of view.rubric.groups) for (const i of g.items) scores[i.id] = value;
	return scores;
}

describe('who may set, question and attend a hearing', () => {
	it('refuses strangers, experts and the applicant at each step; enforces the maximum', async () => {
		const f = await fixture({ maxRepresentatives: 2 });
		const applicant = await as('applicant2');
		const other = await as('applicant1');
		const expert = await as('expert1');
		const intake = await as('intake');

		// The item's time box holds the whole hearing (12 + 13 minutes).
		const [boxed] = await t.db.select().from(s.meetingItems).where(eq(s.meetingItems.id, f.itemId));
		expect(boxed.timeboxMinutes).toBe(25);
		// Settings: organizers only.
		expect(await setHearing(t.db, expert.p, expert.actor, f.meetingId, { itemId: f.itemId, scheduledAt: new Date(), ...HEARING_DEFAULTS })).toEqual({ ok: false, code: 'forbidden' });
		expect(await setHearing(t.db, applicant.p, applicant.actor, f.meetingId, { itemId: f.itemId, scheduledAt: new Date(), ...HEARING_DEFAULTS })).toEqual({ ok: false, code: 'notFound' });
		// The page: another enterprise's account sees nothing; the applicant sees its own.
		expect(await applicantHearingPage(t.db, other.p, f.itemId)).toBeNull();
		expect(await applicantHearingPage(t.db, expert.p, f.itemId)).toBeNull();
		expect((await applicantHearingPage(t.db, applicant.p, f.itemId))?.number).toBe('IF2026-0002');
		// The meetings' hearing page is for the panel and organizers, never the applicant.
		expect(await meetingAccess(t.db, applicant.p, f.meetingId)).toBeNull();

		// Questions: scoring members not recused, before the meeting; never the applicant.
		expect(await addQuestion(t.db, applicant.p, applicant.actor, f.itemId, '你们自己觉得项目怎么样？')).toEqual({ ok: false, code: 'notFound' });
		expect(await addQuestion(t.db, intake.p, intake.actor, f.itemId, '秘书不应提问的问题。')).toEqual({ ok: false, code: 'notFound' });

		// Representatives: the applicant's own, at most the maximum; another firm cannot add any.
		expect(await addRepresentative(t.db, other.p, other.actor, { itemId: f.itemId, name: '冒名者', position: '' })).toEqual({ ok: false, code: 'notFound' });
		const a = await addRepresentative(t.db, applicant.p, applicant.actor, { itemId: f.itemId, name: '黄志伟', position: '总经理' });
		const b = await addRepresentative(t.db, applicant.p, applicant.actor, { itemId: f.itemId, name: '陈思远', position: '技术总监' });
		expect(a.ok && b.ok).toBe(true);
		expect(await addRepresentative(t.db, applicant.p, applicant.actor, { itemId: f.itemId, name: '第三人', position: '' })).toEqual({ ok: false, code: 'tooMany' });
		// Even all at once: the hearing's row lock counts them one after another.
		const c = await as('applicant2');
		await removeRepresentative(t.db, c.p, c.actor, (b as { id: string }).id);
		const race = await Promise.all(['甲某某', '乙某某', '丙某某'].map((name) => addRepresentative(t.db, applicant.p, applicant.actor, { itemId: f.itemId, name, position: '' })));
		expect(race.filter((r) => r.ok)).toHaveLength(1);
		expect(await t.db.select().from(s.hearingRepresentatives).where(eq(s.hearingRepresentatives.itemId, f.itemId))).toHaveLength(2);

		// Nobody gets in before a check-in.
		const door = await hearer('applicant2');
		expect(await door.join(f.itemId)).toMatchObject({ ok: false, error: 'notCheckedIn' });
		expect((await door.join(f.itemId)).message).toMatch(/签到/);
		// Check-in: the secretary (or organizers), not the applicant, not an expert.
		const repId = (a as { id: string }).id;
		expect(await checkIn(t.db, applicant.p, applicant.actor, { representativeId: repId, method: 'confirmed' })).toEqual({ ok: false, code: 'notFound' });
		expect(await checkIn(t.db, expert.p, expert.actor, { representativeId: repId, method: 'confirmed' })).toEqual({ ok: false, code: 'forbidden' });
		expect(await checkIn(t.db, intake.p, intake.actor, { representativeId: repId, method: 'document', idType: 'idCard', idLast4: '123X' })).toEqual({ ok: true });
		expect(await checkIn(t.db, intake.p, intake.actor, { representativeId: repId, method: 'confirmed' })).toEqual({ ok: false, code: 'checkedIn' });
		// A checked-in representative stays on the record.
		expect(await removeRepresentative(t.db, applicant.p, applicant.actor, repId)).toEqual({ ok: false, code: 'checkedIn' });
		const [rep] = await t.db.select().from(s.hearingRepresentatives).where(eq(s.hearingRepresentatives.id, repId));
		expect(rep).toMatchObject({ checkMethod: 'document', idType: 'idCard', idLast4: '123X', checkedInBy: intake.p.user.id });
		const [entry] = await t.db.select().from(s.auditLog).where(eq(s.auditLog.action, 'hearing.checked_in'));
		expect(entry).toMatchObject({ actorId: intake.p.user.id });
		expect(entry.details).toMatchObject({ representativeId: repId, method: 'document', idLast4: '123X' });
		// The database itself refuses a check-in without who or how.
		await expect(t.db.update(s.hearingRepresentatives).set({ checkedInAt: new Date() }).where(eq(s.hearingRepresentatives.id, (race.find((r) => r.ok) as { id: string }).id))).rejects.toThrow();

		// Now the applicant is in (waiting: the meeting has not started).
		expect(await door.join(f.itemId)).toMatchObject({ ok: true, data: { status: 'waiting', itemId: f.itemId } });
		// One device per checked-in person: a second one is refused.
		const second = await hearer('applicant2');
		expect(await second.join(f.itemId)).toMatchObject({ ok: false, error: 'tooMany' });
		// Another enterprise's account, an expert, the secretary: not their hearing.
		for (const who of ['applicant1', 'expert1', 'intake', 'chair']) {
			const c = await hearer(who);
			expect(await c.join(f.itemId), who).toMatchObject({ ok: false, error: 'notFound' });
		}
		// The applicant cannot follow the members' control view nor move the hearing on.
		expect(await door.send('hearing:watch', { meetingId: f.meetingId })).toMatchObject({ ok: false, error: 'notFound' });
		expect(await door.send('hearing:phase', { meetingId: f.meetingId, itemId: f.itemId, phase: 'presentation' })).toMatchObject({ ok: false, error: 'notFound' });
		// Bad input is refused with a message, and changes nothing.
		expect(await door.send('hearing:join', { itemId: 'nope' })).toMatchObject({ ok: false, error: 'invalid' });
		expect(await door.send('hearing:join', 'x'.repeat(10_000))).toMatchObject({ ok: false, error: 'invalid' });
	});
});

describe("the applicant's raw client across a whole meeting", () => {
	it('receives nothing about any other item, no member event is accepted from it, and the minutes record the hearing', async () => {
		const f = await fixture();
		const applicant = await as('applicant2');
		const intake = await as('intake');
		const e1 = await as('expert1');
		const e2 = await as('expert2');
		const q1 = '请说明AEC-Q100认证的进展与预计取证时间。';
		const q2 = '与进口产品相比，栅极驱动电流与隔离耐压的指标如何？';
		expect((await addQuestion(t.db, e1.p, e1.actor, f.itemId, q1)).ok).toBe(true);
		expect((await addQuestion(t.db, e2.p, e2.actor, f.itemId, q2)).ok).toBe(true);
		const rep = await addRepresentative(t.db, applicant.p, applicant.actor, { itemId: f.itemId, name: '黄志伟', position: '总经理' });
		expect(await checkIn(t.db, intake.p, intake.actor, { representativeId: (rep as { id: string }).id, method: 'confirmed' })).toEqual({ ok: true });

		const raw = await hearer('applicant2');
		expect((await raw.join(f.itemId)).ok).toBe(true);
		const [chair, x1, x2, x6] = await room(f.meetingId, 'chair', 'expert1', 'expert2', 'expert6');
		const control = await hearer('chair');
		expect((await control.watch(f.meetingId)).ok).toBe(true);
		expect(control.control!.hearings.map((h) => h.itemId)).toEqual([f.itemId]);

		// The item before: scored with distinctive values while the applicant waits.
		expect((await chair.send('meeting:start', {})).ok).toBe(true);
		await x1.until((v) => v.meeting.status === 'open', 'open');
		const view = x1.state!;
		const before = f.items[0];
		for (const [c, v] of [
			[chair, 71],
			[x1, 72],
			[x2, 73],
			[x6, 74]
		] as const)
			expect((await c.send('score:submit', { itemId: before.id, round: 1, scores: sheet(view, v), opinion: '前一项目的保密评审意见' })).ok).toBe(true);
		await chair.until((v) => (v.items[0] as ItemView).rounds[0].revealed, 'revealed');
		expect(raw.state).toMatchObject({ status: 'waiting' });
		// Questions close when the meeting opens.
		expect(await addQuestion(t.db, e1.p, e1.actor, f.itemId, '会上临时补充的问题。')).toEqual({ ok: false, code: 'notScheduled' });

		// Their item: the applicant is let in and sees the time box and the questions, unsigned.
		expect((await chair.send('meeting:goto', { itemId: f.itemId })).ok).toBe(true);
		const live = await raw.until((v) => v.status === 'live', 'live');
		if (live.status !== 'live') throw new Error('not live');
		expect(live.clock).toMatchObject({ phase: 'pending', presentationMinutes: 12, questionMinutes: 13 });
		expect(live.questions.map((q) => q.body)).toEqual([q1, q2]);
		expect(live.questions.every((q) => q.author === null)).toBe(true);
		expect(live.members).toBeNull();
		expect(live.representatives).toEqual([{ name: '黄志伟', position: '总经理' }]);

		// Only the chair moves the hearing on; the applicant and an expert are refused.
		expect(await raw.send('hearing:phase', { meetingId: f.meetingId, itemId: f.itemId, phase: 'presentation' })).toMatchObject({ ok: false, error: 'notFound' });
		const expertControl = await hearer('expert1');
		expect((await expertControl.watch(f.meetingId)).ok).toBe(true);
		expect(await expertControl.send('hearing:phase', { meetingId: f.meetingId, itemId: f.itemId, phase: 'presentation' })).toMatchObject({ ok: false, error: 'forbidden' });
		expect(await control.send('hearing:phase', { meetingId: f.meetingId, itemId: f.itemId, phase: 'presentation' })).toEqual({ ok: true });
		await raw.until((v) => v.status === 'live' && v.clock.phase === 'presentation', 'presentation');
		await control.untilControl((v) => v.hearings[0].clock.phase === 'presentation' && v.hearings[0].applicantsConnected === 1, 'chair sees it');
		// No going back.
		expect(await control.send('hearing:phase', { meetingId: f.meetingId, itemId: f.itemId, phase: 'presentation' })).toMatchObject({ ok: false, error: 'badPhase' });

		// The applicant tries every member event of the room: each refused, nothing sent back.
		const tries: [string, Record<string, unknown>][] = [
			['meeting:join', { meetingId: f.meetingId }],
			['meeting:view', { meetingId: f.meetingId, itemId: before.id }],
			['meeting:away', { meetingId: f.meetingId, away: true }],
			['score:submit', { meetingId: f.meetingId, itemId: f.itemId, round: 1, scores: sheet(view, 100) }],
			['ballot:open', { meetingId: f.meetingId, itemId: f.itemId }],
			['ballot:vote', { meetingId: f.meetingId, itemId: f.itemId, ballotId: before.id, choice: 'fund' }],
			['summary:set', { meetingId: f.meetingId, itemId: f.itemId, summary: '申报单位自己写的结论' }],
			['decision:lock', { meetingId: f.meetingId, itemId: f.itemId, outcome: 'fund', amount: 100, fundingMode: 'grant', rationale: '自己批准自己' }],
			['meeting:goto', { meetingId: f.meetingId, itemId: f.items[2].id }]
		];
		for (const [event, payload] of tries) expect(await raw.send(event, payload), event).toMatchObject({ ok: false, error: 'notFound' });
		expect(await t.db.select().from(s.meetingScores).where(eq(s.meetingScores.itemId, f.itemId))).toHaveLength(0);
		expect(await t.db.select().from(s.meetingDecisions)).toHaveLength(0);
		await chair.until((v) => v.meeting.currentItemId === f.itemId, 'still on the item');
		// The panel sees no trace of the applicant among its members.
		expect(chair.state!.members.map((m) => m.userId)).not.toContain(applicant.p.user.id);

		// A reconnect: the applicant comes back to the same view, and only that.
		raw.socket.disconnect();
		await control.untilControl((v) => v.hearings[0].applicantsConnected === 0, 'gone');
		raw.socket.connect();
		expect(await raw.join(f.itemId)).toMatchObject({ ok: true, data: { status: 'live', itemId: f.itemId } });

		// Members score the hearing item; the applicant sees none of it.
		for (const [c, v] of [
			[chair, 81],
			[x1, 82],
			[x2, 83],
			[x6, 84]
		] as const)
			expect((await c.send('score:submit', { itemId: f.itemId, round: 1, scores: sheet(view, v), opinion: '本项目的保密评审意见' })).ok).toBe(true);
		await chair.until((v) => (v.items[1] as ItemView).rounds[0].revealed, 'revealed');
		expect(await control.send('hearing:phase', { meetingId: f.meetingId, itemId: f.itemId, phase: 'questions' })).toEqual({ ok: true });
		await raw.until((v) => v.status === 'live' && v.clock.phase === 'questions', 'questions');

		// The chair moves on: the applicant is moved out and the hearing ends.
		expect((await chair.send('meeting:goto', { itemId: f.items[2].id })).ok).toBe(true);
		await raw.until((v) => v.status === 'waiting', 'moved out');
		await waitFor(() => control.control?.hearings[0].clock.phase === 'ended', 10_000, 'ended');
		const [h] = await t.db.select().from(s.hearings).where(eq(s.hearings.itemId, f.itemId));
		expect(h.phase).toBe('ended');
		expect(h.endedAt!.getTime()).toBeGreaterThanOrEqual(h.questionsStartedAt!.getTime());
		// Coming back in does not reopen it, nor show the next item.
		expect(await raw.join(f.itemId)).toMatchObject({ ok: true, data: { status: 'waiting' } });

		// The item after, decided; then the meeting closes.
		const after = f.items[2];
		for (const c of [chair, x1, x2]) expect((await c.send('score:submit', { itemId: after.id, round: 1, scores: sheet(view, 66), opinion: '后一项目的保密评审意见' })).ok).toBe(true);
		expect((await chair.send('round:reveal', { itemId: after.id })).ok).toBe(true);
		expect((await chair.send('decision:lock', { itemId: after.id, outcome: 'decline', rationale: '后一项目不予资助的理由' })).ok).toBe(true);
		expect((await chair.send('meeting:close', {})).ok).toBe(true);
		await chair.until((v) => v.meeting.status === 'closed', 'closed');

		// Every frame the applicant's client ever received: only hearing states of its own item.
		await new Promise((r) => setTimeout(r, 200));
		// (and the bell of its own inbox: its count and latest notification, scanned with the rest below)
		expect(new Set(raw.received.map((r) => r.event).filter((e) => e !== 'notifications:unread'))).toEqual(new Set(['hearing:state']));
		for (const r of raw.received.filter((x) => x.event === 'notifications:unread')) for (const k of Object.keys(JSON.parse(r.json)[0])) expect(['unread', 'latest']).toContain(k);
		const all = raw.everything();
		const members = await t.db.select({ name: s.users.name, id: s.users.id }).from(s.meetingMembers).innerJoin(s.users, eq(s.users.id, s.meetingMembers.userId)).where(eq(s.meetingMembers.meetingId, f.meetingId));
		const others = await t.db.select().from(s.applications).where(inArray(s.applications.number, [before.number, after.number]));
		const secrets = [
			before.id,
			after.id,
			f.meetingId,
			...others.flatMap((a) => [a.id, a.number, a.title, a.enterpriseName]),
			...members.flatMap((m) => [m.name, m.id]),
			'保密评审意见',
			'不予资助',
			'"total"',
			'"scores"',
			'"rounds"',
			'"ballot"',
			'"decision"',
			'"presence"'
		];
		for (const secret of secrets) expect(all, secret).not.toContain(secret);
		for (const r of raw.received.filter((x) => x.event === 'hearing:state')) for (const v of JSON.parse(r.json) as { itemId: string }[]) expect(v.itemId).toBe(f.itemId);

		// The minutes record the hearing: who attended, when, how checked, the questions.
		const [mt] = await t.db.select().from(s.meetings).where(eq(s.meetings.id, f.meetingId));
		const text = await minutesText(mt.minutesDocumentId!);
		for (const expected of ['答辩记录', '黄志伟', '总经理', '当面确认', q1, q2, '陈述：', '提问：', '刘芳']) expect(text).toContain(expected);
		expect(text).not.toContain('陈述：未进行');
	});

	it('names the questions’ authors and shows the panel only when the hearing says so; a recused expert sees none of its hearing', async () => {
		const f = await meetingFixture(t.db, { numbers: ['IF2026-0002', 'IF2026-0004'], requiresBallot: false });
		const intake = await as('intake');
		const [mine, recusedItem] = f.items;
		for (const it of [mine, recusedItem])
			expect(await setHearing(t.db, intake.p, intake.actor, f.meetingId, { itemId: it.id, scheduledAt: new Date(), ...HEARING_DEFAULTS, anonymousQuestions: false, showMembers: true })).toEqual({ ok: true });
		const e1 = await as('expert1');
		const e6 = await as('expert6');
		expect((await addQuestion(t.db, e1.p, e1.actor, mine.id, '请介绍团队核心成员的背景。')).ok).toBe(true);
		// expert6 works at IF2026-0004's applicant: recused, it cannot question it nor see it.
		expect(await addQuestion(t.db, e6.p, e6.actor, recusedItem.id, '回避专家的问题。')).toEqual({ ok: false, code: 'notFound' });
		const page = await meetingHearingsPage(t.db, e6.p, (await meetingAccess(t.db, e6.p, f.meetingId))!, { startsAt: new Date() });
		expect(page!.items.map((i) => i.itemId)).toEqual([mine.id]);
		const applicant = await as('applicant2');
		const rep = await addRepresentative(t.db, applicant.p, applicant.actor, { itemId: mine.id, name: '黄志伟', position: '' });
		await checkIn(t.db, intake.p, intake.actor, { representativeId: (rep as { id: string }).id, method: 'confirmed' });

		const watcher6 = await hearer('expert6');
		expect((await watcher6.watch(f.meetingId)).ok).toBe(true);
		expect(watcher6.control!.hearings.map((h) => h.itemId)).toEqual([mine.id]);
		const raw = await hearer('applicant2');
		await raw.join(mine.id);
		const [chair] = await room(f.meetingId, 'chair');
		expect((await chair.send('meeting:start', {})).ok).toBe(true);
		const live = await raw.until((v) => v.status === 'live', 'live');
		if (live.status !== 'live') throw new Error('not live');
		expect(live.questions).toEqual([expect.objectContaining({ body: '请介绍团队核心成员的背景。', author: e1.p.user.name })]);
		expect(live.members!.map((m) => m.name)).toContain(e1.p.user.name);
		// The recused item's hearing moves: expert6's control view hears nothing of it.
		const seen = watcher6.received.length;
		expect((await chair.send('meeting:goto', { itemId: recusedItem.id })).ok).toBe(true);
		await raw.until((v) => v.status === 'waiting', 'moved out');
		await new Promise((r) => setTimeout(r, 300));
		for (const r of watcher6.received.slice(seen)) expect(r.json).not.toContain(recusedItem.id);
		expect(watcher6.everything()).not.toContain(recusedItem.id);
	});
});

describe('the demo', () => {
	it('has a hearing on the demo meeting, with two experts’ questions and applicant2 invited', async () => {
		const demo = await createTestDatabase({ install: false });
		try {
			await seedDemo(demo.db);
			const [row] = await demo.db
				.select({ itemId: s.hearings.itemId, number: s.applications.number, presentation: s.hearings.presentationMinutes, questions: s.hearings.questionMinutes, max: s.hearings.maxRepresentatives, anonymous: s.hearings.anonymousQuestions })
				.from(s.hearings)
				.innerJoin(s.meetingItems, eq(s.meetingItems.id, s.hearings.itemId))
				.innerJoin(s.applications, eq(s.applications.id, s.meetingItems.applicationId));
			expect(row).toMatchObject({ number: 'IF2026-0002', presentation: 12, questions: 13, max: 3, anonymous: true });
			expect(await demo.db.select().from(s.hearingQuestions).where(eq(s.hearingQuestions.itemId, row.itemId))).toHaveLength(2);
			const p = await principal(demo.db, 'applicant2');
			expect((await applicantHearingPage(demo.db, p, row.itemId))?.representatives).toHaveLength(2);
			// Seeding again changes nothing.
			await seedDemo(demo.db);
			expect(await demo.db.select().from(s.hearings)).toHaveLength(1);
		} finally {
			await demo.drop();
			// drop() uninstalls whatever database is installed: put the suite's back.
			useDatabase(t);
			useAuditSecrets(t.audit);
		}
	});
});

async function minutesText(minutesId: string): Promise<string> {
	const { currentContent } = await import('../../src/lib/server/documents');
	const { textOfJSON } = await import('../../src/lib/server/documents/content');
	return textOfJSON((await currentContent(t.db, minutesId)).json);
}
