// Benchmark of automatic assignment: 2,000 applications to 500 experts (seven fields, one in
// six a finance expert, one in twenty working at an applicant). Prints the time to find the
// conflicts from the institution names, to plan the optimal matching, and to plan a random
// draw; the worst case where no two applications are interchangeable; and, with --db, the
// whole run on an embedded database (reads, plan, 6,000 inserts, status changes, audit).
//   npx tsx bench/assign/run.ts [--runs 7] [--db]
import { createHash } from 'node:crypto';
import os from 'node:os';
import { scenario } from './scenario';
import { computeConflicts } from '../../src/lib/server/conflicts/index';
import { planDraw, planMatching, type PlanApplication, type PlanExpert } from '../../src/lib/server/assignment/plan';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 7;
const APPS = 2000;
const EXPERTS = 500;
const MAX_LOAD = 30;

function stats(ms: number[]) {
	const s = [...ms].sort((a, b) => a - b);
	return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
}
const fmt = (x: { median: number; min: number; max: number }) => `median ${x.median.toFixed(1)} ms (min ${x.min.toFixed(1)}, max ${x.max.toFixed(1)})`;

const { applications, experts } = scenario({ applications: APPS, experts: EXPERTS });
console.log(`Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}`);
console.log(`${APPS} applications, ${EXPERTS} experts (${experts.filter((e) => e.kind === 'finance').length} finance), 2 technical + 1 finance reviewer each, at most ${MAX_LOAD} per expert\n`);

function planInput(exclusionsPerApp: number) {
	const conflicts = computeConflicts(applications, experts, []);
	const conflicted = new Map<string, Set<string>>();
	for (const c of conflicts) conflicted.set(c.applicationId, (conflicted.get(c.applicationId) ?? new Set()).add(c.expertId));
	const apps: PlanApplication[] = applications.map((a, i) => {
		const own = conflicted.get(a.id) ?? new Set<string>();
		const excluded = new Set(own);
		// An expert who declined earlier: makes every application unlike the others.
		for (let k = 0; k < exclusionsPerApp; k++) excluded.add(experts[(i * 7 + k * 13) % experts.length].id);
		return { id: a.id, number: a.number, field: a.field, technicalNeeded: 2, financeNeeded: 1, excluded, conflicted: own };
	});
	const pool: PlanExpert[] = experts.map((e) => ({ id: e.id, kind: e.kind, primaryField: e.primaryField, secondaryFields: e.secondaryFields, load: 0 }));
	return { apps, pool, conflicts: conflicts.length };
}

function digest(plan: ReturnType<typeof planMatching>) {
	return createHash('sha256')
		.update(plan.assignments.map((a) => `${a.applicationId}:${a.expertId}`).join('|'))
		.digest('hex')
		.slice(0, 16);
}

function measure(label: string, exclusions: number) {
	const conflictMs: number[] = [];
	const planMs: number[] = [];
	const totalMs: number[] = [];
	const digests = new Set<string>();
	let last: ReturnType<typeof planMatching> | undefined;
	let conflicts = 0;
	for (let r = 0; r < runs; r++) {
		const t0 = performance.now();
		const input = planInput(exclusions);
		const t1 = performance.now();
		last = planMatching(input.apps, input.pool, MAX_LOAD);
		const t2 = performance.now();
		conflictMs.push(t1 - t0);
		planMs.push(t2 - t1);
		totalMs.push(t2 - t0);
		digests.add(digest(last));
		conflicts = input.conflicts;
	}
	const loads = (kind: 'technical' | 'finance') => {
		const l = experts.filter((e) => e.kind === kind).map((e) => last!.loads.get(e.id) ?? 0);
		return `${Math.min(...l)}–${Math.max(...l)}`;
	};
	console.log(`${label}`);
	console.log(`  conflicts from names   ${fmt(stats(conflictMs))}  (${conflicts} conflicted pairs)`);
	console.log(`  min-cost flow plan     ${fmt(stats(planMs))}  (${last!.stats.edges} expert edges priced in ${last!.stats.rounds} rounds, ${last!.stats.phases} phases, cost ${last!.stats.cost})`);
	console.log(`  total                  ${fmt(stats(totalMs))}`);
	console.log(`  result                 ${last!.assignments.length} assignments, ${last!.unstaffed.length} unstaffed; loads technical ${loads('technical')}, finance ${loads('finance')}`);
	console.log(`  deterministic          ${digests.size === 1 ? 'yes' : 'NO'} (${runs} runs, digest ${[...digests][0]})\n`);
	return stats(totalMs).median;
}

const typical = measure('Matching, first run of a call (interchangeable applications share a node):', 0);
const worst = measure('Matching, worst case (every application excludes someone, no two alike):', 1);

const drawMs: number[] = [];
let drawn = 0;
for (let r = 0; r < runs; r++) {
	const input = planInput(0);
	const t0 = performance.now();
	const plan = planDraw(input.apps, input.pool, { seed: `bench-${r}`, maxLoad: MAX_LOAD, poolFactor: 3 });
	drawMs.push(performance.now() - t0);
	drawn = plan.assignments.length;
}
console.log(`Random draw (sfc32, pools recorded):`);
console.log(`  plan                   ${fmt(stats(drawMs))}  (${drawn} drawn)\n`);

if (args.includes('--db')) {
	const { runOnDatabase } = await import('./db');
	await runOnDatabase(applications, experts);
}

console.log(`Target under 1 s: first run ${typical < 1000 ? 'met' : 'MISSED'} (${typical.toFixed(0)} ms), worst case ${worst < 1000 ? 'met' : 'MISSED'} (${worst.toFixed(0)} ms).`);
