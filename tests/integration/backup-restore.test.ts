// Backup and restore as a round trip, on PGlite and (DATABASE_URL) Postgres: back up the
// demo center, change things, restore, and the data is what it was, the audit trail verifies
// (its anchors put back with it) and new rows are sealed after it. A damaged backup changes
// nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { rows } from '../../src/lib/server/db';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { audit } from '../../src/lib/server/audit';
import { anchorNow } from '../../src/lib/server/audit/anchors';
import { verifyAudit } from '../../src/lib/server/audit/verify';
import { backupToFile, restoreFromFile } from '../../src/lib/server/backup/files';
import { loadAuditSecrets } from '../../src/lib/server/audit/secrets';

let t: TestDatabase;
let dir: string;

beforeAll(async () => {
	t = await createTestDatabase();
	await seedDemo(t.db);
	await anchorNow('test', t.db);
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panelroom-backup-'));
});
afterAll(async () => {
	await t?.drop();
	fs.rmSync(dir, { recursive: true, force: true });
});

/** Every table's content, as a digest per table (row order does not matter). */
async function contents(exceptAuditAfter?: number): Promise<Record<string, string>> {
	const tables = await rows<{ name: string }>(t.db, sql`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
	const out: Record<string, string> = {};
	for (const { name } of tables) {
		const where = name === 'audit_log' && exceptAuditAfter !== undefined ? sql`WHERE seq <= ${exceptAuditAfter}` : sql``;
		const [r] = await rows<{ d: string | null; n: number }>(
			t.db,
			sql`SELECT md5(string_agg(j, E'\n' ORDER BY j)) AS d, count(*)::int AS n FROM (SELECT to_jsonb(x)::text AS j FROM ${sql.raw(`"${name}"`)} x ${where}) s`
		);
		out[name] = `${r.n}:${r.d ?? ''}`;
	}
	return out;
}

describe('backup and restore', () => {
	it('round-trips every table exactly, and the audit trail verifies after the restore', async () => {
		const file = path.join(dir, 'center.gz');
		const before = await contents();
		expect(Number(before.users.split(':')[0])).toBeGreaterThan(10);
		const summary = await backupToFile(t, file, t.audit);
		expect(summary.tables.audit_log).toBeGreaterThan(0);
		expect(summary.header.keyFingerprint).toMatch(/^[0-9a-f]{16}$/);
		const head = summary.header.auditHead!.seq;

		// Changes after the backup: all of them must be gone after the restore.
		await audit(t.db, { name: '赵敏' }, 'user.updated', { type: 'user', id: 'x' }, { after: 'backup' });
		await t.db.execute(sql`UPDATE users SET name = '改名' WHERE username = 'intake'`);
		await t.db.execute(sql`DELETE FROM sessions`);
		await anchorNow('test', t.db);
		expect(await contents()).not.toEqual(before);

		const restored = await restoreFromFile(t, file, t.audit);
		expect(restored.tables).toEqual(summary.tables);
		expect(restored.previousAnchors).toBeTruthy();
		// Everything as it was; the audit trail has one more entry: the restore itself.
		expect(await contents(head)).toEqual(before);
		const [last] = await rows<{ seq: number; action: string }>(t.db, sql`SELECT seq::int, action FROM audit_log ORDER BY seq DESC LIMIT 1`);
		expect(last).toEqual({ seq: head + 1, action: 'backup.restored' });
		const report = await verifyAudit(t.db, t.audit);
		expect(report, JSON.stringify(report.problems)).toMatchObject({ ok: true, count: head + 1 });
		expect(report.anchors.newest?.reason).toBe('restore');
		// The anchors written after the backup (past its head) were set aside, not lost.
		expect(fs.readFileSync(restored.previousAnchors!, 'utf8')).toContain(`"seq":${head + 1}`);

		// Sequences continue after the restored rows; new rows are sealed onto the chain.
		await audit(t.db, { name: '赵敏' }, 'auth.login', null, {});
		expect((await verifyAudit(t.db, t.audit)).ok).toBe(true);
	});

	it('refuses a damaged backup and changes nothing', async () => {
		const file = path.join(dir, 'again.gz');
		await backupToFile(t, file, t.audit);
		const before = await contents();
		const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
		const lines = text.split('\n');
		const i = lines.findIndex((l) => l === '@table users');
		lines[i + 1] = lines[i + 1].replace('"name": "', '"name": "X');
		expect(lines[i + 1]).toContain('"name": "X');
		const damaged = path.join(dir, 'damaged.gz');
		fs.writeFileSync(damaged, zlib.gzipSync(lines.join('\n')));
		await expect(restoreFromFile(t, damaged, t.audit)).rejects.toThrow(/damaged/);
		const cut = path.join(dir, 'cut.gz');
		fs.writeFileSync(cut, zlib.gzipSync(text.slice(0, Math.floor(text.length / 2))));
		await expect(restoreFromFile(t, cut, t.audit)).rejects.toThrow(/incomplete|damaged/);
		expect(await contents()).toEqual(before);
	});

	it('refuses a backup sealed with another audit key', async () => {
		const file = path.join(dir, 'key.gz');
		await backupToFile(t, file, t.audit);
		const other = loadAuditSecrets({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'panelroom-otherkey-')), create: true });
		await expect(restoreFromFile(t, file, other)).rejects.toThrow(/sealed with key/);
	});
});
