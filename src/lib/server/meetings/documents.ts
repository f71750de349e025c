// The meeting's shared documents, on the documents engine: a notes document per agenda item
// (created when the meeting starts) and the minutes (drafted when it closes). Who may open them
// is decided here, through the access resolver the documents domain asks for 'meeting' owners:
//   notes    members not recused from the item edit (observers view); the chair also locks;
//   minutes  the secretary edits, the chair edits and locks, the call's organizers view;
//            other members view only if they were recused from no item (the minutes record
//            every item's scores and decision).
import { and, asc, eq, isNull, ne } from 'drizzle-orm';
import { documents, meetingAttendance, meetingItems, meetingMembers, meetingMinutesAddenda, meetings } from '$db/schema';
import type { Db, DbOrTx } from '../db';
import { appendBlocks } from '../documents/append';
import { textOfJSON } from '../documents/content';
import type { PMNode } from '$lib/editor/extensions';
import { getDocumentRef, registerAccessResolver, type AccessDecision, type AccessResolver } from '../documents/access';
import { currentContent, insertDocument } from '../documents';
import { doc, h, p, table, ul, b } from '../documents/templates';
import { managesCall } from '../calls/access';
import { isRecused } from './recusals';
import { m } from '$lib/paraglide/messages';
import { decisionInForce, type DecisionState, type ItemState, type RoomState } from './state';
import { roundStats } from './stats';
import { hearingMinutesBlocks } from './hearings/minutes';

const NONE: AccessDecision = { access: 'none', canLock: false, canManage: false };

/** Whether the user is recused in the meeting from these applications (established or live). */
async function conflicted(db: DbOrTx, meetingId: string, userId: string, applicationIds: string[]): Promise<boolean> {
	if (applicationIds.length === 0) return false;
	return isRecused(db, meetingId, userId, applicationIds);
}

export const meetingDocumentsResolver: AccessResolver = async ({ db, principal, document }) => {
	if (!document.meetingId) return NONE;
	const [row] = await db
		.select({ callId: meetings.callId, role: meetingMembers.role })
		.from(meetings)
		.leftJoin(meetingMembers, and(eq(meetingMembers.meetingId, meetings.id), eq(meetingMembers.userId, principal.user.id)))
		.where(eq(meetings.id, document.meetingId));
	if (!row) return NONE;
	const role = row.role;
	if (document.agendaItemId) {
		if (!role) return NONE;
		const [item] = await db.select({ applicationId: meetingItems.applicationId }).from(meetingItems).where(eq(meetingItems.id, document.agendaItemId));
		if (!item || (await conflicted(db, document.meetingId, principal.user.id, [item.applicationId]))) return NONE;
		return { access: role === 'observer' ? 'view' : 'edit', canLock: role === 'chair', canManage: false };
	}
	// The minutes.
	if (role === 'chair') return { access: 'edit', canLock: true, canManage: false };
	if (role === 'secretary') return { access: 'edit', canLock: false, canManage: false };
	if (principal.memberships.length > 0 && (await managesCall(db, principal, row.callId))) return { access: 'view', canLock: false, canManage: false };
	if (!role) return NONE;
	const apps = (await db.select({ id: meetingItems.applicationId }).from(meetingItems).where(eq(meetingItems.meetingId, document.meetingId))).map((r) => r.id);
	return (await conflicted(db, document.meetingId, principal.user.id, apps)) ? NONE : { access: 'view', canLock: false, canManage: false };
};

/** Registers the resolver (idempotent: the registry lives on globalThis). */
export function registerMeetingDocuments(): () => void {
	return registerAccessResolver('meeting', meetingDocumentsResolver);
}

/** Creates the notes document of every item that has none; returns item id → document id. */
export async function createNotes(tx: DbOrTx, state: RoomState, userId: string): Promise<Map<string, string>> {
	const out = new Map<string, string>();
	for (const item of state.items) {
		if (item.notesDocumentId) continue;
		const title = m.mtg_notes_title({ number: item.number, title: item.projectTitle }, { locale: 'zh-CN' });
		const id = await insertDocument(tx, {
			title,
			kind: 'notes',
			owner: { kind: 'meeting', id: state.meeting.id, agendaItemId: item.id },
			content: doc(h(2, title), p(`申报单位：${item.enterpriseName}`), h(3, '讨论要点'), p(), h(3, '存在问题与建议'), p()),
			createdBy: userId
		});
		await tx.update(meetingItems).set({ notesDocumentId: id }).where(eq(meetingItems.id, item.id));
		out.set(item.id, id);
	}
	return out;
}

const OUTCOME_ZH: Record<string, string> = { fund: '同意资助', decline: '不予资助', defer: '暂缓决定' };
const MODE_ZH: Record<string, string> = { grant: '无偿资助', interestSubsidy: '贷款贴息', equity: '资本金投入' };
const ROLE_ZH: Record<string, string> = { chair: '主持人（组长）', secretary: '秘书', expert: '评审专家', observer: '列席人员' };
const fmt = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(2));
const beijing = (d: Date | null) =>
	d ? d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }) : '—';

/**
 * Drafts the minutes from the agenda, the attendance, the final scores and the locked
 * decisions, as a document the secretary edits and the chair locks. Chinese: it is the record.
 */
export async function draftMinutes(tx: DbOrTx, state: RoomState, userId: string, closedAt: Date): Promise<string> {
	const mt = state.meeting;
	const attended = new Set(
		(await tx.select({ userId: meetingAttendance.userId }).from(meetingAttendance).where(eq(meetingAttendance.meetingId, mt.id))).map((r) => r.userId)
	);
	const members = [...state.members.values()];
	const name = (id: string) => state.members.get(id)?.name ?? '';
	const chair = members.find((x) => x.role === 'chair');
	const secretary = members.find((x) => x.role === 'secretary');
	const itemIds = state.scoring?.items.map((i) => i.id) ?? [];

	const rows = state.items.map((item) => {
		const last = [...item.rounds.values()].filter((r) => r.revealedAt).sort((a, b) => b.round - a.round)[0];
		const stats = last ? roundStats([...last.sheets.values()].map((s) => ({ scores: s.scores, total: s.total, vetoed: s.veto !== null })), itemIds, mt.aggregation, { mode: mt.discrepancyRule, threshold: mt.discrepancyThreshold }) : null;
		const d = decisionInForce(item);
		return { item, last, stats, d };
	});

	const hearings = await hearingMinutesBlocks(tx, mt.id, closedAt);
	const content = doc(
		h(1, m.mtg_minutes_title({ title: mt.title }, { locale: 'zh-CN' })),
		p(b('申报批次：'), `${mt.callTitle}（${mt.callCode}）`),
		p(b('时间：'), `${beijing(state.meeting.startedAt ?? mt.startsAt)} 至 ${beijing(closedAt)}`),
		p(b('地点：'), [mt.place, mt.videoLink].filter(Boolean).join('；') || '—'),
		p(b('主持人：'), chair?.name ?? '—', '　', b('秘书：'), secretary?.name ?? '—'),
		h(2, '一、出席情况'),
		table(
			['姓名', '会议角色', '单位', '出席'],
			...members.map((x) => [x.name, ROLE_ZH[x.role], x.institution ?? '—', attended.has(x.userId) ? '出席' : '缺席'])
		),
		h(2, '二、评审议程与结果'),
		table(
			['序号', '申报编号', '项目名称', '申报单位', `综合得分（${mt.aggregation === 'mean' ? '平均' : '去掉最高最低后平均'}）`, '决定'],
			...rows.map(({ item, stats, d }) => [
				String(item.position),
				item.number,
				item.projectTitle,
				item.enterpriseName,
				fmt(stats?.aggregate),
				d ? `${OUTCOME_ZH[d.outcome]}${d.amount !== null ? `，${d.amount.toFixed(2)} 万元（${MODE_ZH[d.fundingMode ?? ''] ?? ''}）` : ''}` : '未决定'
			])
		),
		h(2, '三、逐项记录'),
		...rows.flatMap(({ item, last, stats, d }) => {
			const recused = [...item.recused.keys()].map(name).filter(Boolean);
			const dissents = [...item.signatures.values()].filter((s) => s.kind === 'summary' && s.dissent).map((s) => `${name(s.userId)}：${s.dissent}`);
			const ballot = item.ballots.filter((x) => x.closedAt).at(-1);
			return [
				h(3, `${item.position}. ${item.number} ${item.projectTitle}`),
				ul(
					`回避人员：${recused.length ? recused.join('、') : '无'}`,
					last && stats
						? `评分（第 ${last.round} 轮，${last.sheets.size} 人提交）：综合 ${fmt(stats.aggregate)}，中位数 ${fmt(stats.total.median)}，标准差 ${fmt(stats.total.stdev)}，极差 ${fmt(stats.total.range)}${stats.total.discrepancy ? '（差异超过阈值）' : ''}${stats.vetoes ? `；一票否决 ${stats.vetoes} 人` : ''}`
						: '评分：未揭晓',
					ballot ? `无记名投票：同意 ${ballot.counts.fund}，不同意 ${ballot.counts.decline}，弃权 ${ballot.counts.abstain}` : '无记名投票：未进行',
					`专家组意见：${item.summary || '—'}`,
					`保留意见：${dissents.length ? dissents.join('；') : '无'}`,
					d
						? `决定：${OUTCOME_ZH[d.outcome]}${d.amount !== null ? `，资助 ${d.amount.toFixed(2)} 万元，方式 ${MODE_ZH[d.fundingMode ?? ''] ?? '—'}` : ''}。理由：${d.rationale}（${name(d.lockedBy) || String(d.basis.lockedByName ?? '')} 于 ${beijing(d.lockedAt)} 锁定，SHA-256 ${d.sha256.slice(0, 16)}…${d.auditAnchor ? `，审计锚点 ${d.auditAnchor.slice(0, 24)}…` : ''}）`
						: '决定：未作出'
				)
			];
		}),
		...hearings,
		h(2, '四、其他事项'),
		p()
	);
	return insertDocument(tx, {
		title: m.mtg_minutes_title({ title: mt.title }, { locale: 'zh-CN' }),
		kind: 'minutes',
		owner: { kind: 'meeting', id: mt.id },
		content,
		createdBy: userId
	});
}

/** What an addendum to the minutes records: a decision reopened after close, or the new one. */
export interface MinutesEvent {
	kind: 'reopened' | 'decided';
	item: ItemState;
	decision: DecisionState;
	byName: string;
	at: Date;
}

function decisionText(d: DecisionState): string {
	return `${OUTCOME_ZH[d.outcome]}${d.amount !== null ? `，资助 ${d.amount.toFixed(2)} 万元，方式 ${MODE_ZH[d.fundingMode ?? ''] ?? '—'}` : ''}`;
}

function addendumBlocks(e: MinutesEvent) {
	const { item, decision: d } = e;
	const subject = `${item.position}. ${item.number} ${item.projectTitle}`;
	const reopened = d.basis.reopened as { version?: number; reason?: string } | undefined;
	const body =
		e.kind === 'reopened'
			? [
					`第 ${d.version} 版决定（${decisionText(d)}）已由 ${e.byName} 于 ${beijing(e.at)} 重新打开，理由：${d.reopened?.reason ?? '—'}。`,
					'该决定不再有效，本项待主持人重新作出决定；以上会议记录中的原决定仅作历史记录。'
				]
			: [
					`主持人 ${e.byName} 于 ${beijing(e.at)} 重新作出决定（第 ${d.version} 版${reopened?.version ? `，答复第 ${reopened.version} 版决定的重新打开` : ''}）：${decisionText(d)}。理由：${d.rationale}`,
					`SHA-256 ${d.sha256.slice(0, 16)}…${d.auditAnchor ? `，审计锚点 ${d.auditAnchor.slice(0, 24)}…` : ''}`
				];
	return [h(3, `补充记录（${beijing(e.at)}）：${subject}`), ul(...body)];
}

/**
 * Records a change after the meeting closed, in the transaction of the change: the addendum
 * to append to the minutes, rendered now. writePendingAddenda appends it; start-up retries
 * what a crash left pending.
 */
export async function queueMinutesAddendum(tx: DbOrTx, state: RoomState, event: MinutesEvent, userId: string): Promise<void> {
	if (!state.meeting.minutesDocumentId) return;
	await tx
		.insert(meetingMinutesAddenda)
		.values({ meetingId: state.meeting.id, decisionId: event.decision.id, kind: event.kind, blocks: addendumBlocks(event), createdBy: userId })
		.onConflictDoNothing();
}

const writing = new Map<string, Promise<number>>();

/**
 * Appends pending addenda at the end of the minutes, oldest first (the record drafted at close
 * is never rewritten). When the minutes are already locked, they go into a separate minutes
 * document of the meeting, created on first need. One writer per meeting in this process; an
 * addendum whose text is already in the document (written, then a crash before it was
 * marked) is marked without being written twice. Returns how many were written.
 */
export function writePendingAddenda(db: Db, meetingId?: string): Promise<number> {
	const key = meetingId ?? '*';
	const before = writing.get(key) ?? Promise.resolve(0);
	const next = before.catch(() => 0).then(() => writeNow(db, meetingId));
	writing.set(key, next);
	void next.finally(() => writing.get(key) === next && writing.delete(key)).catch(() => {});
	return next;
}

async function writeNow(db: Db, meetingId: string | undefined): Promise<number> {
	const pending = await db
		.select({ a: meetingMinutesAddenda, title: meetings.title, minutesId: meetings.minutesDocumentId })
		.from(meetingMinutesAddenda)
		.innerJoin(meetings, eq(meetings.id, meetingMinutesAddenda.meetingId))
		.where(and(isNull(meetingMinutesAddenda.appliedAt), meetingId ? eq(meetingMinutesAddenda.meetingId, meetingId) : undefined))
		.orderBy(asc(meetingMinutesAddenda.createdAt));
	let written = 0;
	for (const { a, title: meetingTitle, minutesId } of pending) {
		if (!minutesId) continue;
		const blocks = a.blocks as PMNode[];
		let target = minutesId;
		if ((await getDocumentRef(db, minutesId))?.lockId) {
			const title = m.mtg_minutes_addendum_title({ title: meetingTitle }, { locale: 'zh-CN' });
			const [existing] = await db
				.select({ id: documents.id })
				.from(documents)
				.where(and(eq(documents.meetingId, a.meetingId), eq(documents.kind, 'minutes'), ne(documents.id, minutesId), eq(documents.title, title)));
			target = existing?.id ?? (await insertDocument(db, { title, kind: 'minutes', owner: { kind: 'meeting', id: a.meetingId }, content: doc(h(1, title)), createdBy: a.createdBy }));
		}
		// The whole addendum's text: two addenda for one item in the same minute share a heading.
		const marker = textOfJSON({ type: 'doc', content: blocks });
		const current = await currentContent(db, target);
		const already = textOfJSON(current.json).includes(marker);
		current.doc.destroy();
		if (!already) {
			const r = await appendBlocks(db, target, blocks);
			if (!r.ok) throw new Error(`minutes addendum ${a.id}: ${r.code}`);
			written++;
		}
		await db.update(meetingMinutesAddenda).set({ appliedAt: new Date(), documentId: target }).where(eq(meetingMinutesAddenda.id, a.id));
	}
	return written;
}
