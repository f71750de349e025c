// Demo data for intake and review: PDF attachments on the submitted applications (one lacks
// its financial statements, for intake to find), a review deadline, experts matched to six of
// the accepted applications, and reviews in every state so the dashboard, the experts' pages
// and the meeting have something to show. Three accepted applications stay unassigned.
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import * as s from '$db/schema';
import type { Db, Tx } from '../db';
import type { SeedStep } from './step';
import { makePdf } from './pdf';
import { audit } from '../audit';
import { runMatching } from '../assignment';
import { reviewContext, saveReview, toScoring } from '../reviews';
import { drawRandom } from '$lib/assignment/draw';

const ASSIGNED = ['IF2026-0002', 'IF2026-0003', 'IF2026-0004', 'IF2026-0005', 'IF2026-0006', 'IF2026-0007'];
/** Every review of these is submitted (the application is "reviewed"); of the next two, some. */
const FULLY_REVIEWED = ['IF2026-0002', 'IF2026-0003'];
const PARTLY_REVIEWED = ['IF2026-0004', 'IF2026-0005'];
const WITHOUT_FINANCIALS = 'IF2026-0015';

const OPINIONS = [
	'项目技术路线清晰，核心技术具有自主知识产权，团队研发实力较强，产业化基础较好。建议加强市场推广计划的可操作性。',
	'项目创新点明确，已完成样机验证，市场需求旺盛。预算编制基本合理，设备费占比略高，建议进一步细化。',
	'企业经营状况良好，项目与主营业务关联度高。技术先进性一般，竞争优势需进一步论证，合同目标偏乐观。',
	'财务状况稳健，资产负债率适中，现金流可支撑项目实施。项目预算依据较充分。'
];

export const intakeSeed: SeedStep = {
	name: 'intake',
	async done(tx) {
		const [row] = await tx.select({ id: s.applicationAttachments.id }).from(s.applicationAttachments).limit(1);
		return !!row;
	},
	async run(tx) {
		const [call] = await tx.select().from(s.calls).where(eq(s.calls.code, 'IF2026'));
		if (!call) return;
		await tx
			.update(s.calls)
			.set({ reviewDeadline: new Date('2027-01-31T17:00:00+08:00') })
			.where(eq(s.calls.id, call.id));

		// Files came with the submissions; the database takes no new file on a submitted
		// application, so the rule is lifted for this transaction only.
		const apps = await tx
			.select({ id: s.applications.id, number: s.applications.number, title: s.applications.title })
			.from(s.applications)
			.where(and(eq(s.applications.callId, call.id), ne(s.applications.status, 'draft')))
			.orderBy(asc(s.applications.number));
		await tx.execute(sql`ALTER TABLE application_attachments DISABLE TRIGGER application_attachments_guard`);
		for (const app of apps) {
			const files: ['proposal' | 'financials', string, string[][]][] = [
				['proposal', `${app.number} 项目申报书.pdf`, [[`${app.number} Project proposal`, 'Innovation Fund 2026', 'Sections: technology, market, team, plan'], ['Implementation plan and milestones'], ['Budget and use of funds']]],
				['financials', `${app.number} 财务报表.pdf`, [[`${app.number} Audited financial statements`, 'Balance sheet, income statement, cash flow']]]
			];
			for (const [kind, name, pages] of files) {
				if (kind === 'financials' && app.number === WITHOUT_FINANCIALS) continue;
				const data = makePdf(pages);
				await tx.insert(s.applicationAttachments).values({
					applicationId: app.id,
					kind,
					fileName: name,
					size: data.byteLength,
					sha256: createHash('sha256').update(data).digest('hex'),
					pages: pages.length,
					data
				});
			}
		}
		await tx.execute(sql`ALTER TABLE application_attachments ENABLE TRIGGER application_attachments_guard`);

		const [intake] = await tx.select({ id: s.users.id, name: s.users.name }).from(s.users).where(eq(s.users.username, 'intake'));
		const actor = { id: intake.id, name: intake.name };
		const ids = apps.filter((a) => ASSIGNED.includes(a.number)).map((a) => a.id);
		// Nested calls open savepoints on this transaction.
		const db = tx as unknown as Db;
		await runMatching(db, actor, call.id, ids);

		const active = await tx
			.select({ id: s.assignments.id, expertId: s.assignments.expertId, number: s.applications.number, form: s.assignments.form, userId: s.experts.userId, name: s.experts.name })
			.from(s.assignments)
			.innerJoin(s.applications, eq(s.applications.id, s.assignments.applicationId))
			.innerJoin(s.experts, eq(s.experts.id, s.assignments.expertId))
			.where(and(eq(s.assignments.callId, call.id), eq(s.assignments.status, 'active'), inArray(s.applications.number, [...FULLY_REVIEWED, ...PARTLY_REVIEWED])))
			.orderBy(asc(s.applications.number), asc(s.assignments.form), asc(s.experts.name));
		let partly = 0;
		for (const a of active) {
			if (PARTLY_REVIEWED.includes(a.number) && partly++ % 2 === 1) continue;
			await review(db, tx, a);
		}
		await audit(tx, { name: 'system' }, 'demo.seeded', null, { step: 'intake' });
	}
};

async function review(db: Db, tx: Tx, a: { id: string; expertId: string; number: string; form: string; userId: string | null; name: string }) {
	const ctx = await reviewContext(tx, a.expertId, a.id);
	if (!ctx?.rubric) return;
	const random = drawRandom('demo-reviews', `${a.number}|${a.expertId}`);
	const base = a.form === 'finance' ? 68 : 72 + Math.floor(random() * 12);
	const scores = Object.fromEntries(toScoring(ctx.rubric).items.map((i) => [i.id, Math.min(100, Math.max(40, base + Math.floor(random() * 21) - 10))]));
	const opinion = OPINIONS[a.form === 'finance' ? 3 : Math.floor(random() * 3)];
	const fund = a.form === 'finance' || base >= 76;
	await saveReview(
		db,
		{ id: a.userId, name: a.name },
		a.expertId,
		a.id,
		{ scores, deductions: {}, veto: null, opinion, recommendation: fund ? 'fund' : 'decline', suggestedAmount: fund ? 80 : null },
		true,
		new Date('2026-12-20T10:00:00+08:00')
	);
}
