// Migrations, the demo seed and the audit trail, on PGlite and (with DATABASE_URL) Postgres.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq, sql } from 'drizzle-orm';
import * as s from '../../db/schema';
import { createTestDatabase, dbError, type TestDatabase } from '../helpers/db';
import { migrate, rows } from '../../src/lib/server/db';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { audit, verifyAuditChain } from '../../src/lib/server/audit';
import { IF_TECHNICAL_RUBRIC } from '../../src/lib/server/demo/organization';
import { isValidCreditCode } from '../../src/lib/credit-code';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase();
});
afterAll(async () => t?.drop());

async function tableCounts() {
	const out: Record<string, number> = {};
	for (const [name, table] of Object.entries({ users: s.users, divisions: s.divisions, experts: s.experts, applications: s.applications, calls: s.calls, rubricItems: s.rubricItems })) {
		const [{ n }] = await t.db.select({ n: count() }).from(table);
		out[name] = n;
	}
	return out;
}

describe('migrations', () => {
	it('apply cleanly to an empty database and a second time change nothing', async () => {
		const before = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`);
		await migrate(t);
		await migrate(t);
		const after = await rows<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`);
		expect(after[0].n).toBe(before[0].n);
		expect(after[0].n).toBeGreaterThanOrEqual(14);
	});
});

describe('demo seed', () => {
	it('seeds the center once and is idempotent', async () => {
		const first = await seedDemo(t.db);
		expect(first).toContain('organization');
		const counts = await tableCounts();
		expect(counts.divisions).toBe(10);
		expect(counts.experts).toBeGreaterThanOrEqual(12);
		expect(counts.applications).toBe(20);
		const second = await seedDemo(t.db);
		expect(second).toEqual([]);
		expect(await tableCounts()).toEqual(counts);
	});

	it('has every demo account, the Innovation Fund rubric summing to 100 and valid credit codes', async () => {
		const names = (await t.db.select({ u: s.users.username }).from(s.users)).map((r) => r.u);
		for (const u of ['admin', 'intake', 'planner', 'chair', 'applicant1', ...Array.from({ length: 8 }, (_, i) => `expert${i + 1}`)]) expect(names).toContain(u);
		const total = IF_TECHNICAL_RUBRIC.groups.flatMap((g) => g.items).reduce((a, i) => a + i.weight, 0);
		expect(total).toBe(100);
		const groups = Object.fromEntries(IF_TECHNICAL_RUBRIC.groups.map((g) => [g.key, g.items.reduce((a, i) => a + i.weight, 0)]));
		expect(groups).toEqual({ capability: 20, innovation: 35, market: 25, businessModel: 20 });
		const apps = await t.db.select({ code: s.applications.creditCode, status: s.applications.status }).from(s.applications);
		expect(apps.every((a) => isValidCreditCode(a.code))).toBe(true);
		expect(new Set(apps.map((a) => a.status)).size).toBeGreaterThanOrEqual(4);
		const [admin] = await t.db.select().from(s.users).where(eq(s.users.username, 'admin'));
		expect(admin.isAdmin).toBe(true);
	});
});

describe('audit trail', () => {
	it('chains entries and verifies them', async () => {
		await audit(t.db, { name: '测试', ip: '127.0.0.1' }, 'test.one', { type: 'x', id: '1' }, { note: '中文' });
		await Promise.all(Array.from({ length: 10 }, (_, i) => audit(t.db, { name: 'p' }, 'test.concurrent', null, { i })));
		const report = await verifyAuditChain(t.db);
		expect(report.ok).toBe(true);
		expect(report.count).toBeGreaterThanOrEqual(11);
		const seqs = (await t.db.select({ seq: s.auditLog.seq }).from(s.auditLog)).map((r) => Number(r.seq)).sort((a, b) => a - b);
		expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
	});

	it('refuses UPDATE, DELETE and TRUNCATE in the database itself', async () => {
		expect(await dbError(t.db.execute(sql`UPDATE audit_log SET action = 'forged' WHERE seq = 1`))).toMatch(/append-only/);
		expect(await dbError(t.db.execute(sql`DELETE FROM audit_log WHERE seq = 1`))).toMatch(/append-only/);
		expect(await dbError(t.db.execute(sql`TRUNCATE audit_log`))).toMatch(/append-only/);
	});

	it('detects an entry altered behind the trigger’s back', async () => {
		await t.db.transaction(async (tx) => {
			await tx.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
			await tx.execute(sql`UPDATE audit_log SET details = '{"note":"篡改"}' WHERE seq = 2`);
			const report = await verifyAuditChain(tx);
			expect(report).toMatchObject({ ok: false, brokenAt: 2 });
			tx.rollback();
		}).catch((e) => {
			if (!String(e).includes('Rollback')) throw e;
		});
		expect((await verifyAuditChain(t.db)).ok).toBe(true);
	});
});
