// Finalization: when the period has ended with no objection pending, the list becomes final
// and locked like a decision — the rows not taken off by an upheld objection, as canonical
// JSON, sealed by its SHA-256 and the audit chain's head, with who (a staff member, or the
// timer) and when. It runs on demand and on a timer; the publication's row lock makes two
// nodes or two staff at once produce one finalization (the second sees it final and says so).
import { createHash } from 'node:crypto';
import { and, asc, eq, inArray, lte } from 'drizzle-orm';
import { publicationObjections, publicationRows, publications } from '$db/schema';
import type { Db } from '../db';
import type { Principal } from '../auth/principal';
import { audit, type AuditActor } from '../audit';
import { anchorNow, recordAnchor } from '../audit/anchors';
import { managesCall } from '../calls/access';
import { canonicalJSON } from '../documents/content';
import { logger } from '../log';

export type FinalizeProblem = 'notFound' | 'forbidden' | 'periodRunning' | 'pending';

export interface FinalRow {
	position: number;
	label: string;
	title: string;
	organization: string;
	amount: string | null;
	fundingMode: string | null;
	outcome: string;
}

/** The SHA-256 anyone can recompute from the stored final list. */
export function finalListHash(publicationId: string, list: FinalRow[], finalizedAt: Date): string {
	return createHash('sha256').update(canonicalJSON({ publicationId, list, finalizedAt: finalizedAt.toISOString() })).digest('hex');
}

/**
 * Finalizes a publication. `by` is the staff member, or null for the timer. Answers
 * `already: true` when it was final before (another node, another staff member).
 */
export async function finalizePublication(
	db: Db,
	by: { principal: Principal; actor: AuditActor } | null,
	publicationId: string,
	now = new Date()
): Promise<{ ok: true; already: boolean; sha256: string } | { ok: false; code: FinalizeProblem }> {
	if (by) {
		const [pub] = await db.select({ callId: publications.callId }).from(publications).where(eq(publications.id, publicationId));
		if (!pub) return { ok: false, code: 'notFound' };
		if (!(await managesCall(db, by.principal, pub.callId))) return { ok: false, code: 'forbidden' };
	}
	const result = await db.transaction(async (tx) => {
		const [pub] = await tx.select().from(publications).where(eq(publications.id, publicationId)).for('update');
		if (!pub) return { ok: false as const, code: 'notFound' as const };
		if (pub.status === 'final') return { ok: true as const, already: true, sha256: pub.sha256! };
		if (now < pub.endsAt) return { ok: false as const, code: 'periodRunning' as const };
		const objections = await tx.select({ rowId: publicationObjections.rowId, status: publicationObjections.status }).from(publicationObjections).where(eq(publicationObjections.publicationId, publicationId));
		if (objections.some((o) => o.status === 'received' || o.status === 'acknowledged')) return { ok: false as const, code: 'pending' as const };
		const removed = new Set(objections.filter((o) => o.status === 'upheld').map((o) => o.rowId));
		const rows = await tx.select().from(publicationRows).where(eq(publicationRows.publicationId, publicationId)).orderBy(asc(publicationRows.position));
		const list: FinalRow[] = rows
			.filter((r) => !removed.has(r.id))
			.map((r) => ({ position: r.position, label: r.label, title: r.title, organization: r.organization, amount: r.amount, fundingMode: r.fundingMode, outcome: r.outcome }));
		const finalizedAt = new Date();
		const sha256 = finalListHash(publicationId, list, finalizedAt);
		const auditAnchor = await recordAnchor(tx);
		await tx
			.update(publications)
			.set({ status: 'final', finalizedBy: by?.principal.user.id ?? null, finalizedAt, finalList: list as unknown as Record<string, unknown>[], sha256, auditAnchor })
			.where(and(eq(publications.id, publicationId), eq(publications.status, 'open')));
		await audit(tx, by?.actor ?? { name: 'system' }, 'publication.finalized', { type: 'publication', id: publicationId }, { sha256, rows: list.map((r) => r.label), removed: rows.filter((r) => removed.has(r.id)).map((r) => r.label), by: by ? 'staff' : 'timer' });
		return { ok: true as const, already: false, sha256 };
	});
	if (result.ok && !result.already) await anchorNow('lock:publication', db);
	return result;
}

/** Finalizes every publication whose period is over and has nothing pending (the timer's round). */
export async function finalizeDue(db: Db, now = new Date()): Promise<string[]> {
	const due = await db.select({ id: publications.id }).from(publications).where(and(eq(publications.status, 'open'), lte(publications.endsAt, now)));
	if (due.length === 0) return [];
	const pending = await db
		.selectDistinct({ id: publicationObjections.publicationId })
		.from(publicationObjections)
		.where(and(inArray(publicationObjections.publicationId, due.map((d) => d.id)), inArray(publicationObjections.status, ['received', 'acknowledged'])));
	const done: string[] = [];
	for (const { id } of due) {
		if (pending.some((p) => p.id === id)) continue;
		const r = await finalizePublication(db, null, id, now);
		if (r.ok && !r.already) done.push(id);
	}
	return done;
}

/** Runs finalizeDue at start-up and then every `everyMs`; returns the stopper. */
export function startFinalizer(db: () => Db, everyMs = 10 * 60_000): () => void {
	const log = logger().child({ module: 'publications' });
	const round = () =>
		finalizeDue(db())
			.then((ids) => ids.length && log.info({ ids }, 'publications finalized'))
			.catch((err) => log.warn({ err }, 'publication finalizer round failed'));
	void round();
	const timer = setInterval(round, everyMs);
	timer.unref?.();
	return () => clearInterval(timer);
}
