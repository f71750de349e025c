// The audit trail: append-only and hash-chained. The database itself refuses UPDATE, DELETE
// and TRUNCATE (see the audit migration), and a trigger sets seq, prev_hash and hash under a
// lock, so the chain can be verified years later (src/lib/server/audit/). The app seals each
// row with a key kept outside the database and anchors the chain head outside it too.
import { bigint, bigserial, jsonb, pgTable, text, timestamp, uuid, index } from 'drizzle-orm/pg-core';

/** One sensitive action: who, when, from where, on what. */
export const auditLog = pgTable(
	'audit_log',
	{
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		/** Position in the hash chain; set by the trigger. */
		seq: bigint('seq', { mode: 'number' }).unique(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
		actorId: uuid('actor_id'),
		actorName: text('actor_name'),
		ip: text('ip'),
		action: text('action').notNull(),
		entityType: text('entity_type'),
		entityId: text('entity_id'),
		details: jsonb('details').$type<Record<string, unknown>>(),
		prevHash: text('prev_hash'),
		hash: text('hash'),
		/**
		 * HMAC-SHA256 of the row and the previous row's seal, with a key the database never
		 * holds (src/lib/server/audit/seal.ts): anyone who can write the database can recompute
		 * `hash`, nobody without the key can recompute this.
		 */
		seal: text('seal')
	},
	(t) => [index('audit_entity_idx').on(t.entityType, t.entityId), index('audit_at_idx').on(t.at)]
);
