// The commands on a real installation (built server, PGlite data folder or, with DATABASE_URL,
// a Postgres database): `npm run backup` while the server runs, `npm run restore` after it
// stops, `npm run audit:verify` — intact after the restore, and exiting non-zero, naming the
// first bad row, once someone with database rights has removed the newest rows or edited one.
// Needs `npm run build`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { login, startServer, type TestServer } from '../helpers/server';
import { openDatabase, rows, type Database } from '../../src/lib/server/db';

let server: TestServer;
const root = path.resolve(import.meta.dirname, '../..');

beforeAll(async () => {
	server = await startServer();
});
afterAll(async () => server?.dispose());

function run(script: string, args: string[] = []): Promise<{ code: number; out: string }> {
	const env: NodeJS.ProcessEnv = { ...process.env, PANELROOM_DATA: server.dataDir, LOG_LEVEL: 'warn' };
	delete env.DATABASE_URL;
	if (server.databaseUrl) env.DATABASE_URL = server.databaseUrl;
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), `scripts/${script}.ts`, ...args], { cwd: root, env });
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (out += d));
		child.on('exit', (code) => resolve({ code: code ?? -1, out }));
	});
}

/** The installation's database, opened directly (the server must be stopped for PGlite). */
async function direct(): Promise<Database> {
	return server.databaseUrl ? openDatabase({ databaseUrl: server.databaseUrl, max: 1 }) : openDatabase({ dataDir: server.dataDir });
}

describe('npm run backup / restore / audit:verify', () => {
	it('backs up while the server runs, restores after it stops, and the trail verifies', async () => {
		await login(server.url, 'admin');
		const file = path.join(server.dataDir, '..', `${path.basename(server.dataDir)}-backup.gz`);
		const backup = await run('backup', [file]);
		expect(backup.out).toContain('backup written');
		expect(backup.code).toBe(0);
		expect(fs.statSync(file).size).toBeGreaterThan(1000);

		const live = await run('audit-verify');
		expect(live.out).toContain('intact');
		expect(live.code).toBe(0);
		// Something happens after the backup: it will be gone after the restore.
		await login(server.url, 'intake');
		await server.stop();

		expect((await run('restore', [file])).code).toBe(1); // not without --yes
		const restore = await run('restore', [file, '--yes']);
		expect(restore.out).toContain('intact');
		expect(restore.code).toBe(0);
		const db = await direct();
		try {
			const logins = await rows<{ actor_name: string }>(db.db, sql`SELECT actor_name FROM audit_log WHERE action = 'auth.login' ORDER BY seq`);
			expect(logins.map((r) => r.actor_name)).toEqual(['赵敏']);
		} finally {
			await db.close();
		}
		expect((await run('audit-verify')).code).toBe(0);
		fs.rmSync(file);
	}, 240_000);

	it('exits non-zero naming the first bad row: the newest rows removed, then a row edited and re-hashed', async () => {
		const db = await direct();
		let head: number;
		try {
			[{ head }] = await rows<{ head: number }>(db.db, sql`SELECT max(seq)::int AS head FROM audit_log`);
			await db.db.transaction(async (tx) => {
				await tx.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
				await tx.execute(sql`DELETE FROM audit_log WHERE seq > ${head - 2}`);
				await tx.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
			});
		} finally {
			await db.close();
		}
		const truncated = await run('audit-verify');
		expect(truncated.code).toBe(1);
		expect(truncated.out).toContain(`first bad entry: #${head - 1}`);
		expect(truncated.out).toContain('the newest entries were removed');

		const db2 = await direct();
		try {
			await db2.db.transaction(async (tx) => {
				await tx.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
				await tx.execute(sql`UPDATE audit_log SET actor_name = '某人' WHERE seq = 3`);
				const [{ max }] = await rows<{ max: number }>(tx, sql`SELECT max(seq)::int AS max FROM audit_log`);
				for (let seq = 3; seq <= max; seq++) {
					await tx.execute(sql`UPDATE audit_log a SET prev_hash = coalesce((SELECT hash FROM audit_log p WHERE p.seq = a.seq - 1), '') WHERE seq = ${seq}`);
					await tx.execute(sql`UPDATE audit_log SET hash = audit_log_row_hash(prev_hash, seq, at, actor_id, actor_name, ip, action, entity_type, entity_id, details) WHERE seq = ${seq}`);
				}
				await tx.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
			});
		} finally {
			await db2.close();
		}
		const edited = await run('audit-verify');
		expect(edited.code).toBe(1);
		expect(edited.out).toContain('first bad entry: #3');
		expect(edited.out).toMatch(/#3 .*seal does not match/);
	}, 120_000);
});
