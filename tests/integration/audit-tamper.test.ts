// The audit trail against someone who can write the database: they disable the append-only
// triggers (as a database owner can) and edit, re-hash, delete or truncate rows with raw SQL,
// using the schema's own audit_log_row_hash to make the hash chain look intact. Each attack
// must be named, at its first bad row, by verification: the seals need a key the database
// never holds, and the anchors live outside it. Runs on PGlite and (DATABASE_URL) Postgres.
import fs from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { rows, type Tx } from '../../src/lib/server/db';
import { audit, verifyAuditChain } from '../../src/lib/server/audit';
import { anchorNow, readAnchors } from '../../src/lib/server/audit/anchors';
import { verifyAudit } from '../../src/lib/server/audit/verify';

let t: TestDatabase;
const ROWS = 12;

beforeAll(async () => {
	t = await createTestDatabase();
	const actor = { id: null, name: '赵敏', ip: '10.0.0.7' };
	for (let i = 1; i <= ROWS; i++) {
		await audit(t.db, actor, i % 3 === 0 ? 'application.status' : 'auth.login', { type: 'application', id: `app-${i}` }, { number: `IF2026-${String(i).padStart(4, '0')}`, from: 'submitted', to: 'accepted', amount: 1.5, nested: { b: 2, a: [1, '二'] } });
	}
	// The head is anchored outside the database (the app does this at intervals and locks).
	const anchor = await anchorNow('test', t.db);
	expect(anchor?.seq).toBe(ROWS);
});
afterAll(async () => t?.drop());

/** Runs an attack in a transaction that is rolled back, verifying inside it. */
async function attack(steps: (tx: Tx) => Promise<void>): Promise<{ chain: Awaited<ReturnType<typeof verifyAuditChain>>; full: Awaited<ReturnType<typeof verifyAudit>> }> {
	let out: Awaited<ReturnType<typeof attack>> | undefined;
	await t.db
		.transaction(async (tx) => {
			await tx.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
			await tx.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_chain`);
			await steps(tx as unknown as Tx);
			out = { chain: await verifyAuditChain(tx), full: await verifyAudit(tx, t.audit) };
			tx.rollback();
		})
		.catch((e) => {
			if (!String(e).includes('Rollback')) throw e;
		});
	return out!;
}

/** Recomputes prev_hash and hash from `from` on, as the schema itself would. */
async function rehashFrom(tx: Tx, from: number) {
	const [{ max }] = await rows<{ max: number }>(tx, sql`SELECT max(seq)::int AS max FROM audit_log`);
	for (let seq = from; seq <= max; seq++) {
		await tx.execute(sql`UPDATE audit_log a SET prev_hash = coalesce((SELECT hash FROM audit_log p WHERE p.seq = a.seq - 1), '') WHERE seq = ${seq}`);
		await tx.execute(
			sql`UPDATE audit_log SET hash = audit_log_row_hash(prev_hash, seq, at, actor_id, actor_name, ip, action, entity_type, entity_id, details) WHERE seq = ${seq}`
		);
	}
}

beforeEach(async () => {
	const report = await verifyAudit(t.db, t.audit);
	expect(report, JSON.stringify(report.problems)).toMatchObject({ ok: true, count: ROWS, sealed: ROWS });
});

describe('the audit trail against a database writer', () => {
	it('is intact as written: every row sealed, the anchor matching the head', async () => {
		const report = await verifyAudit(t.db, t.audit);
		expect(report.anchors).toMatchObject({ count: 1, checked: 1 });
		expect(report.anchors.newest?.seq).toBe(ROWS);
		expect(await verifyAuditChain(t.db)).toEqual({ ok: true, count: ROWS });
	});

	it('names an edited row', async () => {
		const { chain, full } = await attack(async (tx) => {
			await tx.execute(sql`UPDATE audit_log SET actor_name = '某人' WHERE seq = 5`);
		});
		expect(chain).toMatchObject({ ok: false, brokenAt: 5 });
		expect(full.firstBad).toMatchObject({ seq: 5 });
		expect(full.problems.map((p) => p.kind)).toContain('seal');
	});

	it('names a row edited and re-hashed with the schema’s own function', async () => {
		const { chain, full } = await attack(async (tx) => {
			await tx.execute(sql`UPDATE audit_log SET details = jsonb_set(details, '{to}', '"rejected"') WHERE seq = 6`);
			await rehashFrom(tx, 6);
		});
		expect(full.problems.map((p) => p.kind)).not.toContain('hash'); // the hash chain was made to hold…
		expect(chain).toMatchObject({ ok: false, brokenAt: 6 }); // …the seals do not
		expect(full.firstBad).toMatchObject({ kind: 'seal', seq: 6 });
	});

	it('names a middle row deleted and the rest renumbered and re-hashed', async () => {
		const { chain, full } = await attack(async (tx) => {
			await tx.execute(sql`DELETE FROM audit_log WHERE seq = 4`);
			await tx.execute(sql`UPDATE audit_log SET seq = -(seq - 1) WHERE seq > 4`);
			await tx.execute(sql`UPDATE audit_log SET seq = -seq WHERE seq < 0`);
			await rehashFrom(tx, 4);
		});
		expect(chain).toMatchObject({ ok: false, brokenAt: 4 });
		expect(full.firstBad).toMatchObject({ kind: 'seal', seq: 4 });
		// The anchor at the old head now points past the last row too.
		expect(full.problems.map((p) => p.kind)).toContain('truncated');
	});

	it('names a middle row deleted without renumbering', async () => {
		const { chain, full } = await attack(async (tx) => {
			await tx.execute(sql`DELETE FROM audit_log WHERE seq = 7`);
			await rehashFrom(tx, 8);
		});
		expect(chain).toMatchObject({ ok: false, brokenAt: 7 });
		expect(full.firstBad).toMatchObject({ kind: 'missing', seq: 7 });
	});

	it('names the newest rows removed', async () => {
		const { chain, full } = await attack(async (tx) => {
			await tx.execute(sql`DELETE FROM audit_log WHERE seq > ${ROWS - 3}`);
		});
		expect(chain).toMatchObject({ ok: false, brokenAt: ROWS - 2 });
		expect(full.firstBad).toMatchObject({ kind: 'truncated', seq: ROWS - 2 });
	});

	it('names a row inserted behind the app’s back (no seal)', async () => {
		const { full } = await attack(async (tx) => {
			await tx.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_chain`);
			await tx.execute(sql`INSERT INTO audit_log (action, actor_name) VALUES ('auth.login', '伪造')`);
		});
		expect(full.firstBad).toMatchObject({ kind: 'unsealed', seq: ROWS + 1 });
	});

	it('names a forged or foreign anchor line, and an anchor a rewritten row no longer matches', async () => {
		const path = t.audit.anchorsPath;
		const before = fs.readFileSync(path, 'utf8');
		try {
			const line = JSON.parse(before.trim().split('\n')[0]);
			fs.appendFileSync(path, JSON.stringify({ ...line, seq: 3 }) + '\n');
			const forged = await verifyAudit(t.db, t.audit);
			expect(forged.ok).toBe(false);
			expect(forged.problems).toContainEqual(expect.objectContaining({ kind: 'anchor_line', line: 2 }));
			expect(readAnchors(path, t.audit.key).anchors).toHaveLength(1);
		} finally {
			fs.writeFileSync(path, before);
		}
	});

	it('seals new rows after an attack was rolled back, and the trigger refuses a row out of order', async () => {
		const entry = await audit(t.db, { name: 'x' }, 'auth.logout', null, {});
		expect(entry.seq).toBe(ROWS + 1);
		const err = await t.db.execute(sql`INSERT INTO audit_log (seq, action, seal) VALUES (${ROWS + 5}, 'auth.login', 'forged')`).then(
			() => '',
			(e) => String(e.cause?.message ?? e.message)
		);
		expect(err).toMatch(/not the next one/);
		await t.db.transaction(async (tx) => {
			await tx.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
			await tx.execute(sql`DELETE FROM audit_log WHERE seq = ${ROWS + 1}`);
			await tx.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
		});
	});
});
