// The audit trail: every sensitive action with who, when and from where. Rows are
// hash-chained by the database (db/migrations/0001_audit_chain.sql) and, on top of that,
// sealed by the app with a key the database never holds (seal.ts, secrets.ts); the chain
// head is anchored outside the database (anchors.ts). verify.ts checks all three, so that
// someone who can write the database still cannot rewrite the trail unnoticed.
import { desc, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import { auditLog } from '$db/schema';
import { rows, type DbOrTx, type Tx } from '../db';
import { auditSecrets } from './secrets';
import { computeSeal, linkOf } from './seal';
import { noteAppended } from './anchors';
import { verifyAudit } from './verify';

export interface AuditActor {
	id?: string | null;
	name?: string | null;
	ip?: string | null;
}

export interface AuditEntity {
	type: string;
	id: string;
}

export interface AuditEntry {
	seq: number;
	seal: string;
}

/** The chain lock the audit trigger takes too (0001_audit_chain.sql). */
export const AUDIT_CHAIN_LOCK = 72610001;

export async function audit(
	db: DbOrTx,
	actor: AuditActor | null,
	action: string,
	entity?: AuditEntity | null,
	details?: Record<string, unknown>
): Promise<AuditEntry> {
	// Stored as JSON, so sealed as JSON: what verify reads back is exactly what was sealed.
	const json = details === undefined || details === null ? null : (JSON.parse(JSON.stringify(details)) as Record<string, unknown>);
	const append = async (tx: DbOrTx): Promise<AuditEntry> => {
		// Appends are serialized: the seal links to the previous row's, so the app must see
		// the head it extends. The trigger takes the same lock and checks the seq.
		await tx.execute(sql`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
		const [head] = await rows<{ seq: string | number | null; seal: string | null; hash: string | null; now: string }>(
			tx,
			sql`SELECT h.seq, h.seal, h.hash,
				to_char(date_trunc('microseconds', clock_timestamp()) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS now
				FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT seq, seal, hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1) h ON true`
		);
		const seq = Number(head.seq ?? 0) + 1;
		const fields = {
			seq,
			link: head.seq === null ? '' : linkOf(head),
			at: head.now,
			actorId: actor?.id ?? null,
			actorName: actor?.name ?? null,
			ip: actor?.ip ?? null,
			action,
			entityType: entity?.type ?? null,
			entityId: entity?.id ?? null,
			details: json
		};
		const seal = computeSeal(auditSecrets().key, fields);
		await tx.insert(auditLog).values({
			seq,
			at: sql`${head.now}::timestamptz`,
			actorId: fields.actorId,
			actorName: fields.actorName,
			ip: fields.ip,
			action,
			entityType: fields.entityType,
			entityId: fields.entityId,
			details: json,
			seal
		});
		return { seq, seal };
	};
	const entry = db instanceof PgTransaction ? await append(db) : await db.transaction((tx) => append(tx as Tx));
	noteAppended();
	return entry;
}

export interface ChainReport {
	ok: boolean;
	count: number;
	/** The first entry whose seal, hash or link does not hold. */
	brokenAt?: number;
}

/** The short form of verify.ts's report. */
export async function verifyAuditChain(db: DbOrTx): Promise<ChainReport> {
	const report = await verifyAudit(db, auditSecrets());
	return report.ok ? { ok: true, count: report.count } : { ok: false, count: report.count, brokenAt: report.firstBad?.seq ?? undefined };
}

export async function recentAudit(db: DbOrTx, limit = 100, before?: number) {
	const q = db.select().from(auditLog);
	return (before ? q.where(sql`${auditLog.seq} < ${before}`) : q).orderBy(desc(auditLog.seq)).limit(limit);
}
