// A meeting room's state as the server holds it in memory, and its loading from the database.
// Everything here is rebuilt from the database alone (after a restart the room comes back as
// it was); only presence is live and lives in the room itself.
import { asc, eq, inArray } from 'drizzle-orm';
import {
	applications,
	calls,
	experts,
	meetingBallots,
	meetingBallotVoters,
	meetingDecisionReopens,
	meetingDecisions,
	meetingItems,
	meetingMembers,
	meetingRounds,
	meetingScores,
	meetingSignatures,
	meetings,
	users
} from '$db/schema';
import type { DbOrTx } from '../db';
import { establishRecusals, recusalsOf } from './recusals';
import { loadRubrics, type LoadedRubric } from '../calls/queries';
import { toScoring } from '../reviews';
import { callResults } from '../calls/calibration';
import type { ExpertBaseline } from '$lib/scoring/calibration';
import type { ScoringRubric } from '$lib/rubric';
import type { MeetingRole, Outcome } from '$lib/meetings/protocol';

export interface MemberState {
	userId: string;
	name: string;
	role: MeetingRole;
	color: string;
	institution: string | null;
	expertId: string | null;
}

export interface SheetState {
	userId: string;
	scores: Record<string, number>;
	deductions: Record<string, number>;
	veto: { ruleId: string; reason: string } | null;
	total: number | null;
	opinion: string;
	submittedAt: Date;
}

export interface RoundState {
	round: number;
	openedAt: Date;
	revealedAt: Date | null;
	revealedBy: string | null;
	sheets: Map<string, SheetState>;
}

export interface BallotState {
	id: string;
	threshold: number;
	eligible: number;
	counts: { fund: number; decline: number; abstain: number };
	voters: Set<string>;
	openedAt: Date;
	closedAt: Date | null;
}

export interface SignatureState {
	userId: string;
	kind: 'sheet' | 'summary';
	round: number | null;
	dissent: string;
	signedAt: Date;
}

export interface DecisionState {
	id: string;
	version: number;
	outcome: Outcome;
	amount: number | null;
	fundingMode: 'grant' | 'interestSubsidy' | 'equity' | null;
	rationale: string;
	lockedBy: string;
	lockedAt: Date;
	sha256: string;
	/** The audit chain head at the lock (`#seq seal`), printed on the record. */
	auditAnchor: string | null;
	basis: Record<string, unknown>;
	reopened: { reason: string; by: string; byName: string; at: Date } | null;
}

export interface ItemState {
	id: string;
	position: number;
	applicationId: string;
	number: string;
	projectTitle: string;
	enterpriseName: string;
	field: string;
	requestedAmount: number;
	fundingMode: string;
	isMajor: boolean;
	timeboxMinutes: number;
	startedAt: Date | null;
	round: number;
	notesDocumentId: string | null;
	summary: string;
	summaryAt: Date | null;
	rounds: Map<number, RoundState>;
	ballots: BallotState[];
	signatures: Map<string, SignatureState>;
	/** Oldest first. */
	decisions: DecisionState[];
	/** Members conflicted with the application, with the reason. */
	recused: Map<string, string>;
}

export interface MeetingState {
	id: string;
	title: string;
	callId: string;
	callCode: string;
	callTitle: string;
	callTitleEn: string;
	startsAt: Date;
	place: string;
	videoLink: string;
	status: 'scheduled' | 'open' | 'closed';
	currentItemId: string | null;
	startedAt: Date | null;
	closedAt: Date | null;
	quorum: number;
	ballotThreshold: number;
	minutesDocumentId: string | null;
	aggregation: 'mean' | 'trimmedMean';
	discrepancyThreshold: number;
	discrepancyRule: 'relative' | 'absolute';
	requiresBallot: boolean;
	ceiling: number;
	majorCeiling: number;
	fundingModes: string[];
}

export interface RoomState {
	meeting: MeetingState;
	members: Map<string, MemberState>;
	items: ItemState[];
	rubric: LoadedRubric | null;
	scoring: ScoringRubric | null;
	/**
	 * Members' habits from their submitted written reviews (technical form) in the call, by
	 * user id: the reveal table's calibration. Read when the room loads; reviews are written
	 * before the meeting, so a revealed round's figures do not move under the panel.
	 */
	baselines?: Map<string, ExpertBaseline>;
}

export const sheetKey = (userId: string, kind: 'sheet' | 'summary') => `${userId}:${kind}`;

/** The decision in force: the latest version, unless an admin reopened it. */
export function decisionInForce(item: ItemState): DecisionState | null {
	const last = item.decisions.at(-1);
	return last && !last.reopened ? last : null;
}

/**
 * Whether the item waits for a new decision after the meeting closed: its latest decision was
 * reopened (by an admin) and none has replaced it. Only such an item may be decided in a closed
 * meeting (see room/decisions.ts).
 */
export function awaitingRedecision(state: RoomState, item: ItemState): boolean {
	return state.meeting.status === 'closed' && !!item.decisions.at(-1)?.reopened;
}

/** The room's state from the database, or null when there is no such meeting. */
export async function loadRoomState(db: DbOrTx, meetingId: string): Promise<RoomState | null> {
	const [row] = await db
		.select({ meeting: meetings, call: calls })
		.from(meetings)
		.innerJoin(calls, eq(calls.id, meetings.callId))
		.where(eq(meetings.id, meetingId));
	if (!row) return null;
	const { meeting: m, call } = row;
	const meeting: MeetingState = {
		id: m.id,
		title: m.title,
		callId: call.id,
		callCode: call.code,
		callTitle: call.title,
		callTitleEn: call.titleEn,
		startsAt: m.startsAt,
		place: m.place,
		videoLink: m.videoLink,
		status: m.status,
		currentItemId: m.currentItemId,
		startedAt: m.startedAt,
		closedAt: m.closedAt,
		quorum: Number(m.quorum),
		ballotThreshold: Number(m.ballotThreshold),
		minutesDocumentId: m.minutesDocumentId,
		aggregation: call.aggregation,
		discrepancyThreshold: Number(call.discrepancyThreshold),
		discrepancyRule: call.discrepancyRule,
		requiresBallot: call.requiresBallot,
		ceiling: Number(call.ceiling),
		majorCeiling: Number(call.majorCeiling),
		fundingModes: call.fundingModes
	};

	const memberRows = await db
		.select({ userId: meetingMembers.userId, role: meetingMembers.role, name: users.name, color: users.color, expertId: experts.id, institution: experts.institution })
		.from(meetingMembers)
		.innerJoin(users, eq(users.id, meetingMembers.userId))
		.leftJoin(experts, eq(experts.userId, meetingMembers.userId))
		.where(eq(meetingMembers.meetingId, meetingId));
	const ROLE_ORDER: MeetingRole[] = ['chair', 'secretary', 'expert', 'observer'];
	memberRows.sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || a.name.localeCompare(b.name, 'zh-CN'));
	const members = new Map<string, MemberState>(
		memberRows.map((r) => [r.userId, { userId: r.userId, name: r.name, role: r.role, color: r.color, institution: r.institution ?? null, expertId: r.expertId ?? null }])
	);

	const itemRows = await db
		.select({ item: meetingItems, app: applications })
		.from(meetingItems)
		.innerJoin(applications, eq(applications.id, meetingItems.applicationId))
		.where(eq(meetingItems.meetingId, meetingId))
		.orderBy(asc(meetingItems.position));
	const items: ItemState[] = itemRows.map(({ item, app }) => ({
		id: item.id,
		position: item.position,
		applicationId: app.id,
		number: app.number,
		projectTitle: app.title,
		enterpriseName: app.enterpriseName,
		field: app.field,
		requestedAmount: Number(app.requestedAmount),
		fundingMode: app.fundingMode,
		isMajor: app.isMajor,
		timeboxMinutes: item.timeboxMinutes,
		startedAt: item.startedAt,
		round: item.round,
		notesDocumentId: item.notesDocumentId,
		summary: item.summary,
		summaryAt: item.summaryAt,
		rounds: new Map(),
		ballots: [],
		signatures: new Map(),
		decisions: [],
		recused: new Map()
	}));
	const byId = new Map(items.map((i) => [i.id, i]));
	const itemIds = items.map((i) => i.id);

	if (itemIds.length) {
		for (const r of await db.select().from(meetingRounds).where(inArray(meetingRounds.itemId, itemIds))) {
			byId.get(r.itemId)!.rounds.set(r.round, { round: r.round, openedAt: r.openedAt, revealedAt: r.revealedAt, revealedBy: r.revealedBy, sheets: new Map() });
		}
		for (const s of await db.select().from(meetingScores).where(inArray(meetingScores.itemId, itemIds))) {
			const item = byId.get(s.itemId)!;
			let round = item.rounds.get(s.round);
			if (!round) item.rounds.set(s.round, (round = { round: s.round, openedAt: s.submittedAt, revealedAt: null, revealedBy: null, sheets: new Map() }));
			round.sheets.set(s.userId, {
				userId: s.userId,
				scores: s.scores,
				deductions: s.deductions,
				veto: s.veto ?? null,
				total: s.total === null ? null : Number(s.total),
				opinion: s.opinion,
				submittedAt: s.submittedAt
			});
		}
		const ballots = await db.select().from(meetingBallots).where(inArray(meetingBallots.itemId, itemIds)).orderBy(asc(meetingBallots.openedAt));
		const voters = ballots.length
			? await db
					.select()
					.from(meetingBallotVoters)
					.where(
						inArray(
							meetingBallotVoters.ballotId,
							ballots.map((b) => b.id)
						)
					)
			: [];
		for (const b of ballots) {
			byId.get(b.itemId)!.ballots.push({
				id: b.id,
				threshold: Number(b.threshold),
				eligible: b.eligible,
				counts: { fund: b.fund, decline: b.decline, abstain: b.abstain },
				voters: new Set(voters.filter((v) => v.ballotId === b.id).map((v) => v.userId)),
				openedAt: b.openedAt,
				closedAt: b.closedAt
			});
		}
		for (const s of await db.select().from(meetingSignatures).where(inArray(meetingSignatures.itemId, itemIds))) {
			byId.get(s.itemId)!.signatures.set(sheetKey(s.userId, s.kind), { userId: s.userId, kind: s.kind, round: s.round, dissent: s.dissent, signedAt: s.signedAt });
		}
		// Who reopened is often an admin who is not a member: their name comes with the row.
		const decisions = await db
			.select({ d: meetingDecisions, r: meetingDecisionReopens, reopenerName: users.name })
			.from(meetingDecisions)
			.leftJoin(meetingDecisionReopens, eq(meetingDecisionReopens.decisionId, meetingDecisions.id))
			.leftJoin(users, eq(users.id, meetingDecisionReopens.reopenedBy))
			.where(inArray(meetingDecisions.itemId, itemIds))
			.orderBy(asc(meetingDecisions.version));
		for (const { d, r, reopenerName } of decisions) {
			byId.get(d.itemId)!.decisions.push({
				id: d.id,
				version: d.version,
				outcome: d.outcome,
				amount: d.amount === null ? null : Number(d.amount),
				fundingMode: d.fundingMode,
				rationale: d.rationale,
				lockedBy: d.lockedBy,
				lockedAt: d.lockedAt,
				sha256: d.sha256,
				auditAnchor: d.auditAnchor,
				basis: d.basis,
				reopened: r ? { reason: r.reason, by: r.reopenedBy, byName: reopenerName ?? '', at: r.reopenedAt } : null
			});
		}
	}

	const state: RoomState = { meeting, members, items, rubric: null, scoring: null };
	await refreshRecusals(db, state);
	const rubrics = await loadRubrics(db, meeting.callId);
	// The panel scores on the technical form; the finance gate is the individual reviews' job.
	state.rubric = rubrics.find((r) => r.form === 'technical') ?? rubrics[0] ?? null;
	state.scoring = state.rubric ? toScoring(state.rubric) : null;
	const results = await callResults(db, call);
	state.baselines = new Map();
	for (const member of members.values()) {
		const b = member.expertId ? results.experts.get(member.expertId) : undefined;
		if (b && b.form === 'technical') state.baselines.set(member.userId, b);
	}
	return state;
}

/**
 * Who is recused from which item: the established recusals and any conflict found since (which
 * is established now, unless the meeting is closed). Nothing here ever un-recuses: only a
 * lifted recusal whose conflict is gone does.
 */
export async function refreshRecusals(db: DbOrTx, state: RoomState): Promise<void> {
	if (state.meeting.status !== 'closed') await establishRecusals(db, state.meeting.id);
	const byApp = await recusalsOf(db, state.meeting.id);
	for (const item of state.items) {
		item.recused = new Map();
		for (const [userId, reason] of byApp.get(item.applicationId) ?? []) if (state.members.has(userId)) item.recused.set(userId, reason);
	}
}
