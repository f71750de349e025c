import { describe, expect, it } from 'vitest';
import { COSTS, planDraw, planMatching, replayDraw, type PlanApplication, type PlanExpert } from './plan';
import { scenario } from '../../../../bench/assign/scenario';

function app(number: string, field: string, technicalNeeded = 2, financeNeeded = 0, excluded: string[] = [], conflicted: string[] = []): PlanApplication {
	return { id: `app-${number}`, number, field, technicalNeeded, financeNeeded, excluded: new Set([...excluded, ...conflicted]), conflicted: new Set(conflicted) };
}

function expert(id: string, primaryField: string, secondaryFields: string[] = [], kind: 'technical' | 'finance' = 'technical', load = 0): PlanExpert {
	return { id, kind, primaryField, secondaryFields, load };
}

const byApp = (plan: ReturnType<typeof planMatching>) => {
	const out = new Map<string, string[]>();
	for (const a of plan.assignments) out.set(a.applicationId, [...(out.get(a.applicationId) ?? []), a.expertId].sort());
	return out;
};

describe('matching (min-cost flow)', () => {
	it('assigns experts whose fields match, primary before secondary', () => {
		const plan = planMatching(
			[app('A-1', 'biomedicine', 2)],
			[expert('e1', 'biomedicine'), expert('e2', 'newMaterials', ['biomedicine']), expert('e3', 'biomedicine'), expert('e4', 'newEnergy')],
			5
		);
		expect(byApp(plan).get('app-A-1')).toEqual(['e1', 'e3']);
		expect(plan.assignments.every((a) => a.match === 'primary')).toBe(true);
		expect(plan.unstaffed).toEqual([]);
	});

	it('falls back to a secondary field, never to an unrelated one, and explains each choice', () => {
		const plan = planMatching([app('A-1', 'biomedicine', 3)], [expert('e1', 'biomedicine'), expert('e2', 'newMaterials', ['biomedicine']), expert('e4', 'newEnergy')], 5);
		expect(plan.assignments.map((a) => [a.expertId, a.match]).sort()).toEqual([
			['e1', 'primary'],
			['e2', 'secondary']
		]);
		expect(plan.unstaffed).toEqual([{ applicationId: 'app-A-1', number: 'A-1', form: 'technical', needed: 3, assigned: 2, reason: 'noEligible', eligible: 2, conflicted: 0 }]);
	});

	it('balances loads, and respects the maximum per expert', () => {
		const apps = Array.from({ length: 6 }, (_, i) => app(`A-${i}`, 'newEnergy', 2));
		const experts = ['e1', 'e2', 'e3', 'e4'].map((id) => expert(id, 'newEnergy'));
		const plan = planMatching(apps, experts, 5);
		expect([...plan.loads.values()]).toEqual([3, 3, 3, 3]);
		const capped = planMatching(apps, experts, 2);
		expect(Math.max(...capped.loads.values())).toBe(2);
		expect(capped.assignments).toHaveLength(8);
		expect(capped.unstaffed.reduce((n, u) => n + u.needed - u.assigned, 0)).toBe(4);
		expect(capped.unstaffed.every((u) => u.reason === 'loadFull')).toBe(true);
	});

	it('counts loads the experts already carry', () => {
		const plan = planMatching([app('A-1', 'newEnergy', 1)], [expert('busy', 'newEnergy', [], 'technical', 4), expert('idle', 'newEnergy')], 10);
		expect(plan.assignments.map((a) => a.expertId)).toEqual(['idle']);
	});

	it('never assigns a conflicted or excluded expert, and reports conflicts as the reason', () => {
		const plan = planMatching(
			[app('A-1', 'newEnergy', 2, 0, ['e2'], ['e1']), app('A-2', 'newEnergy', 2)],
			[expert('e1', 'newEnergy'), expert('e2', 'newEnergy'), expert('e3', 'newEnergy')],
			5
		);
		const got = byApp(plan);
		expect(got.get('app-A-1')).toEqual(['e3']);
		expect(got.get('app-A-2')).toHaveLength(2);
		expect(plan.unstaffed).toEqual([{ applicationId: 'app-A-1', number: 'A-1', form: 'technical', needed: 2, assigned: 1, reason: 'noEligible', eligible: 1, conflicted: 1 }]);
	});

	it('staffs the finance form from finance experts only', () => {
		const plan = planMatching(
			[app('A-1', 'biomedicine', 1, 1)],
			[expert('t1', 'biomedicine'), expert('f1', 'highTechServices', [], 'finance'), expert('f2', 'biomedicine', [], 'finance')],
			5
		);
		const forms = Object.fromEntries(plan.assignments.map((a) => [a.expertId, a.form]));
		expect(forms).toEqual({ t1: 'technical', f2: 'finance' });
	});

	it('never gives one application the same expert twice, even among interchangeable applications', () => {
		const apps = Array.from({ length: 7 }, (_, i) => app(`A-${i}`, 'biomedicine', 3));
		const plan = planMatching(apps, ['a', 'b', 'c', 'd', 'e'].map((id) => expert(id, 'biomedicine')), 10);
		for (const [, ids] of byApp(plan)) expect(new Set(ids).size).toBe(3);
		expect(plan.assignments).toHaveLength(21);
	});

	it('is deterministic: the same input in any order gives the same assignments', () => {
		const { applications, experts } = scenario({ applications: 120, experts: 40, seed: 'determinism' });
		const apps = applications.map((a) => app(a.number, a.field, 2, 1));
		const pool = experts.map((e) => expert(e.id, e.primaryField, e.secondaryFields, e.kind));
		const one = planMatching(apps, pool, 12);
		const two = planMatching([...apps].reverse(), [...pool].reverse(), 12);
		expect(two.assignments).toEqual(one.assignments);
		expect(two.unstaffed).toEqual(one.unstaffed);
	});

	it('finds the least total cost (checked against every possible assignment of a small call)', () => {
		const fields = ['biomedicine', 'newMaterials'];
		const experts = [expert('e1', 'biomedicine'), expert('e2', 'newMaterials', ['biomedicine']), expert('e3', 'biomedicine', ['newMaterials']), expert('e4', 'newMaterials')];
		const apps = [app('A-1', fields[0]), app('A-2', fields[0]), app('A-3', fields[1]), app('A-4', fields[1]), app('A-5', fields[0], 2, 0, ['e1'])];
		const maxLoad = 3;
		const plan = planMatching(apps, experts, maxLoad);
		// Exhaustive: every pair of eligible experts for every application.
		const cost = (e: PlanExpert, field: string) => (e.primaryField === field ? COSTS.technical.primary : e.secondaryFields.includes(field) ? COSTS.technical.secondary : null);
		const options = apps.map((a) => {
			const ok = experts.filter((e) => cost(e, a.field) !== null && !a.excluded.has(e.id));
			const pairs: PlanExpert[][] = [];
			for (let i = 0; i < ok.length; i++) for (let j = i + 1; j < ok.length; j++) pairs.push([ok[i], ok[j]]);
			return pairs;
		});
		let best = Infinity;
		const loads = new Map(experts.map((e) => [e.id, e.load]));
		const walk = (k: number, acc: number) => {
			if (k === apps.length) {
				let total = acc;
				for (const e of experts) for (let u = e.load; u < loads.get(e.id)!; u++) total += u * COSTS.loadStep;
				if ([...loads.values()].every((l) => l <= maxLoad)) best = Math.min(best, total);
				return;
			}
			for (const pair of options[k]) {
				for (const e of pair) loads.set(e.id, loads.get(e.id)! + 1);
				walk(k + 1, acc + pair.reduce((s, e) => s + cost(e, apps[k].field)!, 0));
				for (const e of pair) loads.set(e.id, loads.get(e.id)! - 1);
			}
		};
		walk(0, 0);
		expect(plan.unstaffed).toEqual([]);
		expect(plan.stats.cost).toBe(best);
	});

	it('pricing the left-out edges gives the cost of the whole network', () => {
		const { applications, experts } = scenario({ applications: 400, experts: 90, seed: 'pricing' });
		const pool = experts.map((e) => expert(e.id, e.primaryField, e.secondaryFields, e.kind));
		// Every application unlike the others, so none share a node and windows apply.
		const apps = applications.map((a, i) => app(a.number, a.field, 2, 1, [pool[i % pool.length].id]));
		for (const maxLoad of [14, 18, 40]) {
			const whole = planMatching(apps, pool, maxLoad, { window: Infinity });
			const priced = planMatching(apps, pool, maxLoad, { window: 4 });
			expect(priced.stats.cost, `max ${maxLoad}`).toBe(whole.stats.cost);
			expect(priced.assignments.length).toBe(whole.assignments.length);
			expect(priced.stats.edges).toBeLessThanOrEqual(whole.stats.edges);
		}
		// With slack in the loads, pricing needs only part of the network.
		expect(planMatching(apps, pool, 40, { window: 4 }).stats.edges).toBeLessThan(planMatching(apps, pool, 40, { window: Infinity }).stats.edges);
	});

	it('staffs 2,000 applications from 500 experts well within a second', () => {
		const { applications, experts } = scenario({ applications: 2000, experts: 500 });
		const started = performance.now();
		const plan = planMatching(
			applications.map((a) => app(a.number, a.field, 2, 1)),
			experts.map((e) => expert(e.id, e.primaryField, e.secondaryFields, e.kind)),
			30
		);
		expect(performance.now() - started).toBeLessThan(3000);
		expect(plan.assignments).toHaveLength(6000);
		expect(plan.unstaffed).toEqual([]);
	});
});

describe('random draw', () => {
	const experts = [
		...Array.from({ length: 16 }, (_, i) => expert(`t${String(i).padStart(2, '0')}`, i % 2 ? 'newEnergy' : 'biomedicine', i % 3 === 0 ? ['newEnergy'] : [])),
		...Array.from({ length: 4 }, (_, i) => expert(`f${i}`, 'highTechServices', [], 'finance'))
	];

	it('meets the constraints: fields, no conflicts, technical share, a finance expert, pool size', () => {
		// Biomedicine has 8 technical experts: enough for 2 (8 ≥ 3 × 2), not for 3.
		const apps = [app('D-1', 'newEnergy', 3, 1, [], ['t01']), app('D-2', 'biomedicine', 2, 1)];
		const plan = planDraw(apps, experts, { seed: 'abc', maxLoad: 5, poolFactor: 3 });
		expect(plan.unstaffed).toEqual([]);
		for (const a of apps) {
			const got = plan.assignments.filter((x) => x.applicationId === a.id);
			expect(got).toHaveLength(a.technicalNeeded + 1);
			expect(got.filter((x) => x.form === 'finance')).toHaveLength(1);
			expect(got.filter((x) => x.form === 'technical').length / got.length).toBeGreaterThanOrEqual(0.6);
			expect(got.map((x) => x.expertId)).not.toContain('t01');
			for (const x of got.filter((x) => x.form === 'technical')) expect(x.match).not.toBe('none');
		}
		for (const d of plan.draws) {
			expect(d.technicalPool.length).toBeGreaterThanOrEqual(3 * d.technicalNeeded);
			expect(d.financePool.length).toBeGreaterThanOrEqual(3 * 1);
		}
	});

	it('draws the same experts from the same seed and pool, and others from another seed', () => {
		const apps = [app('D-1', 'newEnergy', 3, 1), app('D-2', 'biomedicine', 2, 1)];
		const one = planDraw(apps, experts, { seed: 'seed-1', maxLoad: 5, poolFactor: 3 });
		const again = planDraw([...apps].reverse(), [...experts].reverse(), { seed: 'seed-1', maxLoad: 5, poolFactor: 3 });
		expect(again.assignments).toEqual(one.assignments);
		for (const d of one.draws) expect(replayDraw('seed-1', d)).toEqual(d.drawn);
		const seeds = ['seed-2', 'seed-3', 'seed-4'].map((seed) => planDraw(apps, experts, { seed, maxLoad: 5, poolFactor: 3 }).assignments.map((a) => a.expertId).join());
		expect(seeds.some((s) => s !== one.assignments.map((a) => a.expertId).join())).toBe(true);
	});

	it('applies the pool rule to each kind of expert, with the numbers in the report', () => {
		// New energy: 11 technical experts (8 primary t01…t15 odd, 3 secondary t00, t06, t12), 4 finance.
		// 5 technical needed: 11 < 3 × 5 = 15, so nothing is drawn; the finance pool (4 ≥ 3 × 1) is fine.
		const small = planDraw([app('D-1', 'newEnergy', 5, 1)], experts, { seed: 'x', maxLoad: 5, poolFactor: 3 });
		expect(small.assignments).toEqual([]);
		expect(small.unstaffed).toEqual([
			{ applicationId: 'app-D-1', number: 'D-1', form: 'technical', needed: 5, assigned: 0, reason: 'poolTooSmall', eligible: 11, conflicted: 0, required: 15 }
		]);
		// 3 technical (11 ≥ 9) but 2 finance: 4 < 3 × 2 = 6. The technical pool does not make up for it.
		const finance = planDraw([app('D-1', 'newEnergy', 3, 2)], experts, { seed: 'x', maxLoad: 5, poolFactor: 3 });
		expect(finance.assignments).toEqual([]);
		expect(finance.unstaffed).toEqual([
			{ applicationId: 'app-D-1', number: 'D-1', form: 'finance', needed: 2, assigned: 0, reason: 'poolTooSmall', eligible: 4, conflicted: 0, required: 6 }
		]);
		// 2 technical + 1 finance: 11 ≥ 6 and 4 ≥ 3 — drawn, although 15 < 3 × 3 for the two together
		// (the old rule, applied to the sum, refused this).
		const ok = planDraw([app('D-1', 'newEnergy', 2, 1)], experts, { seed: 'x', maxLoad: 5, poolFactor: 3 });
		expect(ok.unstaffed).toEqual([]);
		expect(ok.assignments).toHaveLength(3);
		// Exactly at the rule: 6 technical experts for 2 needed is enough (6 = 3 × 2).
		const six = experts.filter((e) => e.kind === 'finance' || ['t01', 't03', 't05', 't07', 't09', 't11'].includes(e.id));
		expect(planDraw([app('D-1', 'newEnergy', 2, 1)], six, { seed: 'x', maxLoad: 5, poolFactor: 3 }).unstaffed).toEqual([]);
		const five = six.filter((e) => e.id !== 't11');
		expect(planDraw([app('D-1', 'newEnergy', 2, 1)], five, { seed: 'x', maxLoad: 5, poolFactor: 3 }).unstaffed).toEqual([
			{ applicationId: 'app-D-1', number: 'D-1', form: 'technical', needed: 2, assigned: 0, reason: 'poolTooSmall', eligible: 5, conflicted: 0, required: 6 }
		]);
		// Both kinds short: both reported.
		const both = planDraw([app('D-1', 'newEnergy', 2, 2)], five, { seed: 'x', maxLoad: 5, poolFactor: 3 });
		expect(both.unstaffed.map((u) => [u.form, u.eligible, u.required])).toEqual([
			['technical', 5, 6],
			['finance', 4, 6]
		]);
		const noFinance = planDraw([app('D-1', 'newEnergy', 2, 1)], experts.filter((e) => e.kind === 'technical'), { seed: 'x', maxLoad: 5, poolFactor: 1 });
		expect(noFinance.unstaffed[0]).toMatchObject({ form: 'finance', reason: 'noEligible', eligible: 0, needed: 1 });
	});

	it('spreads draws over the pool', () => {
		const counts = new Map<string, number>();
		for (let i = 0; i < 400; i++) {
			const plan = planDraw([app('D-1', 'newEnergy', 3, 0)], experts, { seed: `s${i}`, maxLoad: 5, poolFactor: 1 });
			for (const a of plan.assignments) counts.set(a.expertId, (counts.get(a.expertId) ?? 0) + 1);
		}
		// Eleven technical experts work in new energy; each should come up about 400 × 3 / 11 times.
		expect(counts.size).toBe(11);
		for (const n of counts.values()) expect(n).toBeGreaterThan(60);
	});
});
