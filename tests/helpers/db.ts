// A fresh, migrated database for one test file: in-memory PGlite, or, when DATABASE_URL is
// set, a new database created on that server and dropped afterwards, so suites never share
// data. Installs it as the process's database for domain code that calls db().
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { migrate, openDatabase, useDatabase, type Database } from '../../src/lib/server/db';
import { loadAuditSecrets, useAuditSecrets, type AuditSecrets } from '../../src/lib/server/audit/secrets';

export interface TestDatabase extends Database {
	/** The connection URL of the test's own database (Postgres only). */
	url?: string;
	/** The folder holding this database's audit key and anchor file. */
	auditDir: string;
	audit: AuditSecrets;
	drop(): Promise<void>;
}

export const usingPostgres = !!process.env.DATABASE_URL;

/** CI sets a per-run prefix so that a run cleans up only its own databases. */
function randomName(prefix: string): string {
	const run = process.env.PANELROOM_TEST_DB_PREFIX ?? 'pr';
	return `${run}_${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

/** Creates a database on the DATABASE_URL server and returns its URL. */
export async function createPostgresDatabase(prefix = 'test', base = process.env.DATABASE_URL!): Promise<{ url: string; drop(): Promise<void> }> {
	const name = randomName(prefix);
	const admin = postgres(base, { max: 1, onnotice: () => {} });
	await admin.unsafe(`CREATE DATABASE "${name}"`);
	await admin.end();
	const url = new URL(base);
	url.pathname = '/' + name;
	return {
		url: url.toString(),
		async drop() {
			const a = postgres(base, { max: 1, onnotice: () => {} });
			await a.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
			await a.end();
		}
	};
}

export async function createTestDatabase(options: { install?: boolean } = {}): Promise<TestDatabase> {
	let database: Database;
	let url: string | undefined;
	let dropDb: () => Promise<void> = async () => {};
	if (usingPostgres) {
		const created = await createPostgresDatabase();
		url = created.url;
		dropDb = created.drop;
		database = await openDatabase({ databaseUrl: url, max: 4 });
	} else {
		database = await openDatabase({ dataDir: 'memory://' });
	}
	await migrate(database);
	// Each database its own audit key and anchors, as each installation has.
	const auditDir = fs.mkdtempSync(path.join(os.tmpdir(), 'panelroom-audit-'));
	const secrets = loadAuditSecrets({ dataDir: auditDir, create: true });
	if (options.install !== false) {
		useDatabase(database);
		useAuditSecrets(secrets);
	}
	return {
		...database,
		url,
		auditDir,
		audit: secrets,
		async drop() {
			useDatabase(undefined);
			useAuditSecrets(undefined);
			await database.close();
			await dropDb();
			fs.rmSync(auditDir, { recursive: true, force: true });
		}
	};
}

/** The database's own message for a failing query (Drizzle wraps it in "Failed query"). */
export async function dbError(p: Promise<unknown>): Promise<string> {
	try {
		await p;
	} catch (e) {
		const err = e as { message?: string; cause?: { message?: string } };
		return `${err.cause?.message ?? ''} ${err.message ?? ''}`;
	}
	throw new Error('expected the query to fail');
}
