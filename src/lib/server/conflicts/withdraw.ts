// Withdrawing a stated conflict. Apart from the rest of conflicts/ because it reaches up into
// meetings: the recusals a conflict caused in meetings not yet closed are established first,
// and meetings' recusals read conflicts (one file here keeps the imports acyclic).
import { and, eq, isNull, sql } from 'drizzle-orm';
import { conflicts } from '$db/schema';
import type { DbOrTx } from '../db';
import { emit } from '../events';
import { audit, type AuditActor } from '../audit';
import { establishRecusalsOfExpert } from '../meetings/recusals';

/**
 * Staff withdraw a stated conflict, saying why (it stays on record); false when there was none
 * to withdraw. Experts cannot withdraw their own declarations: a declaration that could be
 * taken back at will would let a recused expert back in. Recusals it caused in meetings not
 * yet closed are established first, so they stay in force there until lifted.
 */
export async function withdrawConflict(db: DbOrTx, actor: AuditActor, input: { conflictId: string; reason: string; expertId?: string }): Promise<boolean> {
	return db.transaction(async (tx) => {
		const [row] = await tx
			.select({ expertId: conflicts.expertId })
			.from(conflicts)
			.where(and(eq(conflicts.id, input.conflictId), isNull(conflicts.withdrawnAt), input.expertId ? eq(conflicts.expertId, input.expertId) : undefined));
		if (!row) return false;
		await establishRecusalsOfExpert(tx, row.expertId);
		await tx
			.update(conflicts)
			.set({ withdrawnAt: sql`now()`, withdrawnBy: actor.id ?? null, withdrawReason: input.reason })
			.where(eq(conflicts.id, input.conflictId));
		await audit(tx, actor, 'conflict.withdrawn', { type: 'expert', id: row.expertId }, { conflictId: input.conflictId, reason: input.reason });
		return true;
	}).then((done) => {
		// After the commit: live meeting rooms refresh (established recusals stay).
		if (done) emit('conflicts.changed', {});
		return done;
	});
}

