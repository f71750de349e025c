// Conflicts, assignment and blind review against a real database (PGlite, or Postgres with
// DATABASE_URL): conflicts found by institution, declared and recorded; matching and draw on
// the demo call; manual additions guarded; an expert never reads another's review.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import * as s from '../../db/schema';
import { createTestDatabase, dbError, type TestDatabase } from '../helpers/db';
import { actorOf, applicationByNumber, callByCode, expertByUsername, principal } from '../helpers/factories';
import { seedDemo, STEPS } from '../../src/lib/server/demo/seed';
import { conflictedExpertIds, findConflicts, isConflicted, stateConflict } from '../../src/lib/server/conflicts';
import { withdrawConflict } from '../../src/lib/server/conflicts/withdraw';
import { addAssignment, callAssignments, declineAssignment, removeAssignment, runDraw, runMatching, verifyDraw } from '../../src/lib/server/assignment';
import { transition } from '../../src/lib/server/applications/status';
import { myAssignments, reviewContext, reviewsForStaff, returnReview, saveReview, toScoring } from '../../src/lib/server/reviews';
import { callDashboard } from '../../src/lib/server/calls/dashboard';

let t: TestDatabase;

beforeAll(async () => {
	t = await createTestDatabase();
	await seedDemo(t.db, STEPS.filter((step) => step.name === 'organization'));
});
afterAll(async () => t?.drop());

async function activeOn(number: string) {
	const app = await applicationByNumber(t.db, number);
	return t.db
		.select({ id: s.assignments.id, expertId: s.assignments.expertId, form: s.assignments.form, reason: s.assignments.reason })
		.from(s.assignments)
		.where(and(eq(s.assignments.applicationId, app.id), eq(s.assignments.status, 'active')));
}

describe('conflicts of interest', () => {
	it('finds an expert working at the applicant, whatever the spelling of its name', async () => {
		const wu = await expertByUsername(t.db, 'expert6'); // 北京清能光伏科技股份有限公司
		const qingneng = await applicationByNumber(t.db, 'IF2026-0004');
		expect(await isConflicted(t.db, wu.id, qingneng.id)).toBe(true);
		const [c] = await findConflicts(t.db, { applicationIds: [qingneng.id], expertIds: [wu.id] });
		expect(c).toMatchObject({ kind: 'institution', reason: '北京清能光伏科技股份有限公司' });
		// The same employer written another way on the expert's record.
		await t.db.update(s.experts).set({ institution: '清能光伏科技（北京）有限公司' }).where(eq(s.experts.id, wu.id));
		expect(await isConflicted(t.db, wu.id, qingneng.id)).toBe(true);
		await t.db.update(s.experts).set({ institution: '北京清能光伏科技股份有限公司' }).where(eq(s.experts.id, wu.id));
		const other = await applicationByNumber(t.db, 'IF2026-0011');
		expect(await isConflicted(t.db, wu.id, other.id)).toBe(false);
	});

	it('counts declared and recorded conflicts, by application or by institution, until withdrawn', async () => {
		const liu = await expertByUsername(t.db, 'expert1');
		const intake = await principal(t.db, 'intake');
		const huaxin = await applicationByNumber(t.db, 'IF2026-0002');
		const yuexin = await applicationByNumber(t.db, 'IF2026-0013');
		const declared = await stateConflict(t.db, { id: liu.userId, name: liu.name }, { expertId: liu.id, applicationId: huaxin.id, source: 'declared', reason: '曾担任该企业技术顾问' });
		const recorded = await stateConflict(t.db, actorOf(intake), { expertId: liu.id, institution: '广州粤芯通信技术有限公司', source: 'recorded', reason: '与该企业负责人为近亲属' });
		expect(await conflictedExpertIds(t.db, huaxin.id)).toContain(liu.id);
		const found = await findConflicts(t.db, { applicationIds: [yuexin.id], expertIds: [liu.id] });
		expect(found).toEqual([{ expertId: liu.id, applicationId: yuexin.id, kind: 'recorded', reason: '与该企业负责人为近亲属' }]);
		expect(await withdrawConflict(t.db, actorOf(intake), { conflictId: recorded.id, reason: '登记有误' })).toBe(true);
		expect(await isConflicted(t.db, liu.id, yuexin.id)).toBe(false);
		expect(await withdrawConflict(t.db, actorOf(intake), { conflictId: declared.id, reason: '专家已离职' })).toBe(true);
	});
});

describe('assignment', () => {
	it('matching staffs every accepted application, never with a conflicted expert, and explains itself', async () => {
		const intake = await principal(t.db, 'intake');
		const call = await callByCode(t.db, 'IF2026');
		const run = await runMatching(t.db, actorOf(intake), call.id);
		expect(run).not.toBeNull();
		const staffed = await callAssignments(t.db, call.id);
		const wu = await expertByUsername(t.db, 'expert6');
		for (const app of staffed) {
			const active = app.assignments.filter((a) => a.status === 'active');
			if (run!.unstaffed.some((u) => u.applicationId === app.id)) continue;
			expect(active.filter((a) => a.form === 'technical'), app.number).toHaveLength(call.reviewersPerApplication - call.financeReviewers);
			expect(active.filter((a) => a.form === 'finance'), app.number).toHaveLength(call.financeReviewers);
			expect(app.status).toBe('assigned');
		}
		const qingneng = staffed.find((a) => a.number === 'IF2026-0004')!;
		expect(qingneng.assignments.map((a) => a.expertId)).not.toContain(wu.id);
		const reasons = (await activeOn('IF2026-0002')).map((a) => a.reason);
		expect(reasons.every((r) => r.maxLoad === call.maxPerExpert && r.load >= 1 && ['primary', 'secondary', 'none'].includes(r.match))).toBe(true);
		const [entry] = await t.db.select().from(s.auditLog).where(eq(s.auditLog.action, 'assignment.matching'));
		expect(entry.details).toMatchObject({ runId: run!.runId });
		// A second run has nothing left to do.
		expect((await runMatching(t.db, actorOf(intake), call.id))!.assigned).toBe(0);
	});

	it('a manual addition refuses a conflicted expert; removal and decline free the slot for the next run', async () => {
		const intake = await principal(t.db, 'intake');
		const call = await callByCode(t.db, 'IF2026');
		const wu = await expertByUsername(t.db, 'expert6');
		const qingneng = await applicationByNumber(t.db, 'IF2026-0004');
		expect(await addAssignment(t.db, actorOf(intake), qingneng.id, wu.id)).toEqual({ ok: false, problem: 'conflicted' });
		const [first] = (await activeOn('IF2026-0003')).filter((a) => a.form === 'technical');
		expect(await addAssignment(t.db, actorOf(intake), (await applicationByNumber(t.db, 'IF2026-0003')).id, first.expertId)).toEqual({ ok: false, problem: 'already' });
		expect(await removeAssignment(t.db, actorOf(intake), first.id, '专家时间冲突')).toEqual({ ok: true });

		const expertP = await principal(t.db, 'expert2');
		const mine = (await myAssignments(t.db, expertP.expertId!)).filter((a) => a.status === 'active');
		expect(mine.length).toBeGreaterThan(0);
		expect(await declineAssignment(t.db, actorOf(expertP), expertP.expertId!, mine[0].id, '本人参与过该项目的前期论证', true)).toEqual({ ok: true });
		expect(await isConflicted(t.db, expertP.expertId!, mine[0].applicationId)).toBe(true);
		// Someone else's assignment cannot be declined by this expert.
		const others = await activeOn('IF2026-0002');
		const notMine = others.find((a) => a.expertId !== expertP.expertId)!;
		expect(await declineAssignment(t.db, actorOf(expertP), expertP.expertId!, notMine.id, '不是我的', false)).toEqual({ ok: false, problem: 'notFound' });

		const refill = await runMatching(t.db, actorOf(intake), call.id);
		expect(refill!.assigned).toBeGreaterThanOrEqual(1);
		const after = await activeOn('IF2026-0003');
		expect(after.map((a) => a.expertId)).not.toContain(first.expertId);
		expect((await activeOn(mine[0].number)).map((a) => a.expertId)).not.toContain(expertP.expertId);
	});

	it('stating a conflict ends an active assignment at once', async () => {
		const intake = await principal(t.db, 'intake');
		const [a] = await activeOn('IF2026-0005');
		const app = await applicationByNumber(t.db, 'IF2026-0005');
		const result = await stateConflict(t.db, actorOf(intake), { expertId: a.expertId, applicationId: app.id, source: 'recorded', reason: '发现专家与企业存在合作关系' });
		expect(result.endedAssignments).toBe(1);
		expect((await activeOn('IF2026-0005')).map((x) => x.expertId)).not.toContain(a.expertId);
	});

	it('the random draw records seed and pools; replaying it gives the same experts', async () => {
		const intake = await principal(t.db, 'intake');
		const call = await callByCode(t.db, 'IF2026');
		// A newly accepted application with no one on it yet.
		const app = await applicationByNumber(t.db, 'IF2026-0011');
		await transition(t.db, actorOf(intake), app, 'accepted');
		await t.db.update(s.calls).set({ poolFactor: 1, selection: 'draw' }).where(eq(s.calls.id, call.id));
		const run = await runDraw(t.db, actorOf(intake), call.id, 'IF2026-公开抽取-0001');
		expect(run!.seed).toBe('IF2026-公开抽取-0001');
		const [stored] = await t.db.select().from(s.assignmentRuns).where(eq(s.assignmentRuns.id, run!.runId));
		const record = stored.draws.find((d) => d.applicationId === app.id)!;
		expect(record.technicalPool.length + record.financePool.length).toBeGreaterThanOrEqual(3);
		expect(await verifyDraw(t.db, run!.runId)).toEqual({ ok: true, checked: stored.draws.length, mismatches: [] });
		// Tampering with the record is detected.
		await t.db
			.update(s.assignmentRuns)
			.set({ draws: stored.draws.map((d) => (d.applicationId === app.id ? { ...d, drawn: [...d.drawn].reverse() } : d)) })
			.where(eq(s.assignmentRuns.id, run!.runId));
		if (record.drawn.length > 1) expect((await verifyDraw(t.db, run!.runId))!.mismatches).toEqual([record.number]);
		await t.db.update(s.calls).set({ poolFactor: 3, selection: 'matching' }).where(eq(s.calls.id, call.id));
	});
});

describe('blind individual review', () => {
	async function scoresFor(assignmentId: string, expertId: string, value: number) {
		const ctx = await reviewContext(t.db, expertId, assignmentId);
		const scoring = toScoring(ctx!.rubric!);
		return Object.fromEntries(scoring.items.map((i) => [i.id, value]));
	}

	it('computes the total on the server, keeps a draft, submits once, then it is final', async () => {
		const expertP = await principal(t.db, 'expert1');
		const [a] = (await myAssignments(t.db, expertP.expertId!)).filter((x) => x.status === 'active' && x.form === 'technical');
		const scores = await scoresFor(a.id, expertP.expertId!, 80);
		const draft = await saveReview(t.db, actorOf(expertP), expertP.expertId!, a.id, { scores: {}, deductions: {}, veto: null, opinion: '', recommendation: null, suggestedAmount: null }, false);
		expect(draft).toMatchObject({ ok: true, submitted: false });
		const incomplete = await saveReview(t.db, actorOf(expertP), expertP.expertId!, a.id, { scores, deductions: {}, veto: null, opinion: '太短', recommendation: null, suggestedAmount: null }, true);
		expect(incomplete.ok).toBe(false);
		if (!incomplete.ok && incomplete.problem === 'invalid') expect(incomplete.problems.map((p) => p.code)).toEqual(['opinion', 'recommendation']);
		const ctx = await reviewContext(t.db, expertP.expertId!, a.id);
		const env = ctx!.rubric!.deductions[0].id;
		const ok = await saveReview(
			t.db,
			actorOf(expertP),
			expertP.expertId!,
			a.id,
			{ scores, deductions: { [env]: 2 }, veto: null, opinion: '项目技术路线清晰，团队具备较强研发能力，市场前景良好。', recommendation: 'fund', suggestedAmount: 80 },
			true
		);
		expect(ok).toEqual({ ok: true, total: 78, passed: null, submitted: true });
		const [row] = await t.db.select().from(s.reviews).where(eq(s.reviews.assignmentId, a.id));
		expect([row.status, row.total]).toEqual(['submitted', '78.00']);
		expect(await saveReview(t.db, actorOf(expertP), expertP.expertId!, a.id, { scores, deductions: {}, veto: null, opinion: 'x'.repeat(30), recommendation: 'decline', suggestedAmount: null }, false)).toEqual({ ok: false, problem: 'submitted' });
		expect(await dbError(t.db.execute(sql`UPDATE reviews SET total = 99 WHERE id = ${row.id}`))).toMatch(/final/);
		// Staff may return it; then the expert may change it again.
		expect(await returnReview(t.db, actorOf(await principal(t.db, 'intake')), row.id, '请补充评审意见')).toEqual({ ok: true });
		const [back] = await t.db.select().from(s.reviews).where(eq(s.reviews.id, row.id));
		expect(back.status).toBe('draft');
	});

	it('a veto replaces the score; the finance form’s pass mark is 60', async () => {
		const finance = await principal(t.db, 'expert8');
		const [a] = (await myAssignments(t.db, finance.expertId!)).filter((x) => x.status === 'active');
		expect(a.form).toBe('finance');
		const scores = await scoresFor(a.id, finance.expertId!, 55);
		const low = await saveReview(t.db, actorOf(finance), finance.expertId!, a.id, { scores, deductions: {}, veto: null, opinion: '资产负债率偏高，现金流紧张，预算编制依据不足。', recommendation: 'decline', suggestedAmount: null }, true);
		expect(low).toEqual({ ok: true, total: 55, passed: false, submitted: true });
		const [b] = (await myAssignments(t.db, finance.expertId!)).filter((x) => x.status === 'active' && x.id !== a.id);
		const ctx = await reviewContext(t.db, finance.expertId!, b.id);
		const veto = ctx!.rubric!.vetoes[0].id;
		const vetoed = await saveReview(t.db, actorOf(finance), finance.expertId!, b.id, { scores: {}, deductions: {}, veto: { ruleId: veto, reason: '财务报表与纳税记录明显不符，数据失实。' }, opinion: '财务数据失实，建议不予支持。请核查原始凭证。', recommendation: null, suggestedAmount: null }, true);
		expect(vetoed).toEqual({ ok: true, total: null, passed: false, submitted: true });
	});

	it('an expert reads only their own assignments, never another expert’s review, and nothing when conflicted', async () => {
		const one = await principal(t.db, 'expert1');
		const two = await principal(t.db, 'expert4');
		const oneAssignments = (await myAssignments(t.db, one.expertId!)).filter((a) => a.status === 'active');
		for (const a of oneAssignments) expect(await reviewContext(t.db, two.expertId!, a.id)).toBeNull();
		const ctx = await reviewContext(t.db, one.expertId!, oneAssignments[0].id);
		expect(ctx!.review === null || ctx!.review.expertId === one.expertId).toBe(true);
		expect(JSON.stringify(ctx)).not.toContain(two.expertId!);
		// Staff see every review of the application.
		const staffView = await reviewsForStaff(t.db, [oneAssignments[0].applicationId]);
		expect(staffView.length).toBeGreaterThanOrEqual(1);
		// Conflicted after assignment: the assignment ends and the page is gone.
		const [a] = oneAssignments;
		await stateConflict(t.db, actorOf(await principal(t.db, 'intake')), { expertId: one.expertId!, applicationId: a.applicationId, source: 'recorded', reason: '测试：事后发现的回避关系' });
		expect(await reviewContext(t.db, one.expertId!, a.id)).toBeNull();
	});

	it('the dashboard counts progress and scores', async () => {
		const call = await callByCode(t.db, 'IF2026');
		const d = await callDashboard(t.db, call);
		expect(d.totals.submittedReviews).toBeGreaterThanOrEqual(2);
		expect(d.distribution.finance.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
		expect(d.perExpert.find((e) => e.kind === 'finance' && e.submitted > 0)).toBeTruthy();
		expect(d.byStatus.assigned + (d.byStatus.reviewed ?? 0)).toBeGreaterThan(0);
	});
});
