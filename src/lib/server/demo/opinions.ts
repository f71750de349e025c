// Demo panel opinion: on the first 2026 Innovation Fund application with a locked funding
// decision in force, a finalized, co-signed opinion (one member with a dissent), released to
// the applicant with its text, the dissent (without a name) and the decision. The decided item
// comes from an earlier step (a closed meeting with locked decisions); without one this step
// does nothing and is tried again at the next start.
import { and, asc, eq, like, notInArray } from 'drizzle-orm';
import * as s from '$db/schema';
import type { SeedStep } from './step';
import { audit } from '../audit';
import { recordAnchor } from '../audit/anchors';
import { insertDocument } from '../documents';
import { canonicalJSON, jsonOf } from '../documents/content';
import { sha256Hex } from '../documents/lock';
import { insertVersion } from '../documents/versions';
import { doc, h, p } from '../documents/templates';
import { loadDoc } from '../collab/persistence';
import { opinionContext } from '../opinions/context';
import { applicantView } from '../opinions/view';

const system = { name: 'system' };

export const opinionsStep: SeedStep = {
	name: 'opinions',
	async done(tx) {
		const [row] = await tx.select({ id: s.panelOpinionReleases.opinionId }).from(s.panelOpinionReleases).limit(1);
		return !!row;
	},
	async run(tx) {
		const reopened = tx.select({ id: s.meetingDecisionReopens.decisionId }).from(s.meetingDecisionReopens);
		const [target] = await tx
			.select({ itemId: s.meetingDecisions.itemId, number: s.applications.number })
			.from(s.meetingDecisions)
			.innerJoin(s.applications, eq(s.applications.id, s.meetingDecisions.applicationId))
			.where(and(like(s.applications.number, 'IF2026-%'), eq(s.meetingDecisions.outcome, 'fund'), notInArray(s.meetingDecisions.id, reopened)))
			.orderBy(asc(s.applications.number), asc(s.meetingDecisions.version))
			.limit(1);
		if (!target) return;
		const ctx = await opinionContext(tx, target.itemId);
		if (!ctx || ctx.opinion || ctx.signers.length === 0) return;
		const chair = ctx.signers.find((m) => m.role === 'chair') ?? ctx.signers[0];
		const lead = ctx.signers.find((m) => m.role === 'expert') ?? chair;
		const a = ctx.application;
		const content = doc(
			h(1, '专家组意见'),
			p(`申报编号：${a.number}`),
			p(`项目名称：${a.title}`),
			p(`申报单位：${a.enterpriseName}`),
			h(2, '一、总体评价'),
			p('该项目技术路线清晰，核心技术具有自主知识产权，产品已完成中试，市场需求明确；申报单位研发团队结构合理，具备实施项目的基础条件。'),
			h(2, '二、主要优点'),
			p('1. 关键工艺指标优于国内同类产品；2. 已与下游用户签订试用协议，产业化路径可行；3. 经费预算编制基本合理。'),
			h(2, '三、存在问题与建议'),
			p('1. 市场规模测算依据不足，建议补充第三方数据；2. 建议加强知识产权布局，尽快提交核心工艺的发明专利申请；3. 设备购置应与项目进度匹配。'),
			h(2, '四、评审结论'),
			p('专家组经讨论认为，该项目符合本年度创新基金支持方向，同意推荐立项支持。')
		);
		const documentId = await insertDocument(tx, {
			title: `专家组意见：${a.number} ${a.title}`,
			kind: 'other',
			owner: { kind: 'meeting', id: ctx.meeting.id, agendaItemId: ctx.item.id },
			content,
			template: 'panelOpinion',
			createdBy: lead.userId
		});
		const [o] = await tx
			.insert(s.panelOpinions)
			.values({ itemId: ctx.item.id, meetingId: ctx.meeting.id, applicationId: a.id, documentId, leadUserId: lead.userId, leadChosenBy: chair.userId })
			.returning({ id: s.panelOpinions.id });
		await audit(tx, system, 'opinion.created', { type: 'panel_opinion', id: o.id }, { itemId: ctx.item.id, application: a.number, documentId, lead: lead.userId, demo: true });

		// Locked as the documents' lock path does: the canonical content, its hash, a lock version.
		const { doc: ydoc, seq } = await loadDoc(tx, documentId);
		const locked = canonicalJSON(jsonOf(ydoc));
		const sha256 = sha256Hex(locked);
		await tx.update(s.panelOpinions).set({ submittedAt: new Date(), submittedSha256: sha256 }).where(eq(s.panelOpinions.id, o.id));
		const dissenter = ctx.signers.find((m) => m.userId !== lead.userId && m.userId !== chair.userId);
		for (const m of ctx.signers) {
			const dissent = m.userId === dissenter?.userId ? '市场规模测算偏乐观，建议资助额度适当下调。' : '';
			await tx.insert(s.panelOpinionSignatures).values({ opinionId: o.id, userId: m.userId, kind: dissent ? 'dissent' : 'sign', dissent, sha256 });
		}
		const version = await insertVersion(tx, { documentId, kind: 'lock', name: '定稿', doc: ydoc, upToSeq: seq, createdBy: chair.userId });
		ydoc.destroy();
		const [l] = await tx
			.insert(s.documentLocks)
			.values({ documentId, versionId: version.id, content: locked, contentSha256: sha256, lockedBy: chair.userId, auditAnchor: await recordAnchor(tx) })
			.returning({ id: s.documentLocks.id });
		await tx.update(s.documents).set({ lockId: l.id }).where(eq(s.documents.id, documentId));
		await audit(tx, system, 'opinion.finalized', { type: 'panel_opinion', id: o.id }, { itemId: ctx.item.id, sha256, demo: true });

		const [staff] = await tx.select({ id: s.users.id }).from(s.users).where(eq(s.users.username, 'intake'));
		const after = await opinionContext(tx, ctx.item.id);
		const options = { text: true, dissents: true, decision: true };
		const view = applicantView(after!, options);
		await tx.insert(s.panelOpinionReleases).values({
			opinionId: o.id,
			options,
			view: view as unknown as Record<string, unknown>,
			viewSha256: sha256Hex(canonicalJSON(view)),
			releasedBy: staff?.id ?? chair.userId
		});
		await audit(tx, system, 'opinion.released', { type: 'panel_opinion', id: o.id }, { itemId: ctx.item.id, application: a.number, options, demo: true });
		await audit(tx, system, 'demo.seeded', null, { step: 'opinions', application: target.number });
	}
};
