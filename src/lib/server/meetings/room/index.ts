// A live meeting room: its state (loaded from the database), who is here (presence.ts), and
// every action members take, by concern: the meeting's course (tracker.ts), scoring rounds
// (rounds.ts), the secret ballot (ballots.ts), signatures and the summary (signatures.ts),
// decisions (decisions.ts). Actions run one at a time per meeting (`exclusive`); each writes to
// the database first and changes the in-memory state only after its transaction committed, and
// only then are people told (the socket layer broadcasts). A room that fails to load is never
// served.
import type { Db } from '../../db';
import type { ClientPayload } from '$lib/meetings/protocol';
import { loadRoomState, type RoomState } from '../state';
import type { Actor, RoomContext } from './context';
import { Presence } from './presence';
import * as tracker from './tracker';
import * as rounds from './rounds';
import * as ballots from './ballots';
import * as signatures from './signatures';
import * as decisions from './decisions';

export { RoomError, type Refusal, type SheetProblemDetail } from './errors';
export { decisionHash } from './decisions';
export type { Actor } from './context';

export class MeetingRoom implements RoomContext {
	readonly live: Presence;
	private queue: Promise<unknown> = Promise.resolve();

	constructor(
		readonly db: () => Db,
		readonly state: RoomState
	) {
		this.live = new Presence(state);
	}

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

	recordAttendance = (userId: string) => tracker.recordAttendance(this, userId);

	start = (actor: Actor) => tracker.start(this, actor);
	goto = (actor: Actor, itemId: string) => tracker.goto(this, actor, itemId);
	close = (actor: Actor) => tracker.close(this, actor);

	submitScores = (actor: Actor, input: ClientPayload<'score:submit'>) => rounds.submitScores(this, actor, input);
	reveal = (actor: Actor, itemId: string) => rounds.reveal(this, actor, itemId);
	newRound = (actor: Actor, itemId: string) => rounds.newRound(this, actor, itemId);

	openBallot = (actor: Actor, itemId: string) => ballots.openBallot(this, actor, itemId);
	vote = (actor: Actor, input: ClientPayload<'ballot:vote'>) => ballots.vote(this, actor, input);
	closeBallot = (actor: Actor, itemId: string, ballotId: string) => ballots.closeBallot(this, actor, itemId, ballotId);

	signSheet = (actor: Actor, itemId: string) => signatures.signSheet(this, actor, itemId);
	setSummary = (actor: Actor, itemId: string, summary: string) => signatures.setSummary(this, actor, itemId, summary);
	confirmSummary = (actor: Actor, itemId: string, dissent: string) => signatures.confirmSummary(this, actor, itemId, dissent);

	lockDecision = (actor: Actor, input: ClientPayload<'decision:lock'>) => decisions.lockDecision(this, actor, input);
	reopenDecision = (actor: Actor, itemId: string, reason: string, opts?: { inTransaction?: boolean }) => decisions.reopenDecision(this, actor, itemId, reason, opts);
}
