// Scheduling meetings against a real database with the whole demo seeded: creating, members
// and their roles, the agenda (only the call's accepted applications, each once, time boxes),
// reordering, conflicts, who may do it, and that nothing changes once the room has opened.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq, sql } from 'drizzle-orm';
import * as s from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { actorOf, applicationByNumber, callByCode, principal } from '../helpers/factories';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { DEMO_MEETING_TITLE, meetingsStep } from '../../src/lib/server/demo/meetings';
import { meetingAccess } from '../../src/lib/server/meetings/access';
import { agendaConflicts, agendaOf, listMeetings, meetingOverview } from '../../src/lib/server/meetings/schedule/queries';
import { createMeeting, deleteMeeting, membersFromForm, setAgenda, setMembers, updateMeeting, type MemberInput } from '../../src/lib/server/meetings/schedule/commands';
import { meetingDetailsSchema, membersSchema } from '../../src/lib/server/meetings/schedule/schemas';
import { parse } from '../../src/lib/server/validation';
import { countExits, suggestOrder } from '../../src/lib/meetings/agenda-order';

let t: TestDatabase;

beforeAll(async () => {
	t = await createTestDatabase();
	await seedDemo(t.db);
});
afterAll(async () => t?.drop());

const details = (over: Record<string, string> = {}) => {
	const parsed = parse(meetingDetailsSchema, { title: '测试评审会', startsAt: '2026-12-28T09:00', place: '第二会议室', videoLink: '', quorum: '0.667', ballotThreshold: '0.667', ...over });
	if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
	return parsed.data;
};

async function userId(username: string) {
	const [u] = await t.db.select({ id: s.users.id }).from(s.users).where(eq(s.users.username, username));
	return u.id;
}

async function panel(): Promise<MemberInput[]> {
	return [
		{ userId: await userId('chair'), role: 'chair' },
		{ userId: await userId('intake'), role: 'secretary' },
		{ userId: await userId('expert1'), role: 'expert' },
		{ userId: await userId('expert6'), role: 'expert' }
	];
}

async function newMeeting(): Promise<string> {
	const intake = await principal(t.db, 'intake');
	const call = await callByCode(t.db, 'IF2026');
	const r = await createMeeting(t.db, intake, actorOf(intake), call.id, details());
	if (!r.ok) throw new Error(r.message);
	return r.id;
}

async function itemNumbers(meetingId: string) {
	return (await agendaOf(t.db, meetingId)).map((i) => `${i.position}:${i.number}:${i.timeboxMinutes}`);
}

describe('the demo meeting', () => {
	it('is seeded once, with a chair, a secretary, experts, and an agenda with conflicts', async () => {
		const rows = await t.db.select().from(s.meetings).where(eq(s.meetings.title, DEMO_MEETING_TITLE));
		expect(rows).toHaveLength(1);
		expect(rows[0].status).toBe('scheduled');
		expect(await seedDemo(t.db)).toEqual([]);
		expect(await t.db.transaction((tx) => meetingsStep.done(tx))).toBe(true);
		const items = await agendaOf(t.db, rows[0].id);
		// The first item has the demo's hearing, whose 12 + 13 minutes its time box holds.
		expect(items.map((i) => i.timeboxMinutes)).toEqual([25, 20, 20, 20, 20]);
		const conflicts = await agendaConflicts(t.db, rows[0].id);
		expect(conflicts.find((c) => c.kind === 'institution')).toMatchObject({ name: '吴建平', reason: '北京清能光伏科技股份有限公司' });
		expect(conflicts.filter((c) => c.kind === 'declared')).toHaveLength(2);
		// The staff's order sends 吴建平 out twice; the suggested one once.
		const entries = items.map((i) => ({ key: i.applicationId, recused: conflicts.filter((c) => c.applicationId === i.applicationId).map((c) => c.userId) }));
		expect(countExits(entries)).toBe(3);
		expect(countExits(suggestOrder(entries))).toBe(2);
	});
});

describe('scheduling', () => {
	it('creates a meeting with the organizer as secretary, audited', async () => {
		const id = await newMeeting();
		const [row] = await t.db.select().from(s.meetings).where(eq(s.meetings.id, id));
		expect(row).toMatchObject({ title: '测试评审会', place: '第二会议室', status: 'scheduled', quorum: '0.667' });
		expect(row.startsAt.toISOString()).toBe('2026-12-28T01:00:00.000Z');
		const members = await t.db.select().from(s.meetingMembers).where(eq(s.meetingMembers.meetingId, id));
		expect(members).toEqual([expect.objectContaining({ userId: await userId('intake'), role: 'secretary' })]);
		const [entry] = await t.db.select().from(s.auditLog).where(eq(s.auditLog.entityId, id));
		expect(entry.action).toBe('meeting.created');
	});

	it('refuses details without a place or link, or with a bad link', () => {
		expect(parse(meetingDetailsSchema, { title: 'x', startsAt: '2026-12-28T09:00', place: '', videoLink: '', quorum: '0.667', ballotThreshold: '0.667' })).toMatchObject({ ok: false, errors: { place: expect.any(String) } });
		expect(parse(meetingDetailsSchema, { title: 'x', startsAt: '2026-02-30T09:00', place: 'a', videoLink: 'ftp://x', quorum: '0.3', ballotThreshold: '0.667' })).toMatchObject({
			ok: false,
			errors: { startsAt: expect.any(String), videoLink: '请输入以 http:// 或 https:// 开头的链接', quorum: expect.any(String) }
		});
	});

	it('refuses a call the principal does not manage', async () => {
		const planner = await principal(t.db, 'planner');
		const call = await callByCode(t.db, 'IF2026');
		const r = await createMeeting(t.db, planner, actorOf(planner), call.id, details());
		expect(r).toMatchObject({ ok: false, problem: 'forbidden' });
	});

	it('updates details and lists the meeting for organizers and members only', async () => {
		const id = await newMeeting();
		const intake = await principal(t.db, 'intake');
		expect(await updateMeeting(t.db, actorOf(intake), id, details({ title: '改名后的评审会', videoLink: 'https://meet.example.cn/r/123' }))).toEqual({ ok: true });
		expect((await listMeetings(t.db, intake)).find((x) => x.id === id)).toMatchObject({ title: '改名后的评审会', organizer: true, role: 'secretary' });
		expect((await listMeetings(t.db, await principal(t.db, 'planner'))).find((x) => x.id === id)).toBeUndefined();
		expect((await listMeetings(t.db, await principal(t.db, 'expert2'))).find((x) => x.id === id)).toBeUndefined();
		expect(await setMembers(t.db, actorOf(intake), id, await panel())).toEqual({ ok: true });
		expect((await listMeetings(t.db, await principal(t.db, 'expert1'))).find((x) => x.id === id)).toMatchObject({ organizer: false, role: 'expert', chairName: '陈宏远' });
	});
});

describe('members', () => {
	it('takes exactly one chair and one secretary, each person once, in roles they may hold', async () => {
		const id = await newMeeting();
		const actor = actorOf(await principal(t.db, 'intake'));
		const good = await panel();

		const twoChairs = await setMembers(t.db, actor, id, [...good, { userId: await userId('expert2'), role: 'chair' }]);
		expect(twoChairs).toMatchObject({ ok: false, problem: 'invalid', errors: { chairId: '每场会议须有且仅有一名主持人' } });

		const noSecretary = await setMembers(t.db, actor, id, good.filter((x) => x.role !== 'secretary'));
		expect(noSecretary).toMatchObject({ ok: false, errors: { secretaryId: expect.any(String) } });

		const twice = await setMembers(t.db, actor, id, [...good, { userId: await userId('expert1'), role: 'observer' }]);
		expect(twice).toMatchObject({ ok: false, errors: { observerIds: '同一人只能担任一个角色' } });

		const expertAsSecretary = await setMembers(t.db, actor, id, good.map((x) => (x.role === 'secretary' ? { ...x, userId: expert2 } : x)));
		expect(expertAsSecretary).toMatchObject({ ok: false, errors: { secretaryId: '秘书须为工作人员' } });

		const staffAsExpert = await setMembers(t.db, actor, id, [...good, { userId: await userId('chenlei'), role: 'expert' }]);
		expect(staffAsExpert).toMatchObject({ ok: false, errors: { expertIds: expect.any(String) } });

		// A staff member who does not head a division cannot chair; a head can.
		const staffChair = await setMembers(t.db, actor, id, good.map((x) => (x.role === 'chair' ? { ...x, userId: chenlei } : x)));
		expect(staffChair).toMatchObject({ ok: false, errors: { chairId: expect.any(String) } });
		expect(await setMembers(t.db, actor, id, good.map((x) => (x.role === 'chair' ? { ...x, userId: head } : x)))).toEqual({ ok: true });

		// Refusals changed nothing; the last good list is what is stored.
		const stored = await t.db.select().from(s.meetingMembers).where(eq(s.meetingMembers.meetingId, id));
		expect(stored).toHaveLength(4);
		expect(stored.find((x) => x.role === 'chair')?.userId).toBe(head);
	});

	let expert2 = '';
	let chenlei = '';
	let head = '';
	beforeAll(async () => {
		expert2 = await userId('expert2');
		chenlei = await userId('chenlei');
		head = await userId('wanghaitao');
	});

	it('reads the members form into one list', () => {
		const parsed = parse(membersSchema, { chairId: 'not-a-uuid', secretaryId: '' });
		expect(parsed).toMatchObject({ ok: false, errors: { chairId: expect.any(String), secretaryId: expect.any(String) } });
		const ok = parse(membersSchema, { chairId: expert2, secretaryId: chenlei, expertIds: head });
		if (!ok.ok) throw new Error('parse');
		expect(membersFromForm(ok.data).map((x) => x.role)).toEqual(['chair', 'secretary', 'expert']);
	});
});

describe('the agenda', () => {
	it('takes only accepted, undecided applications of the meeting’s call, each once, and changes nothing when refused', async () => {
		const id = await newMeeting();
		const actor = actorOf(await principal(t.db, 'intake'));
		const [a2, a3, a8, a11, a17] = await Promise.all(['IF2026-0002', 'IF2026-0003', 'IF2026-0008', 'IF2026-0011', 'IF2026-0017'].map((n) => applicationByNumber(t.db, n)));
		expect(await setAgenda(t.db, actor, id, [{ applicationId: a2.id, timeboxMinutes: 20 }, { applicationId: a3.id, timeboxMinutes: 30 }])).toEqual({ ok: true });
		const before = await itemNumbers(id);
		expect(before).toEqual(['1:IF2026-0002:20', '2:IF2026-0003:30']);

		for (const [bad, message] of [
			[[{ applicationId: a11.id, timeboxMinutes: 20 }], '议程只能包含本批次已受理、尚未决定的项目'], // submitted, not accepted
			[[{ applicationId: a17.id, timeboxMinutes: 20 }], '议程只能包含本批次已受理、尚未决定的项目'], // rejected
			[[{ applicationId: a2.id, timeboxMinutes: 20 }, { applicationId: a2.id, timeboxMinutes: 25 }], '同一项目不能重复列入议程'],
			[[{ applicationId: a8.id, timeboxMinutes: 4 }], '每项时长须为 5 至 180 分钟的整数'],
			[[{ applicationId: a8.id, timeboxMinutes: 181 }], '每项时长须为 5 至 180 分钟的整数'],
			[[{ applicationId: 'x', timeboxMinutes: 20 }], expect.any(String)],
			['not a list', expect.any(String)]
		] as const) {
			expect(await setAgenda(t.db, actor, id, bad)).toMatchObject({ ok: false, problem: 'invalid', errors: { agenda: message } });
		}
		// An accepted application of another call.
		const [other] = await t.db.insert(s.calls).values({ ...(await callByCode(t.db, 'IF2026')), id: undefined, code: 'IF2027T', year: 2027 }).returning();
		const [foreign] = await t.db
			.insert(s.applications)
			.values({ ...a8, id: undefined, number: 'IF2027T-0001', callId: other.id, createdAt: undefined, updatedAt: undefined })
			.returning();
		expect(await setAgenda(t.db, actor, id, [{ applicationId: foreign.id, timeboxMinutes: 20 }])).toMatchObject({ ok: false, errors: { agenda: '议程只能包含本批次已受理、尚未决定的项目' } });
		expect(await itemNumbers(id)).toEqual(before);
	});

	it('reorders, changes time boxes, adds and removes, keeping the ids of items that stay', async () => {
		const id = await newMeeting();
		const actor = actorOf(await principal(t.db, 'intake'));
		const [a2, a3, a4, a8] = await Promise.all(['IF2026-0002', 'IF2026-0003', 'IF2026-0004', 'IF2026-0008'].map((n) => applicationByNumber(t.db, n)));
		await setAgenda(t.db, actor, id, [a2, a3, a4].map((a) => ({ applicationId: a.id, timeboxMinutes: 20 })));
		const ids = new Map((await agendaOf(t.db, id)).map((i) => [i.number, i.id]));
		expect(
			await setAgenda(t.db, actor, id, [
				{ applicationId: a4.id, timeboxMinutes: 45 },
				{ applicationId: a8.id, timeboxMinutes: 5 },
				{ applicationId: a2.id, timeboxMinutes: 180 }
			])
		).toEqual({ ok: true });
		const after = await agendaOf(t.db, id);
		expect(after.map((i) => `${i.position}:${i.number}:${i.timeboxMinutes}`)).toEqual(['1:IF2026-0004:45', '2:IF2026-0008:5', '3:IF2026-0002:180']);
		expect(after[0].id).toBe(ids.get('IF2026-0004'));
		expect(after[2].id).toBe(ids.get('IF2026-0002'));
		const [entry] = await t.db.select().from(s.auditLog).where(eq(s.auditLog.action, 'meeting.agenda_set')).orderBy(sql`${s.auditLog.seq} DESC`).limit(1);
		expect(entry.details).toMatchObject({ added: 1, removed: 1 });
	});

	it('lists the members conflicted with each item and why', async () => {
		const id = await newMeeting();
		const actor = actorOf(await principal(t.db, 'intake'));
		await setMembers(t.db, actor, id, await panel());
		const [a2, a4] = await Promise.all(['IF2026-0002', 'IF2026-0004'].map((n) => applicationByNumber(t.db, n)));
		await setAgenda(t.db, actor, id, [a2, a4].map((a) => ({ applicationId: a.id, timeboxMinutes: 20 })));
		const conflicts = await agendaConflicts(t.db, id);
		expect(conflicts).toEqual([{ applicationId: a4.id, userId: await userId('expert6'), name: '吴建平', kind: 'institution', reason: '北京清能光伏科技股份有限公司' }]);

		// The organizer sees the conflict; the conflicted member sees only that the item is recused.
		const intake = await principal(t.db, 'intake');
		const org = await meetingOverview(t.db, intake, (await meetingAccess(t.db, intake, id))!);
		expect(org?.agenda[1]).toMatchObject({ number: 'IF2026-0004', conflicts: [expect.objectContaining({ name: '吴建平' })] });
		const expert6 = await principal(t.db, 'expert6');
		const mine = await meetingOverview(t.db, expert6, (await meetingAccess(t.db, expert6, id))!);
		expect(mine?.agenda[1]).toEqual({ id: expect.any(String), position: 2, timeboxMinutes: 20, startedAt: null, recused: true });
		expect(JSON.stringify(mine)).not.toContain('钙钛矿');
		expect(JSON.stringify(mine)).not.toContain('IF2026-0004');
		expect(mine?.agenda[0]).toMatchObject({ number: 'IF2026-0002', conflicts: [] });
	});
});

describe('who may, and when', () => {
	it('gives non-organizers no organizer rights, and strangers nothing', async () => {
		const id = await newMeeting();
		await setMembers(t.db, actorOf(await principal(t.db, 'intake')), id, await panel());
		expect(await meetingAccess(t.db, await principal(t.db, 'planner'), id)).toBeNull();
		expect(await meetingAccess(t.db, await principal(t.db, 'expert2'), id)).toBeNull();
		expect(await meetingAccess(t.db, await principal(t.db, 'expert1'), id)).toMatchObject({ organizer: false, role: 'expert', mayEnter: true });
		expect(await meetingAccess(t.db, await principal(t.db, 'admin'), id)).toMatchObject({ organizer: true });
	});

	it('refuses every change once the meeting is open, and changes nothing', async () => {
		const id = await newMeeting();
		const actor = actorOf(await principal(t.db, 'intake'));
		await setMembers(t.db, actor, id, await panel());
		const a2 = await applicationByNumber(t.db, 'IF2026-0002');
		await setAgenda(t.db, actor, id, [{ applicationId: a2.id, timeboxMinutes: 20 }]);
		await t.db.update(s.meetings).set({ status: 'open', startedAt: new Date() }).where(eq(s.meetings.id, id));

		const refused = { ok: false, problem: 'notScheduled', message: '会议已开始或已结束，不能再修改会议安排。' };
		expect(await updateMeeting(t.db, actor, id, details({ title: '不应改变' }))).toMatchObject(refused);
		expect(await setMembers(t.db, actor, id, (await panel()).slice(0, 3).concat({ userId: await userId('expert3'), role: 'expert' }))).toMatchObject(refused);
		expect(await setAgenda(t.db, actor, id, [])).toMatchObject(refused);
		expect(await deleteMeeting(t.db, actor, id)).toMatchObject(refused);

		const [row] = await t.db.select().from(s.meetings).where(eq(s.meetings.id, id));
		expect(row.title).toBe('测试评审会');
		expect(await itemNumbers(id)).toEqual(['1:IF2026-0002:20']);
		const members = await t.db.select().from(s.meetingMembers).where(eq(s.meetingMembers.meetingId, id)).orderBy(asc(s.meetingMembers.role));
		expect(members.map((x) => x.role)).toEqual(['chair', 'secretary', 'expert', 'expert']);
	});

	it('deletes a scheduled meeting with its members and agenda', async () => {
		const id = await newMeeting();
		const actor = actorOf(await principal(t.db, 'intake'));
		const a2 = await applicationByNumber(t.db, 'IF2026-0002');
		await setAgenda(t.db, actor, id, [{ applicationId: a2.id, timeboxMinutes: 20 }]);
		expect(await deleteMeeting(t.db, actor, id)).toEqual({ ok: true });
		expect(await t.db.select().from(s.meetings).where(eq(s.meetings.id, id))).toEqual([]);
		expect(await t.db.select().from(s.meetingItems).where(eq(s.meetingItems.meetingId, id))).toEqual([]);
		expect(await deleteMeeting(t.db, actor, id)).toMatchObject({ ok: false, problem: 'notFound' });
	});
});
