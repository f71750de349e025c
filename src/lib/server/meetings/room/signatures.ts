// Signatures (签字) and the panel's summary: each voting member signs their final score sheet;
// the chair writes the summary of the panel's opinion, which each voting member confirms, with
// a dissent if they have one.
import { eq, sql } from 'drizzle-orm';
import { meetingItems, meetingSignatures } from '$db/schema';
import { audit } from '../../audit';
import { votes } from '$lib/meetings/protocol';
import { decisionInForce, sheetKey, type ItemState } from '../state';
import type { Actor, RoomContext } from './context';
import { RoomError } from './errors';
import { auditActor, currentItem, itemOf, requireChair, requireOpen, roleOf } from './guards';

export async function signSheet(room: RoomContext, actor: Actor, itemId: string): Promise<void> {
	requireOpen(room);
	const item = itemOf(room, itemId);
	if (item.recused.has(actor.userId)) throw new RoomError('recused');
	if (!votes(roleOf(room, actor))) throw new RoomError('forbidden');
	// The final sheet: the member's sheet in the latest revealed round.
	const rounds = [...item.rounds.values()].filter((r) => r.revealedAt && r.sheets.has(actor.userId)).sort((a, b) => b.round - a.round);
	const round = rounds[0];
	if (!round) throw new RoomError('noSheet');
	await sign(room, actor, item, 'sheet', round.round, '');
}

export async function setSummary(room: RoomContext, actor: Actor, itemId: string, summary: string): Promise<void> {
	requireChair(room, actor);
	const item = currentItem(room, actor, itemId);
	if (decisionInForce(item)) throw new RoomError('locked');
	const now = new Date();
	await room.db().transaction(async (tx) => {
		await tx.update(meetingItems).set({ summary, summaryAt: now }).where(eq(meetingItems.id, item.id));
		await audit(tx, auditActor(actor), 'meeting.summary_set', { type: 'meeting_item', id: item.id }, { length: summary.length });
	});
	item.summary = summary;
	item.summaryAt = now;
}

export async function confirmSummary(room: RoomContext, actor: Actor, itemId: string, dissent: string): Promise<void> {
	requireOpen(room);
	const item = itemOf(room, itemId);
	if (item.recused.has(actor.userId)) throw new RoomError('recused');
	if (!votes(roleOf(room, actor))) throw new RoomError('forbidden');
	if (!item.summaryAt) throw new RoomError('noSummary');
	await sign(room, actor, item, 'summary', null, dissent);
}

async function sign(room: RoomContext, actor: Actor, item: ItemState, kind: 'sheet' | 'summary', round: number | null, dissent: string): Promise<void> {
	const [row] = await room.db().transaction(async (tx) => {
		const rows = await tx
			.insert(meetingSignatures)
			.values({ itemId: item.id, userId: actor.userId, kind, round, dissent })
			.onConflictDoUpdate({ target: [meetingSignatures.itemId, meetingSignatures.userId, meetingSignatures.kind], set: { round, dissent, signedAt: sql`now()` } })
			.returning();
		await audit(tx, auditActor(actor), kind === 'sheet' ? 'meeting.sheet_signed' : 'meeting.summary_confirmed', { type: 'meeting_item', id: item.id }, { round, dissent: dissent || undefined });
		return rows;
	});
	item.signatures.set(sheetKey(actor.userId, kind), { userId: actor.userId, kind, round, dissent, signedAt: row.signedAt });
}
