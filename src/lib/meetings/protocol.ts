// The meeting room's Socket.IO protocol, shared by the server (src/lib/server/meetings/) and
// the room page. Every client event is validated with these schemas on the server; every
// event carries an acknowledgement callback that receives an Ack.
//
// The server sends one event, `meeting:state`, with the whole room as the receiving person
// may see it (MeetingView). It is rebuilt for each person from the server's state after every
// change, so what a person receives is decided in one place (src/lib/server/meetings/view.ts):
// score values only after a reveal, ballot counts only after the ballot closes, and nothing
// at all of an item the person is recused from.
import { z } from 'zod';
import { FUNDING_MODES } from '$lib/values';

// In the browser zod must not probe for eval (new Function): the CSP forbids it, and the
// probe alone is reported as a violation. The server keeps zod's faster compiled parsers.
if (typeof window !== 'undefined') z.config({ jitless: true });

export const MEETING_ROLES = ['chair', 'secretary', 'expert', 'observer'] as const;
export type MeetingRole = (typeof MEETING_ROLES)[number];
export const OUTCOMES = ['fund', 'decline', 'defer'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const BALLOT_CHOICES = ['fund', 'decline', 'abstain'] as const;
export type BallotChoice = (typeof BALLOT_CHOICES)[number];
export { FUNDING_MODES };

/** Chair and expert members score and vote; the secretary and observers do neither. */
export function votes(role: MeetingRole | null): boolean {
	return role === 'chair' || role === 'expert';
}

// ---- client → server -------------------------------------------------------------------

const id = z.uuid();
const meeting = { meetingId: id };
const item = { meetingId: id, itemId: id };
const score = z.number().finite().min(0).max(100);

export const clientEvents = {
	'meeting:join': z.object(meeting),
	'meeting:leave': z.object(meeting),
	/** Which item this tab is looking at (null: the agenda overview). */
	'meeting:view': z.object({ meetingId: id, itemId: id.nullable() }),
	/** The tab was hidden or shown again. */
	'meeting:away': z.object({ meetingId: id, away: z.boolean() }),
	'meeting:start': z.object(meeting),
	'meeting:goto': z.object(item),
	'meeting:close': z.object(meeting),
	'score:submit': z.object({
		...item,
		round: z.number().int().min(1),
		scores: z.record(z.string().max(64), score),
		deductions: z.record(z.string().max(64), score).default({}),
		veto: z.object({ ruleId: z.string().max(64), reason: z.string().trim().max(2000) }).nullable().default(null),
		opinion: z.string().trim().max(5000).default('')
	}),
	'round:reveal': z.object(item),
	'round:new': z.object(item),
	'ballot:open': z.object(item),
	'ballot:vote': z.object({ ...item, ballotId: id, choice: z.enum(BALLOT_CHOICES) }),
	'ballot:close': z.object({ ...item, ballotId: id }),
	'sheet:sign': z.object(item),
	'summary:set': z.object({ ...item, summary: z.string().trim().min(1).max(5000) }),
	'summary:confirm': z.object({ ...item, dissent: z.string().trim().max(5000).default('') }),
	'decision:lock': z.object({
		...item,
		outcome: z.enum(OUTCOMES),
		amount: z.number().finite().positive().max(1_000_000).nullable().default(null),
		fundingMode: z.enum(FUNDING_MODES).nullable().default(null),
		rationale: z.string().trim().min(1).max(5000)
	}),
	'decision:reopen': z.object({ ...item, reason: z.string().trim().min(5).max(2000) })
} as const;

export type ClientEventName = keyof typeof clientEvents;
/** What a client sends with the event (defaults may be left out). */
export type ClientEvent<K extends ClientEventName> = z.input<(typeof clientEvents)[K]>;
/** The event as the server handles it: validated, defaults filled in. */
export type ClientPayload<K extends ClientEventName> = z.output<(typeof clientEvents)[K]>;
/** Each event's schema, typed by its name: the server parses `K` into `ClientPayload<K>`. */
export const clientEventSchemas: { readonly [K in ClientEventName]: z.ZodType<ClientPayload<K>, ClientEvent<K>> } = clientEvents;
/** Every client event's name (Object.keys cannot know that the keys are exactly these). */
export const clientEventNames = Object.keys(clientEvents) as ClientEventName[];

/** Why an event was refused; the message is in the socket's language. */
export type ErrorCode =
	| 'invalid'
	| 'unknownEvent'
	| 'rateLimited'
	| 'notFound'
	| 'notMember'
	| 'forbidden'
	| 'recused'
	| 'notOpen'
	| 'notCurrent'
	| 'alreadyRevealed'
	| 'notRevealed'
	| 'noSubmissions'
	| 'ballotOpen'
	| 'ballotNotCarried'
	| 'amountRequired'
	| 'amountNotAllowed'
	| 'noSummary'
	| 'noSheet'
	| 'noRubric'
	| 'alreadyStarted'
	| 'emptyAgenda'
	| 'staleRound'
	| 'noQuorum'
	| 'ballotClosed'
	| 'alreadyVoted'
	| 'ballotRequired'
	| 'locked'
	| 'notLocked'
	| 'overCeiling'
	| 'modeRequired'
	| 'incomplete'
	| 'closed'
	/** The database is unavailable: nothing was saved; saving resumes by itself. */
	| 'unavailable'
	| 'server';

export type Ack<T = undefined> = ({ ok: true } & (T extends undefined ? object : { data: T })) | { ok: false; error: ErrorCode; message: string; fields?: Record<string, string> };

/** What the acknowledgement of each event carries when it succeeds: joining gets the whole view. */
export interface AckData {
	'meeting:join': MeetingView;
}
export type AckOf<K extends ClientEventName> = Ack<K extends keyof AckData ? AckData[K] : undefined>;

/**
 * The events a client sends, each with its payload and acknowledgement (Socket.IO's
 * `Socket<ServerEvents, ClientEvents>` on the client, the handlers' types on the server).
 */
export type ClientEvents = { [K in ClientEventName]: (payload: ClientEvent<K>, ack: (ack: AckOf<K>) => void) => void };

/** The events the server sends to a room's sockets. */
export interface ServerEvents {
	/** The whole room as the receiving person may see it (on joining, and when the agenda's shape changed). */
	'meeting:state': (view: MeetingView) => void;
	/** What changed in the person's view since the last state or patch. */
	'meeting:patch': (patch: MeetingPatch) => void;
	/** Saving paused or resumed (sent by the realtime core). */
	'server:status': (status: ServerStatus) => void;
}

// ---- server → client -------------------------------------------------------------------

/** Sent to every socket when saving pauses (the database is unavailable) and resumes. */
export interface ServerStatus {
	saving: 'ok' | 'paused';
}

export type Presence = 'present' | 'away' | 'dropped' | 'absent';

export interface MemberView {
	userId: string;
	name: string;
	role: MeetingRole;
	color: string;
	institution: string | null;
	presence: Presence;
	/** The item this person is looking at; null when on the overview or when it is hidden from you. */
	viewingItemId: string | null;
	/** Open tabs. */
	tabs: number;
	/**
	 * Someone watching who is not a member (an admin): listed while connected, so the panel
	 * always sees who is in the room. Never counts towards quorum, never scores or votes.
	 */
	guest?: boolean;
}

export interface RubricView {
	groups: { key: string; name: string; nameEn: string; items: { id: string; key: string; name: string; nameEn: string; weight: number; guidance: string }[] }[];
	deductions: { id: string; name: string; nameEn: string; maxPoints: number | null }[];
	vetoes: { id: string; name: string; nameEn: string }[];
}

export interface SheetView {
	userId: string;
	name: string;
	scores: Record<string, number>;
	deductions: Record<string, number>;
	veto: { ruleId: string; reason: string } | null;
	total: number | null;
	opinion: string;
	submittedAt: string;
}

export interface Spread {
	mean: number | null;
	median: number | null;
	stdev: number | null;
	min: number | null;
	max: number | null;
	range: number | null;
	/** The range passes the call's discrepancy rule ($lib/scoring/flags). */
	discrepancy: boolean;
	/** The column's full marks and the largest range not flagged, in its points. */
	fullMarks?: number;
	limit?: number;
}

/** A member's z in a revealed round, against their own written reviews in the call. */
export interface MemberZ {
	userId: string;
	z: number | null;
	robustZ: number | null;
	/** Why there is none: no written reviews, a single one, or no spread. */
	reason: 'noReviews' | 'oneSheet' | 'noSpread' | null;
}

export interface RoundStats {
	/** The call's aggregate of the totals (mean or trimmed mean); vetoed sheets are left out. */
	aggregate: number | null;
	aggregation: 'mean' | 'trimmedMean';
	total: Spread;
	/** Per rubric item id, on the 0–100 item scale. */
	items: Record<string, Spread>;
	vetoes: number;
	threshold: number;
	/** The call's rule: threshold as percent of a column's full marks (relative) or points. */
	rule?: { mode: 'relative' | 'absolute'; threshold: number };
	/** Per rubric group key, on the group's points (its weight is its full marks). */
	groups?: Record<string, Spread>;
	/** Calibration of the members' totals this round (mean of their z), when computed. */
	calibration?: { members: MemberZ[]; z: number | null; robustZ: number | null };
}

export interface RoundView {
	round: number;
	/** Voting members not recused from the item. */
	eligible: number;
	submitted: number;
	/** Who has submitted (never what). */
	submittedUserIds: string[];
	revealed: boolean;
	revealedAt: string | null;
	/** Your own sheet in this round, if you submitted one. */
	mine: SheetView | null;
	/** Everyone's sheets and the statistics, once revealed. */
	sheets: SheetView[] | null;
	stats: RoundStats | null;
}

export interface BallotView {
	id: string;
	open: boolean;
	threshold: number;
	eligible: number;
	votedUserIds: string[];
	iVoted: boolean;
	/** Only once the ballot is closed: the counts, never who voted what. */
	counts: { fund: number; decline: number; abstain: number } | null;
	carried: boolean | null;
}

export interface SignatureView {
	userId: string;
	kind: 'sheet' | 'summary';
	round: number | null;
	dissent: string;
	signedAt: string;
}

export interface DecisionView {
	id: string;
	version: number;
	outcome: Outcome;
	amount: number | null;
	fundingMode: (typeof FUNDING_MODES)[number] | null;
	rationale: string;
	lockedBy: string;
	lockedByName: string;
	lockedAt: string;
	sha256: string;
	/** The audit chain head at the lock: `#seq seal`. */
	auditAnchor: string | null;
	reopened: { reason: string; by: string; byName: string; at: string } | null;
}

export interface QuorumView {
	/** Voting members not recused from the item. */
	eligible: number;
	present: number;
	required: number;
	met: boolean;
}

/** An agenda item you are recused from: where it is in the agenda, and nothing else. */
export interface RecusedItemView {
	id: string;
	position: number;
	recused: true;
}

export interface ItemView {
	id: string;
	position: number;
	recused: false;
	applicationId: string;
	number: string;
	projectTitle: string;
	enterpriseName: string;
	field: string;
	requestedAmount: number;
	fundingMode: string;
	/** A major project (重大项目): the call's higher ceiling applies. */
	isMajor: boolean;
	/** The most the decision may grant, in 10k yuan (万元). */
	ceiling: number;
	timeboxMinutes: number;
	startedAt: string | null;
	round: number;
	notesDocumentId: string | null;
	summary: string;
	summaryAt: string | null;
	rounds: RoundView[];
	ballot: BallotView | null;
	/** Earlier ballots of this item (closed). */
	pastBallots: BallotView[];
	signatures: SignatureView[];
	/** The decision in force (the latest version not reopened), if any. */
	decision: DecisionView | null;
	/** Every version, newest first, reopened ones included. */
	decisions: DecisionView[];
	/**
	 * The meeting has closed and this item's decision was reopened: the chair decides it again
	 * in the closed room (the only thing a closed room still does).
	 */
	awaitingDecision: boolean;
	/** Members who must step out for this item (conflicted). */
	recusedUserIds: string[];
	quorum: QuorumView;
}

export type AgendaItemView = ItemView | RecusedItemView;

export interface MeetingView {
	/** Increases with every change the server makes to the room. */
	seq: number;
	serverTime: string;
	meeting: {
		id: string;
		title: string;
		callId: string;
		callCode: string;
		callTitle: string;
		callTitleEn: string;
		startsAt: string;
		place: string;
		videoLink: string;
		status: 'scheduled' | 'open' | 'closed';
		currentItemId: string | null;
		startedAt: string | null;
		closedAt: string | null;
		quorum: number;
		ballotThreshold: number;
		minutesDocumentId: string | null;
		aggregation: 'mean' | 'trimmedMean';
		discrepancyThreshold: number;
		discrepancyRule?: 'relative' | 'absolute';
		requiresBallot: boolean;
		ceiling: number;
		majorCeiling: number;
		fundingModes: string[];
	};
	me: {
		userId: string;
		/** Null for an admin who is not a member (may watch and reopen). */
		role: MeetingRole | null;
		votes: boolean;
		isChair: boolean;
		isSecretary: boolean;
		isAdmin: boolean;
	};
	members: MemberView[];
	rubric: RubricView;
	items: AgendaItemView[];
}

/**
 * What changed since the last state or patch the socket received (`meeting:patch`): the parts
 * present replace the client's; items list only the items that changed, with only their rounds
 * that changed (a revealed round never changes again). A change to the agenda's shape (items
 * added, removed, reordered, a recusal) comes as a whole `meeting:state` instead.
 */
export interface MeetingPatch {
	seq: number;
	serverTime: string;
	meeting?: MeetingView['meeting'];
	me?: MeetingView['me'];
	members?: MemberView[];
	items?: ItemPatch[];
}

export interface ItemPatch {
	id: string;
	/** The item without its rounds, when that changed. */
	header?: Omit<ItemView, 'rounds'>;
	/** Rounds that are new or changed, whole. */
	rounds?: RoundView[];
	/** How many rounds the item has now. */
	roundCount: number;
}

/**
 * The view after a patch, or null when the patch does not follow the view (a state was
 * missed): the client then joins again and gets the whole state.
 */
export function applyPatch(view: MeetingView, patch: MeetingPatch): MeetingView | null {
	if (patch.seq !== view.seq + 1) return null;
	const next: MeetingView = { ...view, seq: patch.seq, serverTime: patch.serverTime };
	if (patch.meeting) next.meeting = patch.meeting;
	if (patch.me) next.me = patch.me;
	if (patch.members) next.members = patch.members;
	if (patch.items?.length) {
		const byId = new Map(patch.items.map((p) => [p.id, p]));
		next.items = view.items.map((item) => {
			const p = byId.get(item.id);
			if (!p || item.recused) return item;
			const base: ItemView = p.header ? { ...p.header, rounds: item.rounds } : { ...item };
			const rounds = base.rounds.slice(0, p.roundCount);
			for (const r of p.rounds ?? []) {
				const at = rounds.findIndex((x) => x.round === r.round);
				if (at >= 0) rounds[at] = r;
				else rounds.push(r);
			}
			rounds.sort((a, b) => a.round - b.round);
			return { ...base, rounds };
		});
	}
	return next;
}
