// A live meeting room: its state (loaded from the database), who is here, and every action
// members take. Actions run one at a time per meeting, each writes to the database first and
// changes the in-memory state only after its transaction committed, and only then are people
// told (the caller broadcasts). A room that fails to load is never served.
import { createHash } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import {
	applications,
	meetingAttendance,
	meetingBallots,
	meetingBallotVoters,
	meetingDecisionReopens,
	meetingDecisions,
	meetingItems,
	meetingRounds,
	meetingScores,
	meetingSignatures,
	meetings
} from '$db/schema';
import type { Db } from '../db';
import { audit, type AuditActor } from '../audit';
import { anchorNow, recordAnchor } from '../audit/anchors';
import { transition, type ApplicationStatus } from '../applications/status';
import { canonicalJSON } from '../documents/content';
import { scoreSheet, sheetProblems, type SheetProblem } from '$lib/rubric';
import { votes, type BallotChoice, type ClientEvent, type ErrorCode, type Presence } from '$lib/meetings/protocol';
import { decisionInForce, loadRoomState, refreshRecusals, sheetKey, type ItemState, type RoomState } from './state';
import { eligibleVoters, quorumOf, type LivePresence } from './view';
import { carried } from './stats';
import { createNotes, draftMinutes } from './documents';

export class RoomError extends Error {
	constructor(
		readonly code: ErrorCode,
		readonly params: Record<string, string | number> = {}
	) {
		super(code);
	}
}

export interface Actor {
	userId: string;
	name: string;
	isAdmin: boolean;
	ip?: string | null;
}

interface Tab {
	viewing: string | null;
	away: boolean;
	at: number;
}

export class MeetingRoom implements LivePresence {
	/** userId → socket id → tab. */
	private readonly tabsByUser = new Map<string, Map<string, Tab>>();
	/** Members who were here and dropped without leaving. */
	private readonly dropped = new Set<string>();
	private queue: Promise<unknown> = Promise.resolve();

	constructor(
		private readonly db: () => Db,
		readonly state: RoomState
	) {}

	static async load(db: () => Db, meetingId: string): Promise<MeetingRoom | null> {
		const state = await loadRoomState(db(), meetingId);
		return state ? new MeetingRoom(db, state) : null;
	}

	get id(): string {
		return this.state.meeting.id;
	}

	/** Runs actions of this meeting one after another, so memory follows the database's order. */
	exclusive<T>(fn: () => Promise<T>): Promise<T> {
		const run = this.queue.then(fn, fn);
		this.queue = run.catch(() => undefined);
		return run;
	}

	// ---- presence --------------------------------------------------------------------------

	presence(userId: string): Presence {
		const tabs = this.tabsByUser.get(userId);
		if (tabs && tabs.size) return [...tabs.values()].some((t) => !t.away) ? 'present' : 'away';
		return this.dropped.has(userId) ? 'dropped' : 'absent';
	}

	viewing(userId: string): string | null {
		const tabs = this.tabsByUser.get(userId);
		if (!tabs || tabs.size === 0) return null;
		let best: Tab | null = null;
		for (const t of tabs.values()) if (!best || (!t.away && best.away) || (t.away === best.away && t.at > best.at)) best = t;
		return best!.viewing;
	}

	tabs(userId: string): number {
		return this.tabsByUser.get(userId)?.size ?? 0;
	}

	/** Sockets in the room right now. */
	get connections(): number {
		let n = 0;
		for (const t of this.tabsByUser.values()) n += t.size;
		return n;
	}

	/** Non-members in the room now (admins watching), with what to show of them. */
	private readonly guestNames = new Map<string, { name: string; color: string }>();

	guests(): { userId: string; name: string; color: string }[] {
		return [...this.guestNames].filter(([id]) => this.tabs(id) > 0 && !this.state.members.has(id)).map(([userId, g]) => ({ userId, ...g }));
	}

	join(userId: string, socketId: string, guest?: { name: string; color: string }): void {
		if (guest) this.guestNames.set(userId, guest);
		let tabs = this.tabsByUser.get(userId);
		if (!tabs) this.tabsByUser.set(userId, (tabs = new Map()));
		tabs.set(socketId, tabs.get(socketId) ?? { viewing: this.state.meeting.currentItemId, away: false, at: Date.now() });
		this.dropped.delete(userId);
	}

	/** A tab left: on purpose (leave) or because its connection dropped. */
	part(userId: string, socketId: string, dropped: boolean): boolean {
		const tabs = this.tabsByUser.get(userId);
		if (!tabs?.delete(socketId)) return false;
		if (tabs.size === 0) {
			this.tabsByUser.delete(userId);
			if (dropped) this.dropped.add(userId);
		}
		return true;
	}

	setTab(userId: string, socketId: string, change: Partial<Pick<Tab, 'viewing' | 'away'>>): boolean {
		const tab = this.tabsByUser.get(userId)?.get(socketId);
		if (!tab) return false;
		if (change.viewing !== undefined) {
			if (change.viewing !== null && !this.state.items.some((i) => i.id === change.viewing)) throw new RoomError('notFound');
			tab.viewing = change.viewing;
		}
		if (change.away !== undefined) tab.away = change.away;
		tab.at = Date.now();
		return true;
	}

	hasTab(userId: string, socketId: string): boolean {
		return this.tabsByUser.get(userId)?.has(socketId) ?? false;
	}

	/** Records that a member attended (for the minutes); once per member, refreshed on rejoin. */
	async recordAttendance(userId: string): Promise<void> {
		if (this.state.meeting.status !== 'open' || !this.state.members.has(userId)) return;
		await this.db()
			.insert(meetingAttendance)
			.values({ meetingId: this.id, userId })
			.onConflictDoUpdate({ target: [meetingAttendance.meetingId, meetingAttendance.userId], set: { lastSeenAt: sql`now()` } });
	}

	// ---- guards ----------------------------------------------------------------------------

	private role(actor: Actor) {
		return this.state.members.get(actor.userId)?.role ?? null;
	}

	private requireChair(actor: Actor): void {
		if (this.role(actor) !== 'chair') throw new RoomError('forbidden');
	}

	private requireOpen(): void {
		if (this.state.meeting.status === 'closed') throw new RoomError('closed');
		if (this.state.meeting.status !== 'open') throw new RoomError('notOpen');
	}

	private item(itemId: string): ItemState {
		const item = this.state.items.find((i) => i.id === itemId);
		if (!item) throw new RoomError('notFound');
		return item;
	}

	/** The item, which must be the current one, and which the actor must not be recused from. */
	private currentItem(actor: Actor, itemId: string): ItemState {
		this.requireOpen();
		const item = this.item(itemId);
		if (item.recused.has(actor.userId)) throw new RoomError('recused');
		if (this.state.meeting.currentItemId !== item.id) throw new RoomError('notCurrent');
		return item;
	}

	private requireQuorum(item: ItemState): void {
		const q = quorumOf(this.state, item, this);
		if (!q.met) throw new RoomError('noQuorum', { present: q.present, required: q.required });
	}

	private auditActor(actor: Actor): AuditActor {
		return { id: actor.userId, name: actor.name, ip: actor.ip ?? null };
	}

	// ---- the tracker -----------------------------------------------------------------------

	async start(actor: Actor): Promise<void> {
		this.requireChair(actor);
		if (this.state.meeting.status === 'closed') throw new RoomError('closed');
		if (this.state.meeting.status === 'open') throw new RoomError('alreadyStarted');
		// The schedule may have changed a moment ago: start from what the database holds.
		const fresh = await loadRoomState(this.db(), this.id);
		if (!fresh) throw new RoomError('notFound');
		Object.assign(this.state, fresh);
		const first = this.state.items[0];
		if (!first) throw new RoomError('emptyAgenda');
		const now = new Date();
		const notes = await this.db().transaction(async (tx) => {
			const changed = await tx
				.update(meetings)
				.set({ status: 'open', startedAt: now, currentItemId: first.id, updatedAt: now })
				.where(and(eq(meetings.id, this.id), eq(meetings.status, 'scheduled')))
				.returning({ id: meetings.id });
			if (changed.length === 0) throw new RoomError('alreadyStarted');
			const notes = await createNotes(tx, this.state, actor.userId);
			await this.beginItem(tx, first, now);
			await audit(tx, this.auditActor(actor), 'meeting.started', { type: 'meeting', id: this.id }, { title: this.state.meeting.title });
			return notes;
		});
		for (const item of this.state.items) item.notesDocumentId = notes.get(item.id) ?? item.notesDocumentId;
		Object.assign(this.state.meeting, { status: 'open', startedAt: now, currentItemId: first.id });
		this.markBegun(first, now);
		for (const userId of this.tabsByUser.keys()) await this.recordAttendance(userId);
	}

	/** The first time the room comes to an item: its time box starts and round 1 opens. */
	private async beginItem(tx: Parameters<Parameters<Db['transaction']>[0]>[0], item: ItemState, now: Date): Promise<void> {
		if (item.startedAt) return;
		await tx.update(meetingItems).set({ startedAt: now }).where(and(eq(meetingItems.id, item.id), isNull(meetingItems.startedAt)));
		await tx.insert(meetingRounds).values({ itemId: item.id, round: item.round, openedAt: now }).onConflictDoNothing();
	}

	private markBegun(item: ItemState, now: Date): void {
		if (item.startedAt) return;
		item.startedAt = now;
		if (!item.rounds.has(item.round)) item.rounds.set(item.round, { round: item.round, openedAt: now, revealedAt: null, revealedBy: null, sheets: new Map() });
	}

	async goto(actor: Actor, itemId: string): Promise<void> {
		this.requireChair(actor);
		this.requireOpen();
		const item = this.item(itemId);
		if (this.state.meeting.currentItemId === item.id) return;
		const now = new Date();
		await this.db().transaction(async (tx) => {
			await tx.update(meetings).set({ currentItemId: item.id, updatedAt: now }).where(eq(meetings.id, this.id));
			await this.beginItem(tx, item, now);
		});
		this.state.meeting.currentItemId = item.id;
		this.markBegun(item, now);
		// Conflicts declared since the room loaded take effect as the room reaches the item.
		await refreshRecusals(this.db(), this.state);
	}

	async close(actor: Actor): Promise<void> {
		this.requireChair(actor);
		this.requireOpen();
		const now = new Date();
		const minutesId = await this.db().transaction(async (tx) => {
			const changed = await tx
				.update(meetings)
				.set({ status: 'closed', closedAt: now, currentItemId: null, updatedAt: now })
				.where(and(eq(meetings.id, this.id), eq(meetings.status, 'open')))
				.returning({ id: meetings.id });
			if (changed.length === 0) throw new RoomError('notOpen');
			const id = await draftMinutes(tx, this.state, actor.userId, now);
			await tx.update(meetings).set({ minutesDocumentId: id }).where(eq(meetings.id, this.id));
			await audit(tx, this.auditActor(actor), 'meeting.closed', { type: 'meeting', id: this.id }, { minutesDocumentId: id });
			return id;
		});
		Object.assign(this.state.meeting, { status: 'closed', closedAt: now, currentItemId: null, minutesDocumentId: minutesId });
	}

	// ---- scoring rounds --------------------------------------------------------------------

	async submitScores(actor: Actor, input: ClientEvent<'score:submit'>): Promise<{ revealed: boolean }> {
		const item = this.currentItem(actor, input.itemId);
		if (!votes(this.role(actor))) throw new RoomError('forbidden');
		if (decisionInForce(item)) throw new RoomError('locked');
		const rubric = this.state.scoring;
		if (!rubric) throw new RoomError('noRubric');
		if (input.round !== item.round) throw new RoomError('staleRound');
		const round = item.rounds.get(item.round);
		if (!round) throw new RoomError('notCurrent');
		if (round.revealedAt) throw new RoomError('alreadyRevealed');
		const sheet = { scores: input.scores, deductions: input.deductions ?? {}, veto: input.veto ?? null };
		// A vetoed sheet carries its reason instead of scores.
		if (sheet.veto) sheet.scores = {};
		const problems = sheetProblems(rubric, sheet, true);
		if (problems.length) throw new RoomError('incomplete', { detail: problemKey(problems) });
		const { total } = scoreSheet(rubric, sheet);
		const values = {
			itemId: item.id,
			round: item.round,
			userId: actor.userId,
			scores: sheet.scores,
			deductions: sheet.deductions,
			veto: sheet.veto,
			total: total === null ? null : total.toFixed(2),
			opinion: input.opinion ?? ''
		};
		const [row] = await this.db()
			.insert(meetingScores)
			.values(values)
			.onConflictDoUpdate({
				target: [meetingScores.itemId, meetingScores.round, meetingScores.userId],
				set: { scores: values.scores, deductions: values.deductions, veto: values.veto, total: values.total, opinion: values.opinion, submittedAt: sql`now()` }
			})
			.returning({ submittedAt: meetingScores.submittedAt });
		round.sheets.set(actor.userId, { userId: actor.userId, scores: sheet.scores, deductions: sheet.deductions, veto: sheet.veto, total, opinion: values.opinion, submittedAt: row.submittedAt });
		// Everyone here has submitted: the round opens by itself.
		const present = eligibleVoters(this.state, item).filter((u) => this.presence(u) === 'present' || this.presence(u) === 'away');
		if (present.length > 0 && present.every((u) => round.sheets.has(u))) {
			await this.markRevealed(item, null);
			return { revealed: true };
		}
		return { revealed: false };
	}

	async reveal(actor: Actor, itemId: string): Promise<void> {
		this.requireChair(actor);
		const item = this.currentItem(actor, itemId);
		const round = item.rounds.get(item.round);
		if (!round) throw new RoomError('notCurrent');
		if (round.revealedAt) throw new RoomError('alreadyRevealed');
		if (round.sheets.size === 0) throw new RoomError('noSubmissions');
		await this.markRevealed(item, actor);
	}

	private async markRevealed(item: ItemState, actor: Actor | null): Promise<void> {
		const round = item.rounds.get(item.round)!;
		const now = new Date();
		await this.db().transaction(async (tx) => {
			await tx
				.update(meetingRounds)
				.set({ revealedAt: now, revealedBy: actor?.userId ?? null })
				.where(and(eq(meetingRounds.itemId, item.id), eq(meetingRounds.round, item.round)));
			await audit(tx, actor ? this.auditActor(actor) : null, 'meeting.round_revealed', { type: 'meeting_item', id: item.id }, { round: item.round, submitted: round.sheets.size, auto: !actor });
		});
		round.revealedAt = now;
		round.revealedBy = actor?.userId ?? null;
	}

	async newRound(actor: Actor, itemId: string): Promise<void> {
		this.requireChair(actor);
		const item = this.currentItem(actor, itemId);
		if (decisionInForce(item)) throw new RoomError('locked');
		const round = item.rounds.get(item.round);
		if (!round?.revealedAt) throw new RoomError('notRevealed');
		const next = item.round + 1;
		const now = new Date();
		await this.db().transaction(async (tx) => {
			await tx.update(meetingItems).set({ round: next }).where(eq(meetingItems.id, item.id));
			await tx.insert(meetingRounds).values({ itemId: item.id, round: next, openedAt: now });
			await audit(tx, this.auditActor(actor), 'meeting.round_opened', { type: 'meeting_item', id: item.id }, { round: next });
		});
		item.round = next;
		item.rounds.set(next, { round: next, openedAt: now, revealedAt: null, revealedBy: null, sheets: new Map() });
	}

	// ---- secret ballot ---------------------------------------------------------------------

	async openBallot(actor: Actor, itemId: string): Promise<void> {
		this.requireChair(actor);
		const item = this.currentItem(actor, itemId);
		if (decisionInForce(item)) throw new RoomError('locked');
		if (item.ballots.some((b) => !b.closedAt)) throw new RoomError('ballotOpen');
		this.requireQuorum(item);
		const eligible = quorumOf(this.state, item, this).present;
		const threshold = this.state.meeting.ballotThreshold;
		const [row] = await this.db().transaction(async (tx) => {
			const rows = await tx.insert(meetingBallots).values({ itemId: item.id, threshold: threshold.toFixed(3), eligible, openedBy: actor.userId }).returning();
			await audit(tx, this.auditActor(actor), 'meeting.ballot_opened', { type: 'meeting_item', id: item.id }, { ballotId: rows[0].id, eligible });
			return rows;
		});
		item.ballots.push({ id: row.id, threshold, eligible, counts: { fund: 0, decline: 0, abstain: 0 }, voters: new Set(), openedAt: row.openedAt, closedAt: null });
	}

	async vote(actor: Actor, input: ClientEvent<'ballot:vote'>): Promise<void> {
		const item = this.currentItem(actor, input.itemId);
		if (!votes(this.role(actor))) throw new RoomError('forbidden');
		const ballot = item.ballots.find((b) => b.id === input.ballotId);
		if (!ballot) throw new RoomError('notFound');
		if (ballot.closedAt) throw new RoomError('ballotClosed');
		if (ballot.voters.has(actor.userId)) throw new RoomError('alreadyVoted');
		const choice: BallotChoice = input.choice;
		await this.db().transaction(async (tx) => {
			// Who voted and the tally change together; nothing links the two.
			const inserted = await tx.insert(meetingBallotVoters).values({ ballotId: ballot.id, userId: actor.userId }).onConflictDoNothing().returning({ userId: meetingBallotVoters.userId });
			if (inserted.length === 0) throw new RoomError('alreadyVoted');
			const column = meetingBallots[choice];
			await tx
				.update(meetingBallots)
				.set({ [choice]: sql`${column} + 1` })
				.where(eq(meetingBallots.id, ballot.id));
		});
		ballot.voters.add(actor.userId);
		ballot.counts[choice] += 1;
		if (ballot.voters.size >= ballot.eligible) await this.markBallotClosed(item, ballot.id, null);
	}

	async closeBallot(actor: Actor, itemId: string, ballotId: string): Promise<void> {
		this.requireChair(actor);
		const item = this.currentItem(actor, itemId);
		const ballot = item.ballots.find((b) => b.id === ballotId);
		if (!ballot) throw new RoomError('notFound');
		if (ballot.closedAt) throw new RoomError('ballotClosed');
		await this.markBallotClosed(item, ballotId, actor);
	}

	private async markBallotClosed(item: ItemState, ballotId: string, actor: Actor | null): Promise<void> {
		const ballot = item.ballots.find((b) => b.id === ballotId)!;
		const now = new Date();
		await this.db().transaction(async (tx) => {
			await tx.update(meetingBallots).set({ closedAt: now }).where(eq(meetingBallots.id, ballotId));
			await audit(tx, actor ? this.auditActor(actor) : null, 'meeting.ballot_closed', { type: 'meeting_item', id: item.id }, {
				ballotId,
				...ballot.counts,
				carried: carried(ballot.counts, ballot.threshold)
			});
		});
		ballot.closedAt = now;
	}

	// ---- signatures and summary ------------------------------------------------------------

	async signSheet(actor: Actor, itemId: string): Promise<void> {
		this.requireOpen();
		const item = this.item(itemId);
		if (item.recused.has(actor.userId)) throw new RoomError('recused');
		if (!votes(this.role(actor))) throw new RoomError('forbidden');
		// The final sheet: the member's sheet in the latest revealed round.
		const rounds = [...item.rounds.values()].filter((r) => r.revealedAt && r.sheets.has(actor.userId)).sort((a, b) => b.round - a.round);
		const round = rounds[0];
		if (!round) throw new RoomError('noSheet');
		await this.sign(actor, item, 'sheet', round.round, '');
	}

	async setSummary(actor: Actor, itemId: string, summary: string): Promise<void> {
		this.requireChair(actor);
		const item = this.currentItem(actor, itemId);
		if (decisionInForce(item)) throw new RoomError('locked');
		const now = new Date();
		await this.db().transaction(async (tx) => {
			await tx.update(meetingItems).set({ summary, summaryAt: now }).where(eq(meetingItems.id, item.id));
			await audit(tx, this.auditActor(actor), 'meeting.summary_set', { type: 'meeting_item', id: item.id }, { length: summary.length });
		});
		item.summary = summary;
		item.summaryAt = now;
	}

	async confirmSummary(actor: Actor, itemId: string, dissent: string): Promise<void> {
		this.requireOpen();
		const item = this.item(itemId);
		if (item.recused.has(actor.userId)) throw new RoomError('recused');
		if (!votes(this.role(actor))) throw new RoomError('forbidden');
		if (!item.summaryAt) throw new RoomError('noSummary');
		await this.sign(actor, item, 'summary', null, dissent);
	}

	private async sign(actor: Actor, item: ItemState, kind: 'sheet' | 'summary', round: number | null, dissent: string): Promise<void> {
		const [row] = await this.db().transaction(async (tx) => {
			const rows = await tx
				.insert(meetingSignatures)
				.values({ itemId: item.id, userId: actor.userId, kind, round, dissent })
				.onConflictDoUpdate({ target: [meetingSignatures.itemId, meetingSignatures.userId, meetingSignatures.kind], set: { round, dissent, signedAt: sql`now()` } })
				.returning();
			await audit(tx, this.auditActor(actor), kind === 'sheet' ? 'meeting.sheet_signed' : 'meeting.summary_confirmed', { type: 'meeting_item', id: item.id }, { round, dissent: dissent || undefined });
			return rows;
		});
		item.signatures.set(sheetKey(actor.userId, kind), { userId: actor.userId, kind, round, dissent, signedAt: row.signedAt });
	}

	// ---- decisions -------------------------------------------------------------------------

	async lockDecision(actor: Actor, input: ClientEvent<'decision:lock'>): Promise<void> {
		this.requireChair(actor);
		const item = this.currentItem(actor, input.itemId);
		if (decisionInForce(item)) throw new RoomError('locked');
		this.requireQuorum(item);
		const m = this.state.meeting;
		const outcome = input.outcome;
		const amount = input.amount ?? null;
		const fundingMode = input.fundingMode ?? null;
		if (outcome === 'fund') {
			if (amount === null) throw new RoomError('amountRequired');
			const ceiling = item.isMajor ? m.majorCeiling : m.ceiling;
			if (amount > ceiling) throw new RoomError('overCeiling', { ceiling });
			if (!fundingMode || !m.fundingModes.includes(fundingMode)) throw new RoomError('modeRequired');
		} else if (amount !== null || fundingMode !== null) {
			throw new RoomError('amountNotAllowed');
		}
		const lastBallot = item.ballots.at(-1);
		if (m.requiresBallot) {
			if (!lastBallot || !lastBallot.closedAt) throw new RoomError('ballotRequired');
			if (outcome === 'fund' && !carried(lastBallot.counts, lastBallot.threshold)) throw new RoomError('ballotNotCarried');
		}
		const lastRevealed = [...item.rounds.values()].filter((r) => r.revealedAt).sort((a, b) => b.round - a.round)[0];
		const basis: Record<string, unknown> = {
			meetingId: m.id,
			applicationNumber: item.number,
			round: lastRevealed?.round ?? null,
			totals: lastRevealed ? Object.fromEntries([...lastRevealed.sheets.values()].map((s) => [s.userId, s.total])) : {},
			ballot: lastBallot?.closedAt ? { ...lastBallot.counts, threshold: lastBallot.threshold } : null,
			lockedByName: actor.name
		};
		const version = item.decisions.length + 1;
		const lockedAt = new Date();
		let sha256 = '';
		const [row] = await this.db().transaction(async (tx) => {
			const [app] = await tx.select({ id: applications.id, number: applications.number, status: applications.status }).from(applications).where(eq(applications.id, item.applicationId));
			basis.previousStatus = app.status;
			sha256 = decisionHash({ itemId: item.id, applicationId: item.applicationId, version, outcome, amount, fundingMode, rationale: input.rationale, basis, lockedBy: actor.userId, lockedAt });
			const rows = await tx
				.insert(meetingDecisions)
				.values({
					itemId: item.id,
					applicationId: item.applicationId,
					version,
					outcome,
					amount: amount === null ? null : amount.toFixed(2),
					fundingMode,
					rationale: input.rationale,
					basis,
					lockedBy: actor.userId,
					lockedAt,
					sha256,
					auditAnchor: await recordAnchor(tx)
				})
				.returning();
			if (app.status !== 'decided') await transition(tx, this.auditActor(actor), app, 'decided', { details: { meetingId: m.id, outcome } });
			await audit(tx, this.auditActor(actor), 'meeting.decision_locked', { type: 'meeting_item', id: item.id }, { decisionId: rows[0].id, version, outcome, amount, fundingMode, sha256, application: item.number });
			return rows;
		});
		item.decisions.push({ id: row.id, version, outcome, amount, fundingMode, rationale: input.rationale, lockedBy: actor.userId, lockedAt: row.lockedAt, sha256, auditAnchor: row.auditAnchor, basis, reopened: null });
		await anchorNow('lock:decision');
	}

	async reopenDecision(actor: Actor, itemId: string, reason: string): Promise<void> {
		if (!actor.isAdmin) throw new RoomError('forbidden');
		const item = this.item(itemId);
		const decision = decisionInForce(item);
		if (!decision) throw new RoomError('notLocked');
		const now = new Date();
		await this.db().transaction(async (tx) => {
			await tx.insert(meetingDecisionReopens).values({ decisionId: decision.id, reason, reopenedBy: actor.userId, reopenedAt: now });
			const [app] = await tx.select({ id: applications.id, number: applications.number, status: applications.status }).from(applications).where(eq(applications.id, item.applicationId));
			const before = (decision.basis.previousStatus as ApplicationStatus | undefined) ?? 'reviewed';
			if (app.status === 'decided' && before !== 'decided') await transition(tx, this.auditActor(actor), app, before, { details: { reopened: decision.id } });
			await audit(tx, this.auditActor(actor), 'meeting.decision_reopened', { type: 'meeting_item', id: item.id }, { decisionId: decision.id, version: decision.version, reason });
		});
		decision.reopened = { reason, by: actor.userId, byName: actor.name, at: now };
	}
}

/** The SHA-256 of a decision's canonical JSON: anyone can recompute it from the stored row. */
export function decisionHash(d: {
	itemId: string;
	applicationId: string;
	version: number;
	outcome: string;
	amount: number | null;
	fundingMode: string | null;
	rationale: string;
	basis: Record<string, unknown>;
	lockedBy: string;
	lockedAt: Date;
}): string {
	return createHash('sha256')
		.update(
			canonicalJSON({
				itemId: d.itemId,
				applicationId: d.applicationId,
				version: d.version,
				outcome: d.outcome,
				amount: d.amount === null ? null : d.amount.toFixed(2),
				fundingMode: d.fundingMode,
				rationale: d.rationale,
				basis: d.basis,
				lockedBy: d.lockedBy,
				lockedAt: d.lockedAt.toISOString()
			})
		)
		.digest('hex');
}

function problemKey(problems: SheetProblem[]): string {
	const missing = problems.filter((p) => p.code === 'missingScore').length;
	if (missing) return `missing:${missing}`;
	const first = problems[0];
	if (first.code === 'badDeduction') return 'deduction';
	if (first.code === 'badVeto' || first.code === 'vetoReason') return 'veto';
	return 'bad';
}
