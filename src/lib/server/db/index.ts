// The one database connection of this process: embedded PGlite in a data folder, or
// postgres.js when DATABASE_URL is set. Migrations run in code at start, under an advisory
// lock so that several processes starting together never race. This engine opens and
// migrates only; start-up (app/) seeds and starts what runs on top.
import fs from 'node:fs';
import path from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import * as schema from '$db/schema';
import { config } from '../config';
import { logger } from '../log';
import { setDatabaseProbe } from './health';
import { slot } from '../runtime';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either the database or an open transaction: domain functions accept both. */
export type DbOrTx = Db | Tx;

export interface Database {
	db: Db;
	kind: 'pglite' | 'postgres';
	/** The server's URL (postgres only): migrations use a connection of their own. */
	url?: string;
	close(): Promise<void>;
}

export interface OpenOptions {
	databaseUrl?: string;
	/** A PGlite data folder; `memory://` for a throwaway database. */
	dataDir?: string;
	/** Connections in the postgres.js pool. */
	max?: number;
}

/** Where the committed drizzle-kit migrations are, from the repository root or a test's cwd. */
export function migrationsFolder(): string {
	const candidates = [
		process.env.PANELROOM_MIGRATIONS,
		path.resolve('db/migrations'),
		path.resolve(import.meta.dirname ?? '.', '../../../../db/migrations'),
		path.resolve(import.meta.dirname ?? '.', '../../db/migrations')
	].filter((p): p is string => !!p);
	const found = candidates.find((p) => fs.existsSync(path.join(p, 'meta', '_journal.json')));
	if (!found) throw new Error(`migrations not found (looked in ${candidates.join(', ')})`);
	return found;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
	if (options.databaseUrl) {
		const { default: postgres } = await import('postgres');
		const { drizzle } = await import('drizzle-orm/postgres-js');
		const client = postgres(options.databaseUrl, {
			max: options.max ?? 10,
			onnotice: () => {},
			connection: { application_name: 'panelroom' }
		});
		const db = drizzle(client, { schema }) as unknown as Db;
		return { db, kind: 'postgres', url: options.databaseUrl, close: () => client.end({ timeout: 5 }) };
	}
	const dataDir = options.dataDir ?? config().dataDir;
	const { PGlite } = await import('@electric-sql/pglite');
	const { drizzle } = await import('drizzle-orm/pglite');
	if (!dataDir.startsWith('memory://')) fs.mkdirSync(dataDir, { recursive: true });
	const client = await PGlite.create(dataDir.startsWith('memory://') ? undefined : dataDir);
	const db = drizzle(client, { schema }) as unknown as Db;
	return { db, kind: 'pglite', close: () => client.close() };
}

const MIGRATION_LOCK = 72610000;

/** Applies every committed migration not yet applied; safe to call twice and from several processes. */
export async function migrate(database: Database): Promise<void> {
	const migrationsFolderPath = migrationsFolder();
	if (database.kind === 'postgres' && database.url) {
		const { default: postgres } = await import('postgres');
		const { drizzle } = await import('drizzle-orm/postgres-js');
		const { migrate: run } = await import('drizzle-orm/postgres-js/migrator');
		// One connection holds a session lock while it migrates; other processes wait on it.
		const client = postgres(database.url, { max: 1, onnotice: () => {} });
		try {
			await client`SELECT pg_advisory_lock(${MIGRATION_LOCK})`;
			await run(drizzle(client), { migrationsFolder: migrationsFolderPath });
		} finally {
			await client.end({ timeout: 5 });
		}
	} else {
		const { migrate: run } = await import('drizzle-orm/pglite/migrator');
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		await run(database.db as any, { migrationsFolder: migrationsFolderPath });
	}
}

/** Rows of a raw query, whichever driver ran it. */
export async function rows<T = Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
	const result = (await db.execute(query)) as unknown;
	if (Array.isArray(result)) return result as T[];
	return ((result as { rows?: T[] }).rows ?? []) as T[];
}

const current = slot<Promise<Database>>('database');
/** Below this much room under the PGlite folder, /healthz says the database cannot save. */
const MIN_FREE_BYTES = 8 * 1024 * 1024;

/**
 * Opens and migrates the process's database once; every caller gets the same promise,
 * whichever bundle it lives in. `prepare` runs once on the new database before anyone else
 * gets it (start-up seeds the demo and starts the audit anchors there).
 */
export function ensureDatabase(prepare?: (database: Database) => Promise<void>): Promise<Database> {
	let p = current.get();
	if (!p) {
		p = (async () => {
			const cfg = config();
			const started = Date.now();
			const database = await openDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir });
			await migrate(database);
			await prepare?.(database);
			logger().info(
				{ kind: database.kind, dataDir: database.kind === 'pglite' ? cfg.dataDir : undefined, ms: Date.now() - started },
				'database ready'
			);
			setDatabaseProbe(async () => {
				await database.db.execute(sql`SELECT 1`);
				// PGlite writes to this folder: a disk without room refuses writes, though it answers reads.
				if (database.kind === 'pglite') {
					const s = await fs.promises.statfs(cfg.dataDir);
					if (s.bavail * s.bsize < MIN_FREE_BYTES) throw Object.assign(new Error(`no space left on device under ${cfg.dataDir}`), { code: 'ENOSPC' });
				}
			});
			resolved.set(database);
			return database;
		})();
		p.catch(() => current.set(undefined));
		current.set(p);
	}
	return p;
}

const resolved = slot<Database>('database.resolved');

/** The open database. Server code runs after start-up, which opened it. */
export function db(): Db {
	const database = resolved.get();
	if (!database) throw new Error('database not open yet: call ensureDatabase() at start-up');
	return database.db;
}

/** Installs a database opened elsewhere (tests). */
export function useDatabase(database: Database | undefined): void {
	resolved.set(database);
	current.set(database ? Promise.resolve(database) : undefined);
}

export async function closeDatabase(): Promise<void> {
	const database = resolved.get();
	useDatabase(undefined);
	await database?.close();
}
