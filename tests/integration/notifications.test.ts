// Notifications against a real database (PGlite, or Postgres with DATABASE_URL) and a real
// SMTP server in-process: written with the action (and gone with a rolled-back one), mailed
// from the outbox with a Chinese subject and body in text and HTML, retried after a refusal,
// opt-out and digest honoured, deadline reminders once however often the loop runs, review
// deadlines enforced with extensions only division staff grant, reminders once a day.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import * as s from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { rows as rawRows } from '../../src/lib/server/db';
import { actorOf, callByCode, principal } from '../helpers/factories';
import { startSmtp, type TestSmtp } from '../helpers/smtp';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { addAssignment, removeAssignment } from '../../src/lib/server/assignment';
import { listNotifications, markAllRead, markRead, notify, queueMailWhen, setPreferences, unreadCount } from '../../src/lib/server/notifications';
import { outboxStatus, queueDigests, retryMail, workOutbox, MAX_ATTEMPTS, type MailOptions, type MailTransport } from '../../src/lib/server/notifications/mail';
import { deadlineReminders, grantExtension, remindExpert } from '../../src/lib/server/notifications/deadlines';
import { toInboxItem } from '../../src/lib/server/notifications/render';
import { myAssignments, reviewContext, saveReview, toScoring } from '../../src/lib/server/reviews';

let t: TestDatabase;
let smtp: TestSmtp;
let transport: MailTransport & { close(): void };
const opts: MailOptions = { from: 'Panelroom <noreply@panelroom.test>', origin: 'https://panelroom.test', retrySeconds: 60 };

beforeAll(async () => {
	t = await createTestDatabase();
	await seedDemo(t.db);
	smtp = await startSmtp();
	transport = nodemailer.createTransport(smtp.url);
	// What the seed queued (demo users have addresses) is not this test's business.
	await t.db.update(s.mailOutbox).set({ status: 'sent' });
}, 240_000);
afterAll(async () => {
	transport?.close();
	await smtp?.close();
	await t?.drop();
});

async function userId(username: string) {
	const [u] = await t.db.select({ id: s.users.id }).from(s.users).where(eq(s.users.username, username));
	return u.id;
}
async function unassignedApplication() {
	const call = await callByCode(t.db, 'IF2026');
	return rawRows<{ id: string; number: string }>(
		t.db,
		sql`SELECT a.id, a.number FROM applications a WHERE a.call_id = ${call.id} AND a.status = 'accepted' AND NOT EXISTS (SELECT 1 FROM assignments x WHERE x.application_id = a.id AND x.status = 'active') ORDER BY a.number`
	);
}
const pendingMail = (uid: string) => t.db.select().from(s.mailOutbox).where(and(eq(s.mailOutbox.userId, uid), eq(s.mailOutbox.status, 'pending')));

describe('notify and the outbox', () => {
	it('an assignment tells the expert in the inbox and by a Chinese mail, text and HTML', async () => {
		const intake = await principal(t.db, 'intake');
		const expert = await principal(t.db, 'expert2');
		const before = await unreadCount(t.db, expert.user.id);
		const [app] = await unassignedApplication();
		const made = await addAssignment(t.db, actorOf(intake), app.id, expert.expertId!);
		expect(made.ok).toBe(true);
		expect(await unreadCount(t.db, expert.user.id)).toBe(before + 1);
		const { rows } = await listNotifications(t.db, expert.user.id, { limit: 1, offset: 0 });
		expect(rows[0]).toMatchObject({ kind: 'assignment_made', link: `/reviews/${made.ok && made.id}` });
		expect(toInboxItem(rows[0], 'zh-CN').title).toBe(`您有一项新的评审任务：${app.number}`);
		expect(toInboxItem(rows[0], 'en').title).toBe(`New review assignment: ${app.number}`);

		const n = smtp.received.length;
		expect(await workOutbox(t.db, transport, opts)).toEqual({ sent: 1, failed: 0 });
		const [mail] = (await smtp.waitFor(n + 1)).slice(n);
		expect(mail.subject).toBe(`【Panelroom】您有一项新的评审任务：${app.number}`);
		expect(mail.to && 'text' in mail.to ? mail.to.text : '').toContain('expert2@experts.example.cn');
		expect(mail.text).toContain('您被分配评审');
		expect(mail.text).toContain('评审截止时间：2027/01/31 17:00');
		expect(mail.text).toContain(`https://panelroom.test/reviews/${made.ok && made.id}`);
		expect(mail.html).toContain('您被分配评审');
		expect(mail.html).toContain(`href="https://panelroom.test/reviews/${made.ok && made.id}"`);
		// Sent once: the outbox has nothing more.
		expect(await workOutbox(t.db, transport, opts)).toEqual({ sent: 0, failed: 0 });
	});

	it('is written in the action’s transaction: a rolled-back action tells nobody', async () => {
		const uid = await userId('expert3');
		const before = await unreadCount(t.db, uid);
		await expect(
			t.db.transaction(async (tx) => {
				await notify(tx, { userIds: [uid], kind: 'application_accepted', params: { number: 'X', title: 'Y' } });
				throw new Error('the action failed');
			})
		).rejects.toThrow('the action failed');
		expect(await unreadCount(t.db, uid)).toBe(before);
		expect(await pendingMail(uid)).toHaveLength(0);
	});

	it('retries after the SMTP server refuses, then delivers once; gives up after the last attempt and an admin retries', async () => {
		const uid = await userId('expert3');
		await t.db.transaction((tx) => notify(tx, { userIds: [uid], kind: 'application_rejected', params: { number: 'IF2026-9999', title: '测试项目', reason: '缺少财务报表' } }));
		smtp.refuseNext(1);
		const n = smtp.received.length;
		const now = new Date();
		expect(await workOutbox(t.db, transport, opts, now)).toEqual({ sent: 0, failed: 1 });
		const [row] = await pendingMail(uid);
		expect(row).toMatchObject({ attempts: 1, status: 'pending' });
		expect(row.lastError).toMatch(/451|unavailable/i);
		expect(row.nextAttemptAt.getTime()).toBe(now.getTime() + 60_000);
		// Not before its time…
		expect(await workOutbox(t.db, transport, opts, new Date(now.getTime() + 30_000))).toEqual({ sent: 0, failed: 0 });
		// …then it goes.
		expect(await workOutbox(t.db, transport, opts, new Date(now.getTime() + 61_000))).toEqual({ sent: 1, failed: 0 });
		const [mail] = (await smtp.waitFor(n + 1)).slice(n);
		expect(mail.subject).toBe('【Panelroom】申报未予受理：IF2026-9999');
		expect(mail.text).toContain('原因：缺少财务报表');

		// A server that keeps refusing: after MAX_ATTEMPTS the mail is failed and admins see it.
		await t.db.transaction((tx) => notify(tx, { userIds: [uid], kind: 'application_accepted', params: { number: 'IF2026-9998', title: '测试项目' } }));
		smtp.refuseNext(MAX_ATTEMPTS);
		let at = Date.now();
		for (let i = 0; i < MAX_ATTEMPTS; i++) {
			expect(await workOutbox(t.db, transport, opts, new Date(at))).toEqual({ sent: 0, failed: 1 });
			at += 7 * 3600_000;
		}
		const status = await outboxStatus(t.db);
		const failed = status.list.find((r) => r.status === 'failed' && r.subject?.includes('IF2026-9998'));
		expect(failed).toMatchObject({ attempts: MAX_ATTEMPTS, recipient: 'expert3@experts.example.cn' });
		expect(status.failed).toBeGreaterThanOrEqual(1);
		expect(await workOutbox(t.db, transport, opts, new Date(at))).toEqual({ sent: 0, failed: 0 });
		expect(await retryMail(t.db, failed!.id)).toEqual({ ok: true });
		expect(await workOutbox(t.db, transport, opts)).toEqual({ sent: 1, failed: 0 });
		expect(await retryMail(t.db, failed!.id)).toEqual({ ok: false, code: 'notFound' });
	});

	it('honours opt-out for mail (the inbox keeps it) and gathers digest kinds into one daily mail', async () => {
		const uid = await userId('expert4');
		expect(await setPreferences(t.db, uid, { application_accepted: 'off', application_rejected: 'digest', document_shared: 'digest' })).toEqual({ ok: true });
		expect(await setPreferences(t.db, uid, { application_accepted: 'loud' })).toEqual({ ok: false, code: 'invalid' });
		expect(await setPreferences(t.db, uid, { no_such_kind: 'on' })).toEqual({ ok: false, code: 'invalid' });
		const before = await unreadCount(t.db, uid);
		await t.db.transaction(async (tx) => {
			await notify(tx, { userIds: [uid], kind: 'application_accepted', params: { number: 'A-1', title: '关闭的' } });
			await notify(tx, { userIds: [uid], kind: 'application_rejected', params: { number: 'A-2', title: '汇总一', reason: '材料不全' } });
			await notify(tx, { userIds: [uid], kind: 'document_shared', params: { title: '年度计划', by: '周晓燕', access: 'edit' } });
		});
		expect(await unreadCount(t.db, uid)).toBe(before + 3);
		expect(await pendingMail(uid)).toHaveLength(0);

		// 07:59 Beijing: not yet (the digest hour is 8); 08:00: one mail; again the same day: none.
		expect(await queueDigests(t.db, 8, new Date('2026-12-04T23:59:00Z'))).toBe(0);
		expect(await queueDigests(t.db, 8, new Date('2026-12-05T00:00:00Z'))).toBe(1);
		expect(await queueDigests(t.db, 8, new Date('2026-12-05T09:00:00Z'))).toBe(0);
		const n = smtp.received.length;
		expect(await workOutbox(t.db, transport, opts)).toEqual({ sent: 1, failed: 0 });
		const [mail] = (await smtp.waitFor(n + 1)).slice(n);
		expect(mail.subject).toBe('【Panelroom】今日通知汇总（2 条）');
		expect(mail.text).toContain('申报未予受理：A-2');
		expect(mail.text).toContain('周晓燕与您共享了文档：年度计划');
		expect(mail.text).not.toContain('A-1');
		expect(mail.html).toContain('<ol>');
	});

	it('queues no mail when start-up says there is no SMTP server; the inbox still gets it', async () => {
		const uid = await userId('expert6');
		const before = await unreadCount(t.db, uid);
		queueMailWhen(false);
		try {
			await t.db.transaction((tx) => notify(tx, { userIds: [uid], kind: 'application_accepted', params: { number: 'N-1', title: '无邮件' } }));
		} finally {
			queueMailWhen(true);
		}
		expect(await unreadCount(t.db, uid)).toBe(before + 1);
		expect(await pendingMail(uid)).toHaveLength(0);
	});

	it('writes in the recipient’s language when they chose one', async () => {
		const uid = await userId('expert5');
		await t.db.update(s.users).set({ locale: 'en' }).where(eq(s.users.id, uid));
		await t.db.transaction((tx) => notify(tx, { userIds: [uid], kind: 'objection_answered', params: { number: 'IF2026-0002', title: 'Chip', outcome: 'dismissed', reason: 'No new facts' } }));
		const n = smtp.received.length;
		expect(await workOutbox(t.db, transport, opts)).toEqual({ sent: 1, failed: 0 });
		const [mail] = (await smtp.waitFor(n + 1)).slice(n);
		expect(mail.subject).toBe('[Panelroom] Objection answered: IF2026-0002');
		expect(mail.text).toContain('was dismissed. Reason: No new facts');
	});

	it('marks read only the person’s own notifications', async () => {
		const mine = await userId('expert4');
		const other = await userId('expert2');
		const { rows } = await listNotifications(t.db, other, { limit: 1, offset: 0, unreadOnly: true });
		expect(await markRead(t.db, mine, [rows[0].id])).toBe(0);
		expect((await listNotifications(t.db, other, { limit: 1, offset: 0, unreadOnly: true })).rows[0].id).toBe(rows[0].id);
		await markAllRead(t.db, mine);
		expect(await unreadCount(t.db, mine)).toBe(0);
		expect(await unreadCount(t.db, other)).toBeGreaterThan(0);
	});

	it('tells the expert when staff withdraw an assignment, with the reason', async () => {
		const intake = await principal(t.db, 'intake');
		const expert = await principal(t.db, 'expert2');
		const [a] = (await myAssignments(t.db, expert.expertId!)).filter((x) => x.status === 'active' && x.reviewStatus !== 'submitted');
		expect(await removeAssignment(t.db, actorOf(intake), a.id, '专家时间冲突')).toEqual({ ok: true });
		const { rows } = await listNotifications(t.db, expert.user.id, { limit: 1, offset: 0 });
		expect(toInboxItem(rows[0], 'zh-CN').body).toContain('原因：专家时间冲突');
	});
});

describe('review deadlines', () => {
	async function openAssignment(username: string) {
		const p = await principal(t.db, username);
		const [a] = (await myAssignments(t.db, p.expertId!)).filter((x) => x.status === 'active' && x.reviewStatus !== 'submitted' && x.form === 'technical');
		return { p, a };
	}
	async function completeSheet(expertId: string, assignmentId: string) {
		const ctx = await reviewContext(t.db, expertId, assignmentId);
		const scores = Object.fromEntries(toScoring(ctx!.rubric!).items.map((i) => [i.id, 75]));
		return { scores, deductions: {}, veto: null, opinion: '项目技术路线清晰，团队具备较强研发能力，市场前景良好。', recommendation: 'fund' as const, suggestedAmount: 50 };
	}

	it('reminds 3 days and 1 day before, once each however often (and on however many nodes) the loop runs', async () => {
		const call = await callByCode(t.db, 'IF2026');
		const deadline = call.reviewDeadline!;
		const { p } = await openAssignment('expert5');
		const count = async (kind: string) =>
			(await t.db.select().from(s.notifications).where(and(eq(s.notifications.userId, p.user.id), eq(s.notifications.kind, kind)))).length;
		const early = new Date(deadline.getTime() - 5 * 86400_000);
		expect(await deadlineReminders(t.db, early)).toBe(0);
		const three = new Date(deadline.getTime() - 2.5 * 86400_000);
		// Two nodes at once, then a restart.
		const [x, y] = await Promise.all([deadlineReminders(t.db, three), deadlineReminders(t.db, three)]);
		expect(x + y).toBeGreaterThan(0);
		expect(await deadlineReminders(t.db, new Date(three.getTime() + 3600_000))).toBe(0);
		const open = (await myAssignments(t.db, p.expertId!)).filter((a) => a.status === 'active' && a.reviewStatus !== 'submitted').length;
		expect(open).toBeGreaterThan(0);
		expect(await count('review_deadline_3d')).toBe(open);
		const one = new Date(deadline.getTime() - 12 * 3600_000);
		await Promise.all([deadlineReminders(t.db, one), deadlineReminders(t.db, one)]);
		expect(await count('review_deadline_1d')).toBe(open);
		expect(await deadlineReminders(t.db, new Date(deadline.getTime() + 3600_000))).toBe(0);
	});

	it('refuses a sheet after the deadline; division staff extend it for one expert, then it goes in', async () => {
		const call = await callByCode(t.db, 'IF2026');
		const after = new Date(call.reviewDeadline!.getTime() + 86400_000);
		const { p: expert, a } = await openAssignment('expert4');
		const sheet = await completeSheet(expert.expertId!, a.id);
		const late = await saveReview(t.db, actorOf(expert), expert.expertId!, a.id, sheet, true, after);
		expect(late).toEqual({ ok: false, problem: 'invalid', problems: [{ code: 'deadline' }] });
		// A draft may still be saved.
		expect((await saveReview(t.db, actorOf(expert), expert.expertId!, a.id, sheet, false, after)).ok).toBe(true);

		const until = new Date(after.getTime() + 2 * 86400_000);
		// The expert cannot extend their own deadline, nor can staff of a division not on the program.
		expect(await grantExtension(t.db, expert, actorOf(expert), a.id, until, '自己延期', after)).toEqual({ ok: false, code: 'forbidden' });
		const planner = await principal(t.db, 'planner');
		expect(await grantExtension(t.db, planner, actorOf(planner), a.id, until, '越权', after)).toEqual({ ok: false, code: 'forbidden' });
		const intake = await principal(t.db, 'intake');
		expect(await grantExtension(t.db, intake, actorOf(intake), a.id, until, '', after)).toEqual({ ok: false, code: 'invalid' });
		expect(await grantExtension(t.db, intake, actorOf(intake), a.id, new Date(call.reviewDeadline!.getTime() - 1000), '更早', after)).toEqual({ ok: false, code: 'invalid' });
		expect(await grantExtension(t.db, intake, actorOf(intake), a.id, until, '专家出差，申请延期两天', after)).toMatchObject({ ok: true });
		const [entry] = await t.db.select().from(s.auditLog).where(and(eq(s.auditLog.action, 'review.extended'), eq(s.auditLog.entityId, a.id)));
		expect(entry.details).toMatchObject({ reason: '专家出差，申请延期两天', until: until.toISOString() });
		// Only this assignment: another of the expert's sheets is still closed.
		const others = (await myAssignments(t.db, expert.expertId!)).filter((x) => x.status === 'active' && x.reviewStatus !== 'submitted' && x.id !== a.id && x.form === 'technical');
		if (others[0]) {
			const other = await saveReview(t.db, actorOf(expert), expert.expertId!, others[0].id, await completeSheet(expert.expertId!, others[0].id), true, after);
			expect(other.ok).toBe(false);
		}
		expect(await saveReview(t.db, actorOf(expert), expert.expertId!, a.id, sheet, true, after)).toMatchObject({ ok: true, submitted: true });
		// After the extension ends, closed again (for a sheet staff returned, say).
		const { rows } = await listNotifications(t.db, expert.user.id, { limit: 5, offset: 0 });
		expect(rows.map((r) => r.kind)).toContain('review_extended');
	});

	it('a one-click reminder goes once per expert per day, only from staff of the call', async () => {
		const call = await callByCode(t.db, 'IF2026');
		const intake = await principal(t.db, 'intake');
		const expert = await principal(t.db, 'expert3');
		const day = new Date('2026-12-10T02:00:00Z');
		expect(await remindExpert(t.db, expert, actorOf(expert), call.id, expert.expertId!, day)).toEqual({ ok: false, code: 'forbidden' });
		const planner = await principal(t.db, 'planner');
		expect(await remindExpert(t.db, planner, actorOf(planner), call.id, expert.expertId!, day)).toEqual({ ok: false, code: 'forbidden' });
		const before = await unreadCount(t.db, expert.user.id);
		expect(await remindExpert(t.db, intake, actorOf(intake), call.id, expert.expertId!, day)).toMatchObject({ ok: true });
		expect(await remindExpert(t.db, intake, actorOf(intake), call.id, expert.expertId!, new Date(day.getTime() + 3600_000))).toMatchObject({ ok: false, code: 'limited' });
		expect(await unreadCount(t.db, expert.user.id)).toBe(before + 1);
		// The next Beijing day, again.
		expect(await remindExpert(t.db, intake, actorOf(intake), call.id, expert.expertId!, new Date(day.getTime() + 86400_000))).toMatchObject({ ok: true });
		const { rows } = await listNotifications(t.db, expert.user.id, { limit: 1, offset: 0 });
		expect(toInboxItem(rows[0], 'zh-CN').body).toMatch(/份评审意见尚未提交/);
	});
});

describe('demo', () => {
	it('leaves notifications waiting: expert1 told of the assignment and the meeting, reviewers with open sheets reminded', async () => {
		const kinds = async (username: string) =>
			(await t.db.select({ kind: s.notifications.kind }).from(s.notifications).where(eq(s.notifications.userId, await userId(username)))).map((r) => r.kind);
		expect(await kinds('expert1')).toEqual(expect.arrayContaining(['assignment_made', 'meeting_scheduled']));
		expect(await kinds('expert3')).toContain('review_reminder');
		expect(await kinds('expert1')).not.toContain('review_reminder');
	});
});
