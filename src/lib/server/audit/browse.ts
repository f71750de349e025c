// Reading the audit log as staff do: filtered by who, what, which object and when, newest
// first, with the ids an entry mentions resolved to names (users, experts, applications,
// calls, meetings, agenda items, documents, assignments, decisions, attachments).
import { z } from 'zod';
import { and, desc, eq, gte, like, lt, sql, type SQL } from 'drizzle-orm';
import { auditLog } from '$db/schema';
import { rows, type DbOrTx } from '../db';
import { isUuid, type Names } from '$lib/audit/describe';

const day = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}$/)
	.refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00+08:00`)));

/** Filters from the page's query string; a value that does not parse is dropped, not an error. */
export const auditFilterSchema = z.object({
	actor: z.string().trim().max(100).optional().catch(undefined),
	action: z
		.string()
		.trim()
		.regex(/^[a-z_]+(\.[a-z_]*)?$/)
		.max(80)
		.optional()
		.catch(undefined),
	entityType: z
		.string()
		.trim()
		.regex(/^[a-z_]+$/)
		.max(40)
		.optional()
		.catch(undefined),
	object: z.string().trim().max(200).optional().catch(undefined),
	from: day.optional().catch(undefined),
	to: day.optional().catch(undefined)
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export function parseAuditFilter(params: URLSearchParams): AuditFilter {
	const raw = Object.fromEntries(['actor', 'action', 'entityType', 'object', 'from', 'to'].map((k) => [k, params.get(k) || undefined]));
	const f = auditFilterSchema.parse(raw);
	return Object.fromEntries(Object.entries(f).filter(([, v]) => v)) as AuditFilter;
}

function conditions(f: AuditFilter): SQL | undefined {
	const c: SQL[] = [];
	if (f.actor) c.push(sql`${auditLog.actorName} ILIKE ${'%' + f.actor.replace(/[\\%_]/g, '\\$&') + '%'}`);
	if (f.action) c.push(f.action.endsWith('.') ? like(auditLog.action, `${f.action}%`) : eq(auditLog.action, f.action));
	if (f.entityType) c.push(eq(auditLog.entityType, f.entityType));
	if (f.object) {
		if (isUuid(f.object)) {
			const id = f.object.toLowerCase();
			c.push(sql`(${auditLog.entityId} = ${id} OR ${auditLog.details}::text LIKE ${'%' + id + '%'})`);
		} else {
			// A number, title or name: the entries about a matching object, or mentioning it.
			const pattern = '%' + f.object.replace(/[\\%_]/g, '\\$&') + '%';
			c.push(sql`(${auditLog.details}::text ILIKE ${pattern} OR ${auditLog.entityId} IN (
				SELECT id::text FROM applications WHERE number ILIKE ${pattern} OR title ILIKE ${pattern}
				UNION ALL SELECT id::text FROM users WHERE name ILIKE ${pattern} OR username ILIKE ${pattern}
				UNION ALL SELECT id::text FROM experts WHERE name ILIKE ${pattern}
				UNION ALL SELECT id::text FROM meetings WHERE title ILIKE ${pattern}
				UNION ALL SELECT id::text FROM documents WHERE title ILIKE ${pattern}
				UNION ALL SELECT id::text FROM calls WHERE code ILIKE ${pattern} OR title ILIKE ${pattern}
				UNION ALL SELECT i.id::text FROM meeting_items i JOIN applications a ON a.id = i.application_id WHERE a.number ILIKE ${pattern}
				UNION ALL SELECT s.id::text FROM assignments s JOIN applications a ON a.id = s.application_id WHERE a.number ILIKE ${pattern}))`);
		}
	}
	// Dates are days in Beijing time, as staff mean them.
	if (f.from) c.push(gte(auditLog.at, new Date(`${f.from}T00:00:00+08:00`)));
	if (f.to) c.push(lt(auditLog.at, new Date(Date.parse(`${f.to}T00:00:00+08:00`) + 86_400_000)));
	return c.length ? and(...c) : undefined;
}

export type AuditRow = typeof auditLog.$inferSelect;

export async function listAudit(db: DbOrTx, f: AuditFilter, options: { limit: number; before?: number }): Promise<AuditRow[]> {
	const where = and(conditions(f), options.before ? lt(auditLog.seq, options.before) : undefined);
	return db.select().from(auditLog).where(where).orderBy(desc(auditLog.seq)).limit(options.limit);
}

function collectIds(value: unknown, into: Set<string>, depth = 0): void {
	if (depth > 4 || value === null || value === undefined) return;
	if (typeof value === 'string') {
		if (isUuid(value)) into.add(value.toLowerCase());
	} else if (Array.isArray(value)) for (const v of value.slice(0, 200)) collectIds(v, into, depth + 1);
	else if (typeof value === 'object') for (const v of Object.values(value)) collectIds(v, into, depth + 1);
}

/** Names for every id the entries mention. */
export async function resolveNames(db: DbOrTx, entries: AuditRow[]): Promise<Names> {
	const ids = new Set<string>();
	for (const e of entries) {
		if (e.actorId) ids.add(e.actorId.toLowerCase());
		collectIds(e.entityId, ids);
		collectIds(e.details, ids);
	}
	if (ids.size === 0) return {};
	const list = `{${[...ids].join(',')}}`;
	const found = await rows<{ id: string; label: string }>(
		db,
		sql`WITH ids AS (SELECT unnest(${list}::uuid[]) AS id)
			SELECT u.id::text, u.name AS label FROM users u JOIN ids USING (id)
			UNION ALL SELECT e.id::text, e.name FROM experts e JOIN ids USING (id)
			UNION ALL SELECT a.id::text, a.number || ' ' || a.title FROM applications a JOIN ids USING (id)
			UNION ALL SELECT c.id::text, c.code || ' ' || c.title FROM calls c JOIN ids USING (id)
			UNION ALL SELECT m.id::text, m.title FROM meetings m JOIN ids USING (id)
			UNION ALL SELECT i.id::text, a.number || ' · ' || m.title FROM meeting_items i JOIN ids USING (id)
				JOIN applications a ON a.id = i.application_id JOIN meetings m ON m.id = i.meeting_id
			UNION ALL SELECT d.id::text, d.title FROM documents d JOIN ids USING (id)
			UNION ALL SELECT s.id::text, x.name || ' · ' || a.number FROM assignments s JOIN ids USING (id)
				JOIN experts x ON x.id = s.expert_id JOIN applications a ON a.id = s.application_id
			UNION ALL SELECT d.id::text, a.number || ' v' || d.version FROM meeting_decisions d JOIN ids USING (id)
				JOIN applications a ON a.id = d.application_id
			UNION ALL SELECT f.id::text, f.file_name FROM application_attachments f JOIN ids USING (id)`
	);
	const names: Names = {};
	for (const r of found) names[r.id] ??= r.label;
	return names;
}

/** The actions that occur in the log, for the filter (codes not labelled elsewhere included). */
export async function actionsInUse(db: DbOrTx): Promise<string[]> {
	const list = await rows<{ action: string }>(db, sql`SELECT DISTINCT action FROM audit_log ORDER BY action`);
	return list.map((r) => r.action);
}

export async function lastVerification(db: DbOrTx) {
	const [row] = await db
		.select({ at: auditLog.at, actorName: auditLog.actorName, details: auditLog.details })
		.from(auditLog)
		.where(eq(auditLog.action, 'audit.verified'))
		.orderBy(desc(auditLog.seq))
		.limit(1);
	return row ?? null;
}
