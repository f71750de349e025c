// What one person may see of a meeting room: the one place that decides it. Score values only
// after their round is revealed (your own sheet always), ballot counts only once the ballot is
// closed and never who voted what, and nothing at all of an item you are recused from — not
// its title, counts, notes, who is looking at it, nor its decision.
import { votes, type AgendaItemView, type BallotView, type DecisionView, type ItemView, type MeetingView, type MemberView, type Presence, type RoundView, type SheetView } from '$lib/meetings/protocol';
import { decisionInForce, sheetKey, type BallotState, type DecisionState, type ItemState, type RoomState, type SheetState } from './state';
import { carried, required, roundStats } from './stats';

export interface Viewer {
	userId: string;
	isAdmin: boolean;
}

export interface LivePresence {
	presence(userId: string): Presence;
	/** The item a person's most recently active tab looks at. */
	viewing(userId: string): string | null;
	tabs(userId: string): number;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function sheetView(state: RoomState, s: SheetState): SheetView {
	return {
		userId: s.userId,
		name: state.members.get(s.userId)?.name ?? '',
		scores: s.scores,
		deductions: s.deductions,
		veto: s.veto,
		total: s.total,
		opinion: s.opinion,
		submittedAt: s.submittedAt.toISOString()
	};
}

/** Voting members not recused from the item. */
export function eligibleVoters(state: RoomState, item: ItemState): string[] {
	const out: string[] = [];
	for (const m of state.members.values()) if (votes(m.role) && !item.recused.has(m.userId)) out.push(m.userId);
	return out;
}

export function quorumOf(state: RoomState, item: ItemState, live: LivePresence) {
	const eligible = eligibleVoters(state, item);
	const present = eligible.filter((u) => {
		const p = live.presence(u);
		return p === 'present' || p === 'away';
	}).length;
	const need = required(eligible.length, state.meeting.quorum);
	return { eligible: eligible.length, present, required: need, met: eligible.length > 0 && present >= need };
}

function ballotView(b: BallotState, viewer: Viewer): BallotView {
	const closed = b.closedAt !== null;
	return {
		id: b.id,
		open: !closed,
		threshold: b.threshold,
		eligible: b.eligible,
		votedUserIds: [...b.voters],
		iVoted: b.voters.has(viewer.userId),
		counts: closed ? { ...b.counts } : null,
		carried: closed ? carried(b.counts, b.threshold) : null
	};
}

function decisionView(state: RoomState, d: DecisionState): DecisionView {
	const name = (id: string) => state.members.get(id)?.name ?? '';
	return {
		id: d.id,
		version: d.version,
		outcome: d.outcome,
		amount: d.amount,
		fundingMode: d.fundingMode,
		rationale: d.rationale,
		lockedBy: d.lockedBy,
		lockedByName: name(d.lockedBy) || String(d.basis.lockedByName ?? ''),
		lockedAt: d.lockedAt.toISOString(),
		sha256: d.sha256,
		reopened: d.reopened ? { reason: d.reopened.reason, by: d.reopened.by, byName: name(d.reopened.by) || String(d.basis.reopenedByName ?? ''), at: d.reopened.at.toISOString() } : null
	};
}

function itemView(state: RoomState, item: ItemState, viewer: Viewer, live: LivePresence): ItemView {
	const eligible = eligibleVoters(state, item);
	const itemIds = state.scoring?.items.map((i) => i.id) ?? [];
	const rounds: RoundView[] = [...item.rounds.values()]
		.sort((a, b) => a.round - b.round)
		.map((r) => {
			const revealed = r.revealedAt !== null;
			const mine = r.sheets.get(viewer.userId);
			const sheets = revealed ? [...r.sheets.values()].sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime()) : null;
			return {
				round: r.round,
				eligible: eligible.length,
				submitted: r.sheets.size,
				submittedUserIds: [...r.sheets.keys()],
				revealed,
				revealedAt: iso(r.revealedAt),
				mine: mine ? sheetView(state, mine) : null,
				sheets: sheets ? sheets.map((s) => sheetView(state, s)) : null,
				stats: sheets
					? roundStats(
							sheets.map((s) => ({ scores: s.scores, total: s.total, vetoed: s.veto !== null })),
							itemIds,
							state.meeting.aggregation,
							state.meeting.discrepancyThreshold
						)
					: null
			};
		});
	const open = item.ballots.find((b) => b.closedAt === null) ?? null;
	const latest = open ?? item.ballots.at(-1) ?? null;
	const inForce = decisionInForce(item);
	return {
		id: item.id,
		position: item.position,
		recused: false,
		applicationId: item.applicationId,
		number: item.number,
		projectTitle: item.projectTitle,
		enterpriseName: item.enterpriseName,
		field: item.field,
		requestedAmount: item.requestedAmount,
		fundingMode: item.fundingMode,
		isMajor: item.isMajor,
		ceiling: item.isMajor ? state.meeting.majorCeiling : state.meeting.ceiling,
		timeboxMinutes: item.timeboxMinutes,
		startedAt: iso(item.startedAt),
		round: item.round,
		notesDocumentId: item.notesDocumentId,
		summary: item.summary,
		summaryAt: iso(item.summaryAt),
		rounds,
		ballot: latest ? ballotView(latest, viewer) : null,
		pastBallots: item.ballots.filter((b) => b !== latest).map((b) => ballotView(b, viewer)),
		signatures: [...item.signatures.values()].map((s) => ({ userId: s.userId, kind: s.kind, round: s.round, dissent: s.dissent, signedAt: s.signedAt.toISOString() })),
		decision: inForce ? decisionView(state, inForce) : null,
		decisions: [...item.decisions].reverse().map((d) => decisionView(state, d)),
		recusedUserIds: [...item.recused.keys()],
		quorum: quorumOf(state, item, live)
	};
}

export function buildView(state: RoomState, viewer: Viewer, live: LivePresence): Omit<MeetingView, 'seq' | 'serverTime'> {
	const me = state.members.get(viewer.userId);
	const role = me?.role ?? null;
	const hidden = new Set(state.items.filter((i) => i.recused.has(viewer.userId)).map((i) => i.id));
	const items: AgendaItemView[] = state.items.map((item) => (hidden.has(item.id) ? { id: item.id, position: item.position, recused: true } : itemView(state, item, viewer, live)));
	const members: MemberView[] = [...state.members.values()].map((m) => {
		const viewing = live.viewing(m.userId);
		return {
			userId: m.userId,
			name: m.name,
			role: m.role,
			color: m.color,
			institution: m.institution,
			presence: live.presence(m.userId),
			viewingItemId: viewing && !hidden.has(viewing) ? viewing : null,
			tabs: live.tabs(m.userId)
		};
	});
	const r = state.rubric;
	return {
		meeting: {
			id: state.meeting.id,
			title: state.meeting.title,
			callId: state.meeting.callId,
			callCode: state.meeting.callCode,
			callTitle: state.meeting.callTitle,
			callTitleEn: state.meeting.callTitleEn,
			startsAt: state.meeting.startsAt.toISOString(),
			place: state.meeting.place,
			videoLink: state.meeting.videoLink,
			status: state.meeting.status,
			currentItemId: state.meeting.currentItemId,
			startedAt: iso(state.meeting.startedAt),
			closedAt: iso(state.meeting.closedAt),
			quorum: state.meeting.quorum,
			ballotThreshold: state.meeting.ballotThreshold,
			minutesDocumentId: state.meeting.minutesDocumentId,
			aggregation: state.meeting.aggregation,
			discrepancyThreshold: state.meeting.discrepancyThreshold,
			requiresBallot: state.meeting.requiresBallot,
			ceiling: state.meeting.ceiling,
			majorCeiling: state.meeting.majorCeiling,
			fundingModes: state.meeting.fundingModes
		},
		me: { userId: viewer.userId, role, votes: votes(role), isChair: role === 'chair', isSecretary: role === 'secretary', isAdmin: viewer.isAdmin },
		members,
		rubric: {
			groups: r
				? r.groups.map((g) => ({
						key: g.key,
						name: g.name,
						nameEn: g.nameEn,
						items: g.items.map((i) => ({ id: i.id, key: i.key, name: i.name, nameEn: i.nameEn, weight: i.weight, guidance: i.guidance }))
					}))
				: [],
			deductions: r ? r.deductions.map((d) => ({ id: d.id, name: d.name, nameEn: d.nameEn, maxPoints: d.maxPoints ?? null })) : [],
			vetoes: r ? r.vetoes.map((v) => ({ id: v.id, name: v.name, nameEn: v.nameEn })) : []
		},
		items
	};
}

export { sheetKey };
