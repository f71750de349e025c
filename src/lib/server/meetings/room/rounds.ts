// Scoring rounds: members submit a sheet for the current item's open round; the round is
// revealed when everyone here has submitted or when the chair reveals it; the chair may then
// open a new round (until a decision is locked).
import { and, eq, sql } from 'drizzle-orm';
import { meetingItems, meetingRounds, meetingScores } from '$db/schema';
import { audit } from '../../audit';
import { scoreSheet, sheetProblems, type SheetProblem } from '$lib/rubric';
import { votes, type ClientPayload } from '$lib/meetings/protocol';
import { decisionInForce, type ItemState } from '../state';
import { eligibleVoters } from '../view';
import type { Actor, RoomContext } from './context';
import { RoomError, type SheetProblemDetail } from './errors';
import { auditActor, currentItem, requireChair, roleOf } from './guards';

export async function submitScores(room: RoomContext, actor: Actor, input: ClientPayload<'score:submit'>): Promise<{ revealed: boolean }> {
	const item = currentItem(room, actor, input.itemId);
	if (!votes(roleOf(room, actor))) throw new RoomError('forbidden');
	if (decisionInForce(item)) throw new RoomError('locked');
	const rubric = room.state.scoring;
	if (!rubric) throw new RoomError('noRubric');
	if (input.round !== item.round) throw new RoomError('staleRound');
	const round = item.rounds.get(item.round);
	if (!round) throw new RoomError('notCurrent');
	if (round.revealedAt) throw new RoomError('alreadyRevealed');
	const sheet = { scores: input.scores, deductions: input.deductions ?? {}, veto: input.veto ?? null };
	// A vetoed sheet carries its reason instead of scores.
	if (sheet.veto) sheet.scores = {};
	const problems = sheetProblems(rubric, sheet, true);
	if (problems.length) throw new RoomError({ code: 'incomplete', ...sheetProblem(problems) });
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
	const [row] = await room
		.db()
		.insert(meetingScores)
		.values(values)
		.onConflictDoUpdate({
			target: [meetingScores.itemId, meetingScores.round, meetingScores.userId],
			set: { scores: values.scores, deductions: values.deductions, veto: values.veto, total: values.total, opinion: values.opinion, submittedAt: sql`now()` }
		})
		.returning({ submittedAt: meetingScores.submittedAt });
	round.sheets.set(actor.userId, { userId: actor.userId, scores: sheet.scores, deductions: sheet.deductions, veto: sheet.veto, total, opinion: values.opinion, submittedAt: row.submittedAt });
	// Everyone here has submitted: the round opens by itself.
	const present = eligibleVoters(room.state, item).filter((u) => room.live.isHere(u));
	if (present.length > 0 && present.every((u) => round.sheets.has(u))) {
		await markRevealed(room, item, null);
		return { revealed: true };
	}
	return { revealed: false };
}

export async function reveal(room: RoomContext, actor: Actor, itemId: string): Promise<void> {
	requireChair(room, actor);
	const item = currentItem(room, actor, itemId);
	const round = item.rounds.get(item.round);
	if (!round) throw new RoomError('notCurrent');
	if (round.revealedAt) throw new RoomError('alreadyRevealed');
	if (round.sheets.size === 0) throw new RoomError('noSubmissions');
	await markRevealed(room, item, actor);
}

async function markRevealed(room: RoomContext, item: ItemState, actor: Actor | null): Promise<void> {
	const round = item.rounds.get(item.round)!;
	const now = new Date();
	await room.db().transaction(async (tx) => {
		await tx
			.update(meetingRounds)
			.set({ revealedAt: now, revealedBy: actor?.userId ?? null })
			.where(and(eq(meetingRounds.itemId, item.id), eq(meetingRounds.round, item.round)));
		await audit(tx, actor ? auditActor(actor) : null, 'meeting.round_revealed', { type: 'meeting_item', id: item.id }, { round: item.round, submitted: round.sheets.size, auto: !actor });
	});
	round.revealedAt = now;
	round.revealedBy = actor?.userId ?? null;
}

export async function newRound(room: RoomContext, actor: Actor, itemId: string): Promise<void> {
	requireChair(room, actor);
	const item = currentItem(room, actor, itemId);
	if (decisionInForce(item)) throw new RoomError('locked');
	const round = item.rounds.get(item.round);
	if (!round?.revealedAt) throw new RoomError('notRevealed');
	const next = item.round + 1;
	const now = new Date();
	await room.db().transaction(async (tx) => {
		await tx.update(meetingItems).set({ round: next }).where(eq(meetingItems.id, item.id));
		await tx.insert(meetingRounds).values({ itemId: item.id, round: next, openedAt: now });
		await audit(tx, auditActor(actor), 'meeting.round_opened', { type: 'meeting_item', id: item.id }, { round: next });
	});
	item.round = next;
	item.rounds.set(next, { round: next, openedAt: now, revealedAt: null, revealedBy: null, sheets: new Map() });
}

/** The first problem of a sheet, as the refusal's detail. */
function sheetProblem(problems: SheetProblem[]): SheetProblemDetail {
	const missing = problems.filter((p) => p.code === 'missingScore').length;
	if (missing) return { problem: 'missing', missing };
	const first = problems[0];
	if (first.code === 'badDeduction') return { problem: 'deduction' };
	if (first.code === 'badVeto' || first.code === 'vetoReason') return { problem: 'veto' };
	return { problem: 'bad' };
}
