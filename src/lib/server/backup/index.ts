// Backup and restore, the same on PGlite and Postgres: a logical dump made by the app's own
// code inside one REPEATABLE READ transaction (a consistent snapshot while the app runs), and
// a restore that replaces every table in one transaction (all or nothing).
//
// The file (gzip by the caller) is text, one item per line:
//   {header JSON}                       format, time, source, migrations, audit head, key fingerprint
//   @table <name>                       then one line per row: to_jsonb(row)::text, never parsed
//                                       by JavaScript (numeric, bigint and bytea stay exact)
//   @sequences <JSON>                   every sequence's value
//   @anchors <JSON string>              the audit anchor file at the time of the backup
//   @end <JSON>                         row counts and the SHA-256 of every line before it
// The audit key is NOT in the file: it is the secret that proves the trail, kept apart.
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rows, type Database, type Db, type Tx } from '../db';
import { chainHead, type ChainHead } from '../audit/anchors';

export const BACKUP_FORMAT = 'panelroom-backup/1';

export interface BackupHeader {
	format: typeof BACKUP_FORMAT;
	createdAt: string;
	source: 'pglite' | 'postgres';
	/** Hashes of the applied migrations, in order: a restore needs the same schema. */
	migrations: string[];
	auditHead: ChainHead | null;
	/** Fingerprint of the audit key that sealed the trail (the key itself is not in the file). */
	keyFingerprint: string | null;
}

export interface BackupSummary {
	header: BackupHeader;
	tables: Record<string, number>;
	sha256: string;
}

export class BackupError extends Error {}

const quoteIdent = (name: string) => '"' + name.replace(/"/g, '""') + '"';

async function publicTables(db: Db | Tx): Promise<string[]> {
	const list = await rows<{ name: string }>(db, sql`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
	return list.map((r) => r.name);
}

export async function appliedMigrations(db: Db | Tx): Promise<string[]> {
	const list = await rows<{ hash: string }>(db, sql`SELECT hash FROM drizzle.__drizzle_migrations ORDER BY created_at, id`);
	return list.map((r) => r.hash);
}

/** Bytes per batch read from a table: a few rows of attachments, many of small tables. */
const BATCH_BYTES = 8 * 1024 * 1024;

/**
 * Writes a backup through `write` (one call per line, newline included). The anchor file's
 * text is read by the caller before this starts, so every anchor in it is in the snapshot.
 */
export async function writeBackup(
	database: Pick<Database, 'db' | 'kind'>,
	write: (line: string) => void | Promise<void>,
	audit: { anchorsText: string | null; keyFingerprint: string | null }
): Promise<BackupSummary> {
	const hash = createHash('sha256');
	const out = async (line: string) => {
		hash.update(line, 'utf8');
		await write(line);
	};
	return database.db.transaction(
		async (tx) => {
			const header: BackupHeader = {
				format: BACKUP_FORMAT,
				createdAt: new Date().toISOString(),
				source: database.kind,
				migrations: await appliedMigrations(tx),
				auditHead: await chainHead(tx),
				keyFingerprint: audit.keyFingerprint
			};
			await out(JSON.stringify(header) + '\n');
			const tables: Record<string, number> = {};
			for (const table of await publicTables(tx)) {
				await out(`@table ${table}\n`);
				let n = 0;
				let after = '(0,0)';
				let limit = 50;
				for (;;) {
					const batch = await rows<{ c: string; j: string }>(
						tx,
						sql`SELECT ctid::text AS c, to_jsonb(t)::text AS j FROM ${sql.raw(quoteIdent(table))} t WHERE ctid > ${after}::tid ORDER BY ctid LIMIT ${limit}`
					);
					let bytes = 0;
					for (const r of batch) {
						bytes += r.j.length;
						await out(r.j + '\n');
					}
					n += batch.length;
					if (batch.length < limit) break;
					after = batch[batch.length - 1].c;
					limit = Math.max(1, Math.min(2000, Math.floor(BATCH_BYTES / Math.max(1, bytes / batch.length))));
				}
				tables[table] = n;
			}
			const seqs = await rows<{ name: string }>(
				tx,
				sql`SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'S' AND n.nspname = 'public' ORDER BY c.relname`
			);
			const values: { name: string; value: string; called: boolean }[] = [];
			for (const s of seqs) {
				const [v] = await rows<{ last_value: string | number; is_called: boolean }>(tx, sql`SELECT last_value, is_called FROM ${sql.raw(quoteIdent(s.name))}`);
				values.push({ name: s.name, value: String(v.last_value), called: v.is_called });
			}
			await out(`@sequences ${JSON.stringify(values)}\n`);
			await out(`@anchors ${JSON.stringify(audit.anchorsText ?? '')}\n`);
			const sha256 = hash.copy().digest('hex');
			await write(`@end ${JSON.stringify({ tables, sha256 })}\n`);
			return { header, tables, sha256 };
		},
		{ isolationLevel: 'repeatable read', accessMode: 'read only' }
	);
}

export interface RestoreResult {
	header: BackupHeader;
	tables: Record<string, number>;
	/** The anchor file's text as it was at the backup. */
	anchorsText: string;
}

/** Rows sent to the database per INSERT, by size. */
const INSERT_BYTES = 4 * 1024 * 1024;

/**
 * Replaces every table's content with the backup's, in one transaction: if anything is wrong
 * (a damaged file, another schema) nothing is changed. Triggers (append-only, locks) and
 * foreign keys are not applied to the restored rows: they were checked when first written,
 * and the restored audit rows keep their seq, time, hash and seal.
 */
export async function restoreBackup(database: Pick<Database, 'db'>, lines: AsyncIterable<string>): Promise<RestoreResult> {
	const it = lines[Symbol.asyncIterator]();
	const hash = createHash('sha256');
	const next = async (): Promise<string | null> => {
		const r = await it.next();
		if (r.done) return null;
		return r.value;
	};
	const first = await next();
	let header: BackupHeader;
	try {
		header = JSON.parse(first ?? '');
	} catch {
		throw new BackupError('not a Panelroom backup');
	}
	if (header?.format !== BACKUP_FORMAT) throw new BackupError('not a Panelroom backup');
	hash.update(first + '\n', 'utf8');
	const applied = await appliedMigrations(database.db);
	if (applied.join() !== header.migrations.join()) {
		throw new BackupError(
			`the backup's schema (${header.migrations.length} migrations) is not this version's (${applied.length}): restore it with the version that made it, then upgrade`
		);
	}
	return database.db.transaction(async (tx) => {
		// Rows go back as they were: no trigger may renumber, re-time or refuse them.
		await tx.execute(sql`SET LOCAL session_replication_role = replica`);
		const tables = await publicTables(tx);
		if (tables.length) await tx.execute(sql.raw(`TRUNCATE ${tables.map(quoteIdent).join(', ')}`));
		const counts: Record<string, number> = {};
		let table: string | null = null;
		let batch: string[] = [];
		let batchBytes = 0;
		const flush = async () => {
			if (!table || batch.length === 0) return;
			await tx.execute(
				sql`INSERT INTO ${sql.raw(quoteIdent(table))} SELECT * FROM jsonb_populate_recordset(NULL::${sql.raw(quoteIdent(table))}, ${'[' + batch.join(',') + ']'}::jsonb)`
			);
			counts[table] = (counts[table] ?? 0) + batch.length;
			batch = [];
			batchBytes = 0;
		};
		let anchorsText = '';
		for (;;) {
			const line = await next();
			if (line === null) throw new BackupError('the backup is incomplete (no end marker)');
			if (line.startsWith('@end ')) {
				await flush();
				const end = JSON.parse(line.slice(5)) as { tables: Record<string, number>; sha256: string };
				if (end.sha256 !== hash.digest('hex')) throw new BackupError('the backup is damaged (checksum mismatch)');
				for (const [name, n] of Object.entries(end.tables)) {
					if ((counts[name] ?? 0) !== n) throw new BackupError(`the backup is damaged (${name}: ${counts[name] ?? 0} rows of ${n})`);
				}
				return { header, tables: counts, anchorsText };
			}
			hash.update(line + '\n', 'utf8');
			if (line.startsWith('@table ')) {
				await flush();
				table = line.slice(7);
				if (!tables.includes(table)) throw new BackupError(`the backup has a table this version does not: ${table}`);
				counts[table] = 0;
			} else if (line.startsWith('@sequences ')) {
				await flush();
				table = null;
				for (const s of JSON.parse(line.slice(11)) as { name: string; value: string; called: boolean }[]) {
					await tx.execute(sql`SELECT setval(${quoteIdent(s.name)}::regclass, ${s.value}::bigint, ${s.called})`);
				}
			} else if (line.startsWith('@anchors ')) {
				anchorsText = JSON.parse(line.slice(9));
			} else {
				if (!table) throw new BackupError('the backup is damaged (a row outside a table)');
				batch.push(line);
				batchBytes += line.length;
				if (batchBytes >= INSERT_BYTES || batch.length >= 1000) await flush();
			}
		}
	});
}
