// What one person may see of a meeting room: the one place that decides it. Score values only
// after their round is revealed (your own sheet always), ballot counts only once the ballot is
// closed and never who voted what, and nothing at all of an item you are recused from — not
// its title, counts, notes, who is looking at it, nor its decision.
import { votes, type AgendaItemView, type BallotView, type DecisionView, type ItemView, type MeetingView, type MemberView, type Presence, type RoundView, type SheetView } from '$lib/meetings/protocol';
import { awaitingRedecision, decisionInForce, type BallotState, type DecisionState, type ItemState, type RoomState, type RoundState, type SheetState } from './state';
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
	/** Non-members connected now (admins watching). */
	guests(): { userId: string; name: string; color: string }[];
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
		auditAnchor: d.auditAnchor,
		reopened: d.reopened ? { reason: d.reopened.reason, by: d.reopened.by, byName: d.reopened.byName || name(d.reopened.by), at: d.reopened.at.toISOString() } : null
	};
}

/** A round as the viewer may see it. */
export function roundView(state: RoomState, item: ItemState, round: RoundState, viewer: Viewer, eligible: number): RoundView {
	const itemIds = state.scoring?.items.map((i) => i.id) ?? [];
	const revealed = round.revealedAt !== null;
	const mine = round.sheets.get(viewer.userId);
	const sheets = revealed ? [...round.sheets.values()].sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime()) : null;
	return {
		round: round.round,
		eligible,
		submitted: round.sheets.size,
		submittedUserIds: [...round.sheets.keys()],
		revealed,
		revealedAt: iso(round.revealedAt),
		mine: mine ? sheetView(state, mine) : null,
		sheets: sheets ? sheets.map((s) => sheetView(state, s)) : null,
		stats: sheets
			? roundStats(
					sheets.map((s) => ({ scores: s.scores, total: s.total, vetoed: s.veto !== null, userId: s.userId })),
					itemIds,
					state.meeting.aggregation,
					{ mode: state.meeting.discrepancyRule, threshold: state.meeting.discrepancyThreshold },
					{
						groups: state.rubric?.groups.map((g) => ({ key: g.key, items: g.items.map((i) => ({ id: i.id, weight: i.weight })) })),
						baselines: state.baselines
					}
				)
			: null
	};
}

export type ItemHeader = Omit<ItemView, 'rounds'>;

/** An item the viewer is not recused from, without its rounds (built apart, see RoundSlot). */
export function itemHeader(state: RoomState, item: ItemState, viewer: Viewer, live: LivePresence): ItemHeader {
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
		ballot: latest ? ballotView(latest, viewer) : null,
		pastBallots: item.ballots.filter((b) => b !== latest).map((b) => ballotView(b, viewer)),
		signatures: [...item.signatures.values()].map((s) => ({ userId: s.userId, kind: s.kind, round: s.round, dissent: s.dissent, signedAt: s.signedAt.toISOString() })),
		decision: inForce ? decisionView(state, inForce) : null,
		decisions: [...item.decisions].reverse().map((d) => decisionView(state, d)),
		awaitingDecision: awaitingRedecision(state, item),
		recusedUserIds: [...item.recused.keys()],
		quorum: quorumOf(state, item, live)
	};
}

/** An item's rounds in order, each built only when asked (revealed rounds never change). */
export interface RoundSlot {
	round: number;
	revealed: boolean;
	build(): RoundView;
	/** The viewer's own sheet in the round, if any. */
	mine(): SheetView | null;
}

export function roundSlots(state: RoomState, item: ItemState, viewer: Viewer): RoundSlot[] {
	const eligible = eligibleVoters(state, item).length;
	return [...item.rounds.values()]
		.sort((a, b) => a.round - b.round)
		.map((r) => ({
			round: r.round,
			revealed: r.revealedAt !== null,
			build: () => roundView(state, item, r, viewer, eligible),
			mine: () => {
				const own = r.sheets.get(viewer.userId);
				return own ? sheetView(state, own) : null;
			}
		}));
}

function itemView(state: RoomState, item: ItemState, viewer: Viewer, live: LivePresence): ItemView {
	return { ...itemHeader(state, item, viewer, live), rounds: roundSlots(state, item, viewer).map((r) => r.build()) };
}

/** The items the viewer is recused from. */
export function hiddenItems(state: RoomState, viewer: Viewer): Set<string> {
	return new Set(state.items.filter((i) => i.recused.has(viewer.userId)).map((i) => i.id));
}

/** Who is here and where, as the viewer may see it (hidden: the viewer's recused items). */
export function membersView(state: RoomState, hidden: Set<string>, live: LivePresence): MemberView[] {
	const guests = live.guests().map((g) => ({ ...g, role: 'observer' as const, institution: null, guest: true }));
	return [...state.members.values(), ...guests].map((m) => {
		const viewing = live.viewing(m.userId);
		return {
			userId: m.userId,
			name: m.name,
			role: m.role,
			color: m.color,
			institution: m.institution,
			presence: live.presence(m.userId),
			viewingItemId: viewing && !hidden.has(viewing) ? viewing : null,
			tabs: live.tabs(m.userId),
			...('guest' in m ? { guest: true } : {})
		};
	});
}

export function meetingPart(state: RoomState): MeetingView['meeting'] {
	const mt = state.meeting;
	return {
		id: mt.id,
		title: mt.title,
		callId: mt.callId,
		callCode: mt.callCode,
		callTitle: mt.callTitle,
		callTitleEn: mt.callTitleEn,
		startsAt: mt.startsAt.toISOString(),
		place: mt.place,
		videoLink: mt.videoLink,
		status: mt.status,
		currentItemId: mt.currentItemId,
		startedAt: iso(mt.startedAt),
		closedAt: iso(mt.closedAt),
		quorum: mt.quorum,
		ballotThreshold: mt.ballotThreshold,
		minutesDocumentId: mt.minutesDocumentId,
		aggregation: mt.aggregation,
		discrepancyThreshold: mt.discrepancyThreshold,
		discrepancyRule: mt.discrepancyRule,
		requiresBallot: mt.requiresBallot,
		ceiling: mt.ceiling,
		majorCeiling: mt.majorCeiling,
		fundingModes: mt.fundingModes
	};
}

export function mePart(state: RoomState, viewer: Viewer): MeetingView['me'] {
	const role = state.members.get(viewer.userId)?.role ?? null;
	return { userId: viewer.userId, role, votes: votes(role), isChair: role === 'chair', isSecretary: role === 'secretary', isAdmin: viewer.isAdmin };
}

export function rubricPart(state: RoomState): MeetingView['rubric'] {
	const r = state.rubric;
	return {
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
	};
}

export function buildView(state: RoomState, viewer: Viewer, live: LivePresence): Omit<MeetingView, 'seq' | 'serverTime'> {
	const hidden = hiddenItems(state, viewer);
	return {
		meeting: meetingPart(state),
		me: mePart(state, viewer),
		members: membersView(state, hidden, live),
		rubric: rubricPart(state),
		items: state.items.map((item): AgendaItemView => (hidden.has(item.id) ? { id: item.id, position: item.position, recused: true } : itemView(state, item, viewer, live)))
	};
}

