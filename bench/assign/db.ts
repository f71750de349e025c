// The whole assignment run on an in-memory PGlite database: the call's 2,000 accepted
// applications and 500 experts are inserted first, then runMatching is timed end to end.
import { createTestDatabase } from '../../tests/helpers/db';
import * as s from '../../db/schema';
import { seedDemo, STEPS } from '../../src/lib/server/demo/seed';
import { runMatching } from '../../src/lib/server/assignment/index';
import { eq } from 'drizzle-orm';
import { makeCreditCode } from '../../src/lib/credit-code';
import type { ScenarioApplication, ScenarioExpert } from './scenario';

export async function runOnDatabase(applications: ScenarioApplication[], experts: ScenarioExpert[]) {
	const t = await createTestDatabase();
	try {
		await seedDemo(t.db, STEPS.filter((step) => step.name === 'organization'));
		const [call] = await t.db.select().from(s.calls).where(eq(s.calls.code, 'IF2026'));
		await t.db.update(s.calls).set({ maxPerExpert: 30 }).where(eq(s.calls.id, call.id));
		// The demo's own experts and applications are set aside: the bench's replace them.
		await t.db.update(s.experts).set({ active: false });
		for (let i = 0; i < experts.length; i += 250) {
			await t.db.insert(s.experts).values(
				experts.slice(i, i + 250).map((e, k) => ({ name: `专家${i + k + 1}`, institution: e.institution, kind: e.kind, primaryField: e.primaryField as never, secondaryFields: e.secondaryFields as never[] }))
			);
		}
		for (let i = 0; i < applications.length; i += 250) {
			await t.db.insert(s.applications).values(
				applications.slice(i, i + 250).map((a, k) => ({
					number: `IF2026-${String(1000 + i + k).padStart(5, '0')}`,
					callId: call.id,
					enterpriseName: a.enterpriseName,
					creditCode: makeCreditCode('9', '1', '110108', String(20000000 + i + k)),
					contactName: '联系人',
					contactPhone: '010-12345678',
					title: `项目${i + k + 1}`,
					field: a.field as never,
					requestedAmount: '80',
					status: 'accepted' as const,
					submittedAt: new Date()
				}))
			);
		}
		const started = performance.now();
		const run = await runMatching(t.db, { name: 'bench' }, call.id);
		const ms = performance.now() - started;
		console.log(`End to end on ${t.kind === 'pglite' ? 'PGlite (in memory)' : 'Postgres (DATABASE_URL)'}, one transaction:`);
		console.log(`  runMatching            ${ms.toFixed(0)} ms  (read ${run?.readMs?.toFixed(0)} ms, plan ${run?.ms.toFixed(0)} ms, write ${run?.writeMs?.toFixed(0)} ms: ${run?.assigned} assignments, statuses and audit; ${run?.unstaffed.length} unstaffed)\n`);
	} finally {
		await t.drop();
	}
}
