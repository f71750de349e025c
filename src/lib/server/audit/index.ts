// The audit trail: every sensitive action with who, when and from where. Rows are
// hash-chained by the database (db/migrations/0001_audit_chain.sql); verifyAuditChain
// recomputes the chain so anyone can prove nothing was altered or removed.
import { desc, sql } from 'drizzle-orm';
import { auditLog } from '$db/schema';
import { rows, type DbOrTx } from '../db';

export interface AuditActor {
	id?: string | null;
	name?: string | null;
	ip?: string | null;
}

export interface AuditEntity {
	type: string;
	id: string;
}

export async function audit(
	db: DbOrTx,
	actor: AuditActor | null,
	action: string,
	entity?: AuditEntity | null,
	details?: Record<string, unknown>
): Promise<void> {
	await db.insert(auditLog).values({
		actorId: actor?.id ?? null,
		actorName: actor?.name ?? null,
		ip: actor?.ip ?? null,
		action,
		entityType: entity?.type ?? null,
		entityId: entity?.id ?? null,
		details: details ?? null
	});
}

export interface ChainReport {
	ok: boolean;
	count: number;
	/** The first entry whose hash or link does not hold. */
	brokenAt?: number;
}

export async function verifyAuditChain(db: DbOrTx): Promise<ChainReport> {
	const [bad] = await rows<{ seq: number }>(
		db,
		sql`SELECT seq FROM (
			SELECT seq, hash, prev_hash,
				lag(hash, 1, '') OVER (ORDER BY seq) AS expected_prev,
				lag(seq, 1, 0::bigint) OVER (ORDER BY seq) AS prev_seq,
				audit_log_row_hash(prev_hash, seq, at, actor_id, actor_name, ip, action, entity_type, entity_id, details) AS expected
			FROM audit_log) c
			WHERE hash IS DISTINCT FROM expected OR prev_hash IS DISTINCT FROM expected_prev OR seq <> prev_seq + 1
			ORDER BY seq LIMIT 1`
	);
	const [{ count }] = await rows<{ count: number }>(db, sql`SELECT count(*)::int AS count FROM audit_log`);
	return bad ? { ok: false, count, brokenAt: Number(bad.seq) } : { ok: true, count };
}

export async function recentAudit(db: DbOrTx, limit = 100, before?: number) {
	const q = db.select().from(auditLog);
	return (before ? q.where(sql`${auditLog.seq} < ${before}`) : q).orderBy(desc(auditLog.seq)).limit(limit);
}
