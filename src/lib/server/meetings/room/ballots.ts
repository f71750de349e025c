// The secret ballot (无记名投票): the chair opens one on the current item with quorum present;
// each voting member votes once; it closes when everyone eligible voted or the chair closes it.
// Who voted and the tally are stored apart, so nothing links a person to a choice.
import { eq, sql } from 'drizzle-orm';
import { meetingBallots, meetingBallotVoters } from '$db/schema';
import { audit } from '../../audit';
import { votes, type BallotChoice, type ClientPayload } from '$lib/meetings/protocol';
import { decisionInForce, type ItemState } from '../state';
import { quorumOf } from '../view';
import { carried } from '../stats';
import type { Actor, RoomContext } from './context';
import { RoomError } from './errors';
import { auditActor, currentItem, requireChair, requireQuorum, roleOf } from './guards';

export async function openBallot(room: RoomContext, actor: Actor, itemId: string): Promise<void> {
	requireChair(room, actor);
	const item = currentItem(room, actor, itemId);
	if (decisionInForce(item)) throw new RoomError('locked');
	if (item.ballots.some((b) => !b.closedAt)) throw new RoomError('ballotOpen');
	requireQuorum(room, item);
	const eligible = quorumOf(room.state, item, room.live).present;
	const threshold = room.state.meeting.ballotThreshold;
	const [row] = await room.db().transaction(async (tx) => {
		const rows = await tx.insert(meetingBallots).values({ itemId: item.id, threshold: threshold.toFixed(3), eligible, openedBy: actor.userId }).returning();
		await audit(tx, auditActor(actor), 'meeting.ballot_opened', { type: 'meeting_item', id: item.id }, { ballotId: rows[0].id, eligible });
		return rows;
	});
	item.ballots.push({ id: row.id, threshold, eligible, counts: { fund: 0, decline: 0, abstain: 0 }, voters: new Set(), openedAt: row.openedAt, closedAt: null });
}

export async function vote(room: RoomContext, actor: Actor, input: ClientPayload<'ballot:vote'>): Promise<void> {
	const item = currentItem(room, actor, input.itemId);
	if (!votes(roleOf(room, actor))) throw new RoomError('forbidden');
	const ballot = item.ballots.find((b) => b.id === input.ballotId);
	if (!ballot) throw new RoomError('notFound');
	if (ballot.closedAt) throw new RoomError('ballotClosed');
	if (ballot.voters.has(actor.userId)) throw new RoomError('alreadyVoted');
	const choice: BallotChoice = input.choice;
	await room.db().transaction(async (tx) => {
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
	if (ballot.voters.size >= ballot.eligible) await markBallotClosed(room, item, ballot.id, null);
}

export async function closeBallot(room: RoomContext, actor: Actor, itemId: string, ballotId: string): Promise<void> {
	requireChair(room, actor);
	const item = currentItem(room, actor, itemId);
	const ballot = item.ballots.find((b) => b.id === ballotId);
	if (!ballot) throw new RoomError('notFound');
	if (ballot.closedAt) throw new RoomError('ballotClosed');
	await markBallotClosed(room, item, ballotId, actor);
}

async function markBallotClosed(room: RoomContext, item: ItemState, ballotId: string, actor: Actor | null): Promise<void> {
	const ballot = item.ballots.find((b) => b.id === ballotId)!;
	const now = new Date();
	await room.db().transaction(async (tx) => {
		await tx.update(meetingBallots).set({ closedAt: now }).where(eq(meetingBallots.id, ballotId));
		await audit(tx, actor ? auditActor(actor) : null, 'meeting.ballot_closed', { type: 'meeting_item', id: item.id }, {
			ballotId,
			...ballot.counts,
			carried: carried(ballot.counts, ballot.threshold)
		});
	});
	ballot.closedAt = now;
}
