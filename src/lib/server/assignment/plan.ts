// Planning assignments, without the database: the optimal matching of experts to accepted
// applications (a min-cost flow), and the random draw under the state programs' constraints.
// Both are pure and deterministic for the same input, and both say why each assignment was
// made and why an application could not be fully staffed.
import { drawExperts } from '$lib/assignment/draw';
import { MinCostFlow } from './flow';

export type Form = 'technical' | 'finance';

export interface PlanApplication {
	id: string;
	number: string;
	field: string;
	/** Reviewers still needed on each form (the call's numbers less active assignments). */
	technicalNeeded: number;
	financeNeeded: number;
	/** Experts who must not get it: already assigned, declined or removed before, conflicted. */
	excluded: ReadonlySet<string>;
	/** Of those, the conflicted ones (reported, never assigned). */
	conflicted: ReadonlySet<string>;
}

export interface PlanExpert {
	id: string;
	kind: Form;
	primaryField: string;
	secondaryFields: readonly string[];
	/** Active assignments in this call already. */
	load: number;
}

export interface PlannedAssignment {
	applicationId: string;
	expertId: string;
	form: Form;
	match: 'primary' | 'secondary' | 'none';
	field: string;
	cost: number;
	/** For draws: the pool's size. */
	poolSize?: number;
}

export interface Unstaffed {
	applicationId: string;
	number: string;
	form: Form;
	needed: number;
	assigned: number;
	reason: 'noEligible' | 'poolTooSmall' | 'loadFull';
	eligible: number;
	conflicted: number;
	/** Draws: the pool this form needs (poolFactor × needed), when the pool is short of it. */
	required?: number;
}

export interface Plan {
	assignments: PlannedAssignment[];
	unstaffed: Unstaffed[];
	/** Each expert's active load in the call once the plan is applied. */
	loads: Map<string, number>;
	stats: { assignments: number; cost: number; phases: number; edges: number; rounds?: number };
}

interface Candidate {
	expert: number;
	cost: number;
	match: 'primary' | 'secondary' | 'none';
}

/** How many candidates a single application starts with before pricing adds more. */
export const PRUNE_WINDOW = 12;

/** `size` candidates of the cheapest class first, taken from a position that depends on `i`. */
function windowOf(list: Candidate[], i: number, size: number): Candidate[] {
	const out: Candidate[] = [];
	const byCost = new Map<number, Candidate[]>();
	for (const c of list) byCost.set(c.cost, [...(byCost.get(c.cost) ?? []), c]);
	for (const cls of [...byCost.keys()].sort((a, b) => a - b)) {
		const members = byCost.get(cls)!;
		for (let k = 0; k < members.length && out.length < size; k++) out.push(members[(i * 7 + k) % members.length]);
		if (out.length >= size) break;
	}
	return out;
}

/**
 * Costs of the matching. A primary-field match costs nothing, a secondary one
 * SECONDARY_COST; an expert's k-th assignment in the call adds k − 1 (so loads even out: the
 * total is convex in each load). A primary expert is preferred until their load is
 * SECONDARY_COST above a secondary one's. Finance experts review the finances on their own
 * form; a field match is only a mild preference for them.
 */
export const COSTS = {
	technical: { primary: 0, secondary: 4 },
	finance: { primary: 0, secondary: 1, none: 2 },
	loadStep: 1
} as const;

function matchOf(e: PlanExpert, field: string): 'primary' | 'secondary' | 'none' {
	if (e.primaryField === field) return 'primary';
	return e.secondaryFields.includes(field) ? 'secondary' : 'none';
}

function fieldCost(form: Form, match: 'primary' | 'secondary' | 'none'): number | null {
	if (form === 'technical') return match === 'none' ? null : COSTS.technical[match];
	return COSTS.finance[match];
}

function byString<T>(key: (x: T) => string) {
	return (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}

/**
 * The optimal assignment for both forms, within maxLoad per expert: a min-cost flow from the
 * applications' open slots through eligible experts to the experts' load slots.
 *
 * Applications that nobody is excluded from and that need the same number of reviewers in the
 * same field are interchangeable, so they share one node whose supply is the sum of theirs
 * (an exact reduction: an expert still takes at most one of them each, as the edge to the
 * expert carries at most the group's size). The group's flow is then dealt out: each
 * expert's units laid end to end and dealt round the group's applications in number order,
 * so no application gets the same expert twice. This keeps the network small for thousands
 * of applications; applications with exclusions (conflicts, earlier assignments) keep a node
 * of their own.
 */
export function planMatching(applications: readonly PlanApplication[], experts: readonly PlanExpert[], maxLoad: number, options: { window?: number } = {}): Plan {
	const window = options.window ?? PRUNE_WINDOW;
	const apps = [...applications].sort(byString((a) => a.number));
	const pool = [...experts].sort(byString((e) => e.id));
	const loads = new Map(pool.map((e) => [e.id, e.load]));
	const out: Plan = { assignments: [], unstaffed: [], loads, stats: { assignments: 0, cost: 0, phases: 0, edges: 0 } };
	for (const form of ['technical', 'finance'] as const) {
		const formExperts = pool.filter((e) => e.kind === form);
		const need = (a: PlanApplication) => (form === 'technical' ? a.technicalNeeded : a.financeNeeded);
		const formApps = apps.filter((a) => need(a) > 0);
		if (formApps.length === 0) continue;

		// Nodes of the network: groups of interchangeable applications, or single ones.
		const nodes: { apps: PlanApplication[]; need: number; field: string }[] = [];
		const groupOf = new Map<string, number>();
		for (const a of formApps) {
			if (a.excluded.size === 0) {
				const key = `${a.field}|${need(a)}`;
				const g = groupOf.get(key);
				if (g !== undefined) {
					nodes[g].apps.push(a);
					continue;
				}
				groupOf.set(key, nodes.length);
			}
			nodes.push({ apps: [a], need: need(a), field: a.field });
		}

		// Every eligible expert of each node, cheapest field match first.
		const N = nodes.length;
		const candidates = nodes.map((node) => {
			const excluded = node.apps.length === 1 ? node.apps[0].excluded : undefined;
			const list: Candidate[] = [];
			formExperts.forEach((e, j) => {
				const match = matchOf(e, node.field);
				const cost = fieldCost(form, match);
				if (cost !== null && !excluded?.has(e.id)) list.push({ expert: j, cost, match });
			});
			return list.sort((a, b) => a.cost - b.cost || a.expert - b.expert);
		});
		const eligible = candidates.map((c) => c.length);

		// A single application starts with a window of its candidates (rotated by its position,
		// so windows spread over the pool); the solution is then priced against every edge left
		// out, and edges that would lower the cost are added until none would. The result is
		// optimal for the full network, which for thousands of unlike applications is far
		// larger than what the flow needs to look at.
		const active = candidates.map((list, i) => (nodes[i].apps.length > 1 || list.length <= window ? list : windowOf(list, i, window)));
		let flow: MinCostFlow;
		let edges: { edge: number; node: number; expert: number; cost: number; match: 'primary' | 'secondary' | 'none' }[];
		let rounds = 0;
		for (;;) {
			rounds++;
			// 0 source, 1 sink, then application nodes, then experts.
			flow = new MinCostFlow(2 + N + formExperts.length);
			edges = [];
			nodes.forEach((node, i) => {
				flow.addEdge(0, 2 + i, node.need * node.apps.length, 0);
				for (const c of active[i]) edges.push({ edge: flow.addEdge(2 + i, 2 + N + c.expert, node.apps.length, c.cost), node: i, ...c });
			});
			formExperts.forEach((e, j) => {
				// One unit edge per free slot, each dearer than the last: convex, so loads even out.
				for (let k = e.load; k < maxLoad; k++) flow.addEdge(2 + N + j, 1, 1, k * COSTS.loadStep);
			});
			const result = flow.solve(0, 1);
			out.stats.phases += result.phases;
			const pruned = active.some((list, i) => list.length < candidates[i].length);
			if (!pruned) {
				out.stats.cost += result.cost;
				break;
			}
			const supply = nodes.reduce((sum, node) => sum + node.need * node.apps.length, 0);
			if (result.flow < supply) {
				// Someone is left unstaffed: only the whole network can say it is unavoidable.
				candidates.forEach((list, i) => (active[i] = list));
				continue;
			}
			let added = 0;
			candidates.forEach((list, i) => {
				const inWindow = new Set(active[i].map((c) => c.expert));
				const better = list.filter((c) => !inWindow.has(c.expert) && c.cost + flow.potential(2 + i) - flow.potential(2 + N + c.expert) < 0);
				if (better.length) {
					active[i] = [...active[i], ...better];
					added += better.length;
				}
			});
			if (added === 0) {
				out.stats.cost += result.cost;
				break;
			}
		}
		out.stats.edges += edges.length;
		out.stats.rounds = (out.stats.rounds ?? 0) + rounds;

		// Deal each node's flow out to its applications.
		const units: { expert: number; cost: number; match: 'primary' | 'secondary' | 'none' }[][] = nodes.map(() => []);
		for (const p of edges) {
			const f = flow.flowOn(p.edge);
			for (let u = 0; u < f; u++) units[p.node].push({ expert: p.expert, cost: p.cost, match: p.match });
		}
		nodes.forEach((node, i) => {
			const m = node.apps.length;
			const assigned = new Int32Array(m);
			units[i].forEach((unit, position) => {
				const a = node.apps[position % m];
				const e = formExperts[unit.expert];
				assigned[position % m]++;
				loads.set(e.id, (loads.get(e.id) ?? 0) + 1);
				out.assignments.push({ applicationId: a.id, expertId: e.id, form, match: unit.match, field: a.field, cost: unit.cost });
			});
			node.apps.forEach((a, k) => {
				if (assigned[k] >= node.need) return;
				const conflicted = formExperts.filter((e) => a.conflicted.has(e.id) && fieldCost(form, matchOf(e, a.field)) !== null).length;
				out.unstaffed.push({
					applicationId: a.id,
					number: a.number,
					form,
					needed: node.need,
					assigned: assigned[k],
					reason: eligible[i] < node.need ? 'noEligible' : 'loadFull',
					eligible: eligible[i],
					conflicted
				});
			});
		});
	}
	out.stats.assignments = out.assignments.length;
	return out;
}

export interface DrawPlanRecord {
	applicationId: string;
	number: string;
	technicalPool: string[];
	financePool: string[];
	technicalNeeded: number;
	financeNeeded: number;
	drawn: string[];
}

export interface DrawPlan extends Plan {
	draws: DrawPlanRecord[];
}

/**
 * The random draw (随机抽取), application by application in number order. Each application's
 * pool is every active expert of the right kind not excluded and not at maxLoad; technical
 * experts must work in its field (primary or secondary). The rule "the pool at least
 * poolFactor times the number needed" holds for each kind of expert on its own: technical
 * experts against the technical reviewers needed, finance experts against the finance ones
 * (one finance expert in a pool of technical ones would not make a finance draw random).
 * If either kind falls short, nothing is drawn for the application and each short kind is
 * reported with its numbers.
 */
export function planDraw(
	applications: readonly PlanApplication[],
	experts: readonly PlanExpert[],
	options: { seed: string; maxLoad: number; poolFactor: number }
): DrawPlan {
	const apps = [...applications].sort(byString((a) => a.number));
	const pool = [...experts].sort(byString((e) => e.id));
	const loads = new Map(pool.map((e) => [e.id, e.load]));
	const out: DrawPlan = { assignments: [], unstaffed: [], draws: [], loads, stats: { assignments: 0, cost: 0, phases: 0, edges: 0 } };
	const byId = new Map(pool.map((e) => [e.id, e]));
	for (const a of apps) {
		const needed = a.technicalNeeded + a.financeNeeded;
		if (needed <= 0) continue;
		const fits = (e: PlanExpert) => !a.excluded.has(e.id) && (loads.get(e.id) ?? 0) < options.maxLoad;
		const technical = pool.filter((e) => e.kind === 'technical' && matchOf(e, a.field) !== 'none' && fits(e));
		const finance = pool.filter((e) => e.kind === 'finance' && fits(e));
		let short = false;
		for (const [form, eligible, formNeeded] of [
			['technical', technical.length, a.technicalNeeded],
			['finance', finance.length, a.financeNeeded]
		] as const) {
			if (formNeeded <= 0) continue;
			const required = options.poolFactor * formNeeded;
			const reason: Unstaffed['reason'] | null = eligible < formNeeded ? 'noEligible' : eligible < required ? 'poolTooSmall' : null;
			if (!reason) continue;
			short = true;
			out.unstaffed.push({
				applicationId: a.id,
				number: a.number,
				form,
				needed: formNeeded,
				assigned: 0,
				reason,
				eligible,
				conflicted: pool.filter((e) => e.kind === form && a.conflicted.has(e.id)).length,
				required
			});
		}
		if (short) continue;
		const record: DrawPlanRecord = {
			applicationId: a.id,
			number: a.number,
			technicalPool: technical.map((e) => e.id),
			financePool: finance.map((e) => e.id),
			technicalNeeded: a.technicalNeeded,
			financeNeeded: a.financeNeeded,
			drawn: []
		};
		record.drawn = drawExperts({ seed: options.seed, label: a.number, ...record });
		out.draws.push(record);
		for (const id of record.drawn) {
			const e = byId.get(id)!;
			loads.set(id, (loads.get(id) ?? 0) + 1);
			out.assignments.push({
				applicationId: a.id,
				expertId: id,
				form: e.kind,
				match: matchOf(e, a.field),
				field: a.field,
				cost: 0,
				poolSize: e.kind === 'finance' ? finance.length : technical.length
			});
		}
	}
	out.stats.assignments = out.assignments.length;
	return out;
}

/** Replays a recorded draw; the experts it returns must be the ones recorded. */
export function replayDraw(seed: string, record: Omit<DrawPlanRecord, 'drawn'>): string[] {
	return drawExperts({ seed, label: record.number, ...record });
}
