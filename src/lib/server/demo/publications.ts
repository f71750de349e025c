// Demo publication: a second Innovation Fund panel (第二组) held five days ago on four accepted
// applications that are not on the first meeting's agenda — attended, scored in one revealed
// round, sheets and summary signed, decisions locked (three funded, one not) and the meeting
// closed — then its funded items published (公示) two days ago for the default period, and one
// real-name objection lodged yesterday through the public form, waiting to be handled.
import { and, eq, inArray } from 'drizzle-orm';
import * as s from '$db/schema';
import type { Db } from '../db';
import type { SeedStep } from './step';
import { audit } from '../audit';
import { recordAnchor } from '../audit/anchors';
import { loadPrincipal } from '../auth/principal';
import { transition } from '../applications/status';
import { decisionHash } from '../meetings/room';
import { loadRoomState } from '../meetings/state';
import { draftMinutes } from '../meetings/documents';
import { DEFAULT_PERIOD, lodgeObjection, publish } from '../publications';
import { makePdf } from './pdf';

export const DEMO_SECOND_MEETING_TITLE = '2026年度创新基金项目会评（第二组）';
export const DEMO_PUBLICATION_TITLE = '2026年度创新基金拟立项项目公示（第二组）';

const DAY = 86_400_000;

/** Decisions of the second group: number → outcome, amount (万元), mode, each expert's score. */
const DECIDED: { number: string; outcome: 'fund' | 'decline'; amount: number | null; mode: 'grant' | null; scores: number[]; rationale: string; summary: string }[] = [
	{ number: 'IF2026-0006', outcome: 'fund', amount: 120, mode: 'grant', scores: [86, 82, 88, 84], rationale: '技术先进，产业化前景明确，专家组一致同意立项。', summary: '飞秒激光微加工技术路线成熟，已有下游客户验证，建议资助120万元。' },
	{ number: 'IF2026-0007', outcome: 'fund', amount: 60, mode: 'grant', scores: [80, 78, 83, 79], rationale: '工艺路线可行，环保效益显著，同意立项。', summary: '高盐废水分盐资源化有示范工程支撑，预算略高，建议资助60万元。' },
	{ number: 'IF2026-0010', outcome: 'fund', amount: 150, mode: 'grant', scores: [84, 87, 81, 85], rationale: '平台技术创新性强，临床前数据充分，同意立项。', summary: '可裂解连接子平台具有自主知识产权，建议资助150万元。' },
	{ number: 'IF2026-0009', outcome: 'decline', amount: null, mode: null, scores: [66, 62, 70, 64], rationale: '技术先进性不足，市场分析依据不充分，不予立项。', summary: '检测方案与现有产品差异不大，竞争优势论证不足。' }
];
const EXPERTS = ['expert1', 'expert2', 'expert3', 'expert4'];

export const publicationsStep: SeedStep = {
	name: 'publications',
	async done(tx) {
		const [row] = await tx.select({ id: s.meetings.id }).from(s.meetings).where(eq(s.meetings.title, DEMO_SECOND_MEETING_TITLE)).limit(1);
		return !!row;
	},
	async run(tx) {
		const [call] = await tx.select().from(s.calls).where(eq(s.calls.code, 'IF2026'));
		if (!call) return;
		const people = await tx.select().from(s.users).where(inArray(s.users.username, ['chair', 'intake', ...EXPERTS]));
		const user = (u: string) => people.find((p) => p.username === u)!;
		const chair = user('chair');
		const intake = user('intake');
		const [technical] = await tx.select({ id: s.rubrics.id }).from(s.rubrics).where(and(eq(s.rubrics.callId, call.id), eq(s.rubrics.form, 'technical')));
		const rubricItems = await tx
			.select({ id: s.rubricItems.id, weight: s.rubricItems.weight })
			.from(s.rubricItems)
			.innerJoin(s.rubricGroups, eq(s.rubricGroups.id, s.rubricItems.groupId))
			.where(eq(s.rubricGroups.rubricId, technical.id));

		const now = Date.now();
		const beijingToday = new Date(now + 8 * 3600_000);
		const heldAt = new Date(Date.UTC(beijingToday.getUTCFullYear(), beijingToday.getUTCMonth(), beijingToday.getUTCDate(), 1, 30) - 5 * DAY);
		const closedAt = new Date(heldAt.getTime() + 3 * 3600_000);
		const [meeting] = await tx
			.insert(s.meetings)
			.values({ callId: call.id, title: DEMO_SECOND_MEETING_TITLE, startsAt: heldAt, place: '中心第二会议室（主楼三层）', status: 'closed', startedAt: heldAt, closedAt, createdBy: intake.id })
			.returning({ id: s.meetings.id });
		await tx.insert(s.meetingMembers).values([
			{ meetingId: meeting.id, userId: chair.id, role: 'chair' as const },
			{ meetingId: meeting.id, userId: intake.id, role: 'secretary' as const },
			...EXPERTS.map((u) => ({ meetingId: meeting.id, userId: user(u).id, role: 'expert' as const }))
		]);
		await tx.insert(s.meetingAttendance).values([chair, intake, ...EXPERTS.map(user)].map((u) => ({ meetingId: meeting.id, userId: u.id, firstSeenAt: heldAt, lastSeenAt: closedAt })));
		await audit(tx, { id: intake.id, name: intake.name }, 'meeting.created', { type: 'meeting', id: meeting.id }, { callId: call.id, title: DEMO_SECOND_MEETING_TITLE });

		const voters = [chair, ...EXPERTS.map(user)];
		for (const [i, d] of DECIDED.entries()) {
			const [app] = await tx.select().from(s.applications).where(eq(s.applications.number, d.number));
			const startedAt = new Date(heldAt.getTime() + i * 40 * 60_000);
			const [item] = await tx
				.insert(s.meetingItems)
				.values({ meetingId: meeting.id, applicationId: app.id, position: i + 1, timeboxMinutes: 30, startedAt, summary: d.summary, summaryAt: new Date(startedAt.getTime() + 25 * 60_000) })
				.returning({ id: s.meetingItems.id });
			await tx.insert(s.meetingRounds).values({ itemId: item.id, round: 1, openedAt: startedAt });
			const totals: Record<string, string> = {};
			for (const [k, voter] of voters.entries()) {
				const base = d.scores[k % d.scores.length] + (k === 4 ? 1 : 0);
				const scores = Object.fromEntries(rubricItems.map((ri, j) => [ri.id, Math.max(0, Math.min(100, base + ((j % 3) - 1) * 2))]));
				const total = rubricItems.reduce((sum, ri) => sum + (scores[ri.id] * ri.weight) / 100, 0);
				totals[voter.id] = total.toFixed(2);
				await tx.insert(s.meetingScores).values({ itemId: item.id, round: 1, userId: voter.id, scores, total: total.toFixed(2), opinion: '', submittedAt: new Date(startedAt.getTime() + 15 * 60_000) });
			}
			await tx.update(s.meetingRounds).set({ revealedAt: new Date(startedAt.getTime() + 18 * 60_000), revealedBy: chair.id }).where(and(eq(s.meetingRounds.itemId, item.id), eq(s.meetingRounds.round, 1)));
			for (const voter of voters) {
				await tx.insert(s.meetingSignatures).values({ itemId: item.id, userId: voter.id, kind: 'sheet', round: 1, signedAt: new Date(startedAt.getTime() + 20 * 60_000) });
				await tx.insert(s.meetingSignatures).values({ itemId: item.id, userId: voter.id, kind: 'summary', dissent: '', signedAt: new Date(startedAt.getTime() + 27 * 60_000) });
			}
			const lockedAt = new Date(startedAt.getTime() + 30 * 60_000);
			const basis = { meetingId: meeting.id, applicationNumber: d.number, round: 1, totals, ballot: null, lockedByName: chair.name, previousStatus: app.status };
			const sha256 = decisionHash({ itemId: item.id, applicationId: app.id, version: 1, outcome: d.outcome, amount: d.amount, fundingMode: d.mode, rationale: d.rationale, basis, lockedBy: chair.id, lockedAt });
			const [decision] = await tx
				.insert(s.meetingDecisions)
				.values({ itemId: item.id, applicationId: app.id, version: 1, outcome: d.outcome, amount: d.amount === null ? null : d.amount.toFixed(2), fundingMode: d.mode, rationale: d.rationale, basis, lockedBy: chair.id, lockedAt, sha256, auditAnchor: await recordAnchor(tx) })
				.returning({ id: s.meetingDecisions.id });
			const chairActor = { id: chair.id, name: chair.name };
			await transition(tx, chairActor, { id: app.id, number: app.number, status: app.status }, 'decided', { details: { meetingId: meeting.id, outcome: d.outcome } });
			await audit(tx, chairActor, 'meeting.decision_locked', { type: 'meeting_item', id: item.id }, { decisionId: decision.id, version: 1, outcome: d.outcome, amount: d.amount, fundingMode: d.mode, sha256, application: d.number });
		}
		// The minutes the room drafts at its close, from the state it would have loaded.
		const state = await loadRoomState(tx, meeting.id);
		const minutesId = await draftMinutes(tx, state!, chair.id, closedAt);
		await tx.update(s.meetings).set({ minutesDocumentId: minutesId }).where(eq(s.meetings.id, meeting.id));
		await audit(tx, { id: chair.id, name: chair.name }, 'meeting.closed', { type: 'meeting', id: meeting.id }, { minutesDocumentId: minutesId });

		// Nested calls open savepoints on this transaction.
		const db = tx as unknown as Db;
		const staff = await loadPrincipal(tx, { id: intake.id, username: intake.username, name: intake.name, email: intake.email, isAdmin: intake.isAdmin, active: true, locale: intake.locale, color: intake.color }, 'demo-seed');
		const period = DEFAULT_PERIOD.funding;
		const published = await publish(
			db,
			staff,
			{ id: intake.id, name: intake.name },
			call.id,
			{ kind: 'funding', title: DEMO_PUBLICATION_TITLE, notice: '对公示项目有异议的，请在公示期内以书面形式实名提出，并提供必要的证明材料。联系电话：010-68000000。', periodLength: period.length, periodUnit: period.unit },
			new Date(now - 2 * DAY)
		);
		if (!published.ok) throw new Error(`demo publication: ${published.code}`);
		const [row] = await tx.select({ id: s.publicationRows.id }).from(s.publicationRows).where(and(eq(s.publicationRows.publicationId, published.id), eq(s.publicationRows.label, 'IF2026-0007')));
		const lodged = await lodgeObjection(
			db,
			published.id,
			{
				kind: 'person',
				name: '赵文博',
				organization: '四川川环水处理设备有限公司',
				title: '技术总监',
				contactName: '',
				phone: '028-86661234',
				address: '四川省成都市武侯区科华北路 88 号',
				rowId: row.id,
				grounds: '该项目申报书所列“示范工程”实为本公司 2024 年承建的项目，申报单位仅参与部分设备供货，申报材料对业绩的表述与事实不符，请予核查。'
			},
			[{ name: '示范工程合同及验收报告.pdf', type: 'application/pdf', bytes: makePdf([['Demonstration project contract (2024)', 'Acceptance report']]) }],
			{ userId: null, ip: '10.20.30.40', now: new Date(now - DAY) }
		);
		if (!lodged.ok) throw new Error(`demo objection: ${lodged.code}`);
		await audit(tx, { name: 'system' }, 'demo.seeded', null, { step: 'publications' });
	}
};
