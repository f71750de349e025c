// Issue 14 (parts 1, 7, 8) against a real database (PGlite, or Postgres with DATABASE_URL):
// the random draw on the demo data with the default pool factor draws people, its report
// carries the per-kind numbers, its verify step says when there is nothing to verify; the
// call's results (raw and calibrated) are right; and the results API answers the call's
// staff only, tried from the side of an expert, an applicant and another division's staff.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import * as s from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { actorOf, callByCode, principal } from '../helpers/factories';
import { seedDemo, STEPS } from '../../src/lib/server/demo/seed';
import { POOL_EXPERTS } from '../../src/lib/server/demo/pool';
import { runDraw, verifyDraw } from '../../src/lib/server/assignment';
import { callResults } from '../../src/lib/server/calls/calibration';
import { callDashboard } from '../../src/lib/server/calls/dashboard';
import { resultsFor, visibleCalls } from '../../src/lib/server/calls/api';
import { login, startServer, type TestServer } from '../helpers/server';

let t: TestDatabase;

beforeAll(async () => {
	t = await createTestDatabase();
	// The demo before the decided second panel and its publication: three applications await a draw, one lock in the trail.
	await seedDemo(t.db, STEPS.filter((step) => !['publications', 'opinions'].includes(step.name)));
}, 180_000);
afterAll(async () => t?.drop());

const UNASSIGNED = ['IF2026-0008', 'IF2026-0009', 'IF2026-0010'];

describe('the random draw on the demo data', () => {
	it('the demo pool adds experts without logins', async () => {
		const names = (await t.db.select({ name: s.experts.name, userId: s.experts.userId }).from(s.experts)).filter((e) => POOL_EXPERTS.some((p) => p.name === e.name));
		expect(names).toHaveLength(POOL_EXPERTS.length);
		expect(names.every((e) => e.userId === null)).toBe(true);
	});

	it('a pool short of the rule draws nothing, says which kind and by how much; verify has nothing to verify', async () => {
		const intake = await principal(t.db, 'intake');
		const call = await callByCode(t.db, 'IF2026');
		// 4 × 2 technical = 8: each unassigned application's field has 7 technical experts.
		await t.db.update(s.calls).set({ selection: 'draw', poolFactor: 4 }).where(eq(s.calls.id, call.id));
		const run = await runDraw(t.db, actorOf(intake), call.id, 'short-pool');
		expect(run!.assigned).toBe(0);
		expect(run!.unstaffed.map((u) => u.number).sort()).toEqual(UNASSIGNED);
		for (const u of run!.unstaffed) {
			// The finance pool (4 ≥ 4 × 1) is fine; only the technical one is reported, with its numbers.
			expect(u).toMatchObject({ form: 'technical', reason: 'poolTooSmall', needed: 2, required: 8, assigned: 0 });
			expect(u.eligible).toBe(7);
		}
		const verification = await verifyDraw(t.db, run!.runId);
		expect(verification).toEqual({ ok: false, code: 'nothingToVerify', checked: 0, mismatches: [] });
	});

	it('the default factor (3) draws 2 technical + 1 finance for each unassigned application, and verifies', async () => {
		const intake = await principal(t.db, 'intake');
		const call = await callByCode(t.db, 'IF2026');
		await t.db.update(s.calls).set({ poolFactor: 3 }).where(eq(s.calls.id, call.id));
		const run = await runDraw(t.db, actorOf(intake), call.id, 'IF2026-公开抽取-default');
		expect(run!.unstaffed).toEqual([]);
		expect(run!.assigned).toBe(9);
		const [stored] = await t.db.select().from(s.assignmentRuns).where(eq(s.assignmentRuns.id, run!.runId));
		expect(stored.draws.map((d) => d.number).sort()).toEqual(UNASSIGNED);
		for (const d of stored.draws) {
			expect(d.drawn).toHaveLength(3);
			expect(d.technicalPool.length).toBeGreaterThanOrEqual(3 * d.technicalNeeded);
			expect(d.financePool.length).toBeGreaterThanOrEqual(3 * d.financeNeeded);
		}
		expect(stored.params).toMatchObject({ poolFactor: 3 });
		expect(await verifyDraw(t.db, run!.runId)).toEqual({ ok: true, checked: 3, mismatches: [] });
		// A matching run is not a draw: nothing to replay, told apart from "nothing drawn".
		const [matching] = await t.db.select().from(s.assignmentRuns).where(eq(s.assignmentRuns.method, 'matching')).limit(1);
		expect(await verifyDraw(t.db, matching.id)).toMatchObject({ ok: false, code: 'notFound' });
		await t.db.update(s.calls).set({ selection: 'matching' }).where(eq(s.calls.id, call.id));
	});
});

describe('the call’s results', () => {
	it('each sheet’s z is its expert’s (x − mean) / sd over their sheets of that form', async () => {
		const call = await callByCode(t.db, 'IF2026');
		const r = await callResults(t.db, call);
		expect(r.sheets.length).toBeGreaterThan(4);
		const groups = new Map<string, number[]>();
		for (const sh of r.sheets) groups.set(`${sh.expertId}|${sh.form}`, [...(groups.get(`${sh.expertId}|${sh.form}`) ?? []), sh.total]);
		let calibrated = 0;
		for (const sh of r.sheets) {
			const xs = groups.get(`${sh.expertId}|${sh.form}`)!;
			const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
			const sd = Math.sqrt(xs.reduce((a, v) => a + (v - mean) ** 2, 0) / xs.length);
			if (xs.length < 2) expect(sh).toMatchObject({ z: null, reason: 'oneSheet' });
			else if (sd === 0) expect(sh).toMatchObject({ z: null, reason: 'noSpread' });
			else {
				expect(sh.z).toBeCloseTo((sh.total - mean) / sd, 3);
				calibrated++;
			}
		}
		expect(calibrated).toBeGreaterThan(0);
		// The application's calibrated figure is the mean of its sheets' z; raw beside it.
		for (const [id, a] of r.applications) {
			if (!a.technical) continue;
			const mine = r.sheets.filter((x) => x.applicationId === id && x.form === 'technical');
			const zs = mine.map((x) => x.z).filter((z): z is number => z !== null);
			if (zs.length) expect(a.technical.z).toBeCloseTo(zs.reduce((p, q) => p + q, 0) / zs.length, 2);
			else expect(a.technical.z).toBeNull();
			expect(a.technical.mean).toBeCloseTo(mine.reduce((p, x) => p + x.total, 0) / mine.length, 2);
			const range = Math.max(...mine.map((x) => x.total)) - Math.min(...mine.map((x) => x.total));
			expect(a.technical.flag.flagged).toBe(mine.length >= 2 && Math.round(range * 100) / 100 > 15);
		}
	});

	it('the dashboard flags by the same rule and shows the same calibrated figures', async () => {
		const call = await callByCode(t.db, 'IF2026');
		const [d, r] = await Promise.all([callDashboard(t.db, call), callResults(t.db, call)]);
		expect(d.rule).toEqual({ mode: 'relative', threshold: 15, totalLimit: 15 });
		for (const a of d.perApplication) {
			const res = r.applications.get(a.id)?.technical ?? null;
			expect(a.calibrated?.z ?? null).toBe(res?.z ?? null);
			expect(a.discrepancy).toBe(res?.flag.flagged ?? false);
		}
		// Absolute 2 points: the same column, another rule, stated in the figures.
		const strict = await callDashboard(t.db, { ...call, discrepancyRule: 'absolute', discrepancyThreshold: '2' });
		expect(strict.rule).toEqual({ mode: 'absolute', threshold: 2, totalLimit: 2 });
		for (const a of strict.perApplication) if (a.spread !== null) expect(a.discrepancy).toBe(a.spread > 2);
	});

	it('the API layer: staff of the call get results, other staff nothing', async () => {
		const call = await callByCode(t.db, 'IF2026');
		const intake = await principal(t.db, 'intake');
		const planner = await principal(t.db, 'planner');
		const outcome = await resultsFor(t.db, intake, call.id);
		expect(outcome.ok).toBe(true);
		expect(await resultsFor(t.db, planner, call.id)).toEqual({ ok: false, code: 'notFound' });
		const listed = await visibleCalls(t.db, planner);
		expect(listed.find((c) => c.code === 'IF2026')).toMatchObject({ managed: false });
		expect((await visibleCalls(t.db, intake)).find((c) => c.code === 'IF2026')).toMatchObject({ managed: true });
	});
});

describe('GET /api/calls and /api/calls/<id>/results over HTTP', () => {
	let srv: TestServer;
	const cookies: Record<string, string> = {};
	beforeAll(async () => {
		srv = await startServer();
		for (const u of ['intake', 'expert1', 'applicant1', 'planner', 'admin']) cookies[u] = await login(srv.url, u);
	}, 180_000);
	afterAll(async () => srv?.dispose());

	const get = (path: string, who?: string) => fetch(srv.url + path, { headers: who ? { cookie: cookies[who] } : {}, redirect: 'manual' });

	it('the call’s staff read the results: per application raw and calibrated, per sheet {application, expert, total, z}', async () => {
		const list = await (await get('/api/calls', 'intake')).json();
		const if2026 = list.calls.find((c: { code: string }) => c.code === 'IF2026');
		expect(if2026).toMatchObject({ managed: true, results: `/api/calls/${if2026.id}/results` });
		const res = await get(if2026.results, 'intake');
		expect(res.status).toBe(200);
		const body = await res.json();
		expect(body.rule).toEqual({ mode: 'relative', threshold: 15, totalLimit: 15 });
		expect(body.sheets.length).toBeGreaterThan(0);
		for (const sh of body.sheets) {
			expect(sh).toEqual(expect.objectContaining({ application: expect.any(String), expert: expect.stringMatching(/^[0-9a-f-]{36}$/), total: expect.any(Number) }));
			expect('z' in sh).toBe(true);
		}
		// Values: each z from the sheets in the response itself.
		const by = new Map<string, number[]>();
		for (const sh of body.sheets) by.set(`${sh.expert}|${sh.form}`, [...(by.get(`${sh.expert}|${sh.form}`) ?? []), sh.total]);
		for (const sh of body.sheets) {
			const xs = by.get(`${sh.expert}|${sh.form}`)!;
			const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
			const sd = Math.sqrt(xs.reduce((a, v) => a + (v - mean) ** 2, 0) / xs.length);
			if (xs.length >= 2 && sd > 0) expect(sh.z).toBeCloseTo((sh.total - mean) / sd, 3);
			else expect(sh.z).toBeNull();
		}
		const app = body.applications.find((a: { technical: unknown }) => a.technical);
		expect(app.technical).toEqual(expect.objectContaining({ mean: expect.any(Number), median: expect.any(Number), trimmedMean: expect.any(Number), limit: 15 }));
		expect((await get(if2026.results, 'admin')).status).toBe(200);
	});

	it('an expert, an applicant, another division’s staff and a stranger get no results', async () => {
		const list = await (await get('/api/calls', 'intake')).json();
		const id = list.calls.find((c: { code: string }) => c.code === 'IF2026').id;
		for (const [who, status] of [
			['expert1', 403],
			['applicant1', 403],
			['planner', 404],
			[undefined, 401]
		] as const) {
			const res = await get(`/api/calls/${id}/results`, who);
			expect(res.status, String(who)).toBe(status);
			const text = await res.text();
			expect(text).not.toContain('"sheets"');
			expect(text).not.toContain('robustZ');
		}
		// Not even whether a call exists: an unknown id answers the planner as the real one does.
		expect((await get('/api/calls/00000000-0000-4000-8000-000000000000/results', 'planner')).status).toBe(404);
		expect((await get('/api/calls/not-a-uuid/results', 'intake')).status).toBe(404);
		// Everyone signed in lists calls; only staff see theirs as managed, nobody else gets a results link.
		for (const who of ['expert1', 'applicant1', 'planner']) {
			const body = await (await get('/api/calls', who)).json();
			expect(body.calls.every((c: { managed: boolean; results: string | null }) => !c.managed && c.results === null)).toBe(true);
		}
		expect((await get('/api/calls')).status).toBe(401);
	});
});
