// Decisions: the chair locks the item's decision (with quorum, within the call's ceiling and
// funding modes, after a carried ballot where the call requires one), sealed by the SHA-256 of
// its canonical JSON and the audit chain's head; the application becomes decided in the same
// transaction. Only an admin reopens a locked decision, with a reason; the application goes
// back to the status it had.
//
// After the meeting has closed, a reopened item still has a way forward (issue 11): it waits
// for a new decision, and the chair may lock one in the closed room — for that item only, with
// quorum of the members present, the call's ballot rule as before — naming the reopen it
// answers. Locked versions are never edited: the new decision is the next version. The minutes
// were drafted at close, so both the reopen and the new decision are appended to them as
// addenda (documents.ts), never rewritten.
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { applications, meetingDecisionReopens, meetingDecisions } from '$db/schema';
import { audit } from '../../audit';
import { anchorNow, recordAnchor } from '../../audit/anchors';
import { transition, type ApplicationStatus } from '../../applications/status';
import { canonicalJSON } from '../../documents/content';
import type { ClientPayload } from '$lib/meetings/protocol';
import { awaitingRedecision, decisionInForce, type ItemState } from '../state';
import { queueMinutesAddendum, writePendingAddenda } from '../documents';
import { logger } from '../../log';
import { carried } from '../stats';
import type { Actor, RoomContext } from './context';
import { RoomError } from './errors';
import { auditActor, currentItem, itemOf, requireChair, requireQuorum } from './guards';

/**
 * The item a decision is locked on: the current item of an open meeting or, in a closed
 * meeting, an item whose decision an admin reopened (any other is refused as closed).
 */
function decisionItem(room: RoomContext, actor: Actor, itemId: string): ItemState {
	if (room.state.meeting.status !== 'closed') return currentItem(room, actor, itemId);
	const item = itemOf(room, itemId);
	if (decisionInForce(item)) throw new RoomError('locked');
	if (!awaitingRedecision(room.state, item)) throw new RoomError('closed');
	if (item.recused.has(actor.userId)) throw new RoomError('recused');
	return item;
}

export async function lockDecision(room: RoomContext, actor: Actor, input: ClientPayload<'decision:lock'>): Promise<void> {
	requireChair(room, actor);
	const item = decisionItem(room, actor, input.itemId);
	if (decisionInForce(item)) throw new RoomError('locked');
	const afterClose = room.state.meeting.status === 'closed';
	const answers = afterClose ? item.decisions.at(-1)! : null;
	requireQuorum(room, item);
	const m = room.state.meeting;
	const outcome = input.outcome;
	const amount = input.amount ?? null;
	const fundingMode = input.fundingMode ?? null;
	if (outcome === 'fund') {
		if (amount === null) throw new RoomError('amountRequired');
		const ceiling = item.isMajor ? m.majorCeiling : m.ceiling;
		if (amount > ceiling) throw new RoomError({ code: 'overCeiling', ceiling });
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
		lockedByName: actor.name,
		// A decision made after the meeting closed names the reopen it answers.
		...(answers?.reopened ? { afterClose: true, reopened: { decisionId: answers.id, version: answers.version, reason: answers.reopened.reason } } : {})
	};
	const version = item.decisions.length + 1;
	const lockedAt = new Date();
	let sha256 = '';
	const [row] = await room.db().transaction(async (tx) => {
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
		if (app.status !== 'decided') await transition(tx, auditActor(actor), app, 'decided', { details: { meetingId: m.id, outcome } });
		await audit(tx, auditActor(actor), 'meeting.decision_locked', { type: 'meeting_item', id: item.id }, { decisionId: rows[0].id, version, outcome, amount, fundingMode, sha256, application: item.number, ...(afterClose ? { afterClose } : {}) });
		// The addendum is recorded with the decision, so a crash before it is written loses nothing.
		if (afterClose) await queueMinutesAddendum(tx, room.state, { kind: 'decided', item, decision: decisionOf(rows[0]), byName: actor.name, at: lockedAt }, actor.userId);
		return rows;
	});
	function decisionOf(r: { id: string; lockedAt: Date; auditAnchor: string | null }) {
		return { id: r.id, version, outcome, amount, fundingMode, rationale: input.rationale, lockedBy: actor.userId, lockedAt: r.lockedAt, sha256, auditAnchor: r.auditAnchor, basis, reopened: null };
	}
	item.decisions.push(decisionOf(row));
	if (afterClose) await writeAddenda(room);
	await anchorNow('lock:decision', room.db());
}

/** Writes the meeting's pending addenda now; a failure leaves them pending for the next start. */
async function writeAddenda(room: RoomContext): Promise<void> {
	try {
		await writePendingAddenda(room.db(), room.state.meeting.id);
	} catch (err) {
		logger().warn({ err, meetingId: room.state.meeting.id }, 'minutes addendum not written yet; retried at next start');
	}
}

/**
 * `inTransaction`: the caller's transaction holds the room's database (an upheld objection
 * reopens inside its own); the addendum is then only queued, and the caller writes it once
 * its transaction has committed (writePendingAddenda).
 */
export async function reopenDecision(room: RoomContext, actor: Actor, itemId: string, reason: string, opts: { inTransaction?: boolean } = {}): Promise<void> {
	if (!actor.isAdmin) throw new RoomError('forbidden');
	const item = itemOf(room, itemId);
	const decision = decisionInForce(item);
	if (!decision) throw new RoomError('notLocked');
	const now = new Date();
	const closed = room.state.meeting.status === 'closed';
	await room.db().transaction(async (tx) => {
		await tx.insert(meetingDecisionReopens).values({ decisionId: decision.id, reason, reopenedBy: actor.userId, reopenedAt: now });
		const [app] = await tx.select({ id: applications.id, number: applications.number, status: applications.status }).from(applications).where(eq(applications.id, item.applicationId));
		const before = (decision.basis.previousStatus as ApplicationStatus | undefined) ?? 'reviewed';
		if (app.status === 'decided' && before !== 'decided') await transition(tx, auditActor(actor), app, before, { details: { reopened: decision.id } });
		await audit(tx, auditActor(actor), 'meeting.decision_reopened', { type: 'meeting_item', id: item.id }, { decisionId: decision.id, version: decision.version, reason });
		// The minutes drafted at close said what was decided: they will say it was reopened, and why.
		if (closed) await queueMinutesAddendum(tx, room.state, { kind: 'reopened', item, decision: { ...decision, reopened: { reason, by: actor.userId, byName: actor.name, at: now } }, byName: actor.name, at: now }, actor.userId);
	});
	decision.reopened = { reason, by: actor.userId, byName: actor.name, at: now };
	if (closed && !opts.inTransaction) await writeAddenda(room);
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
