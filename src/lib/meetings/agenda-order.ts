// The suggested agenda order: members who must recuse themselves from an item leave the room
// for it and come back afterwards. Every exit interrupts the meeting (and, on video, means
// moving people between breakout rooms), so the order that keeps each member's recused items
// together needs the fewest. Pure and shared: the agenda builder recounts while staff drag,
// and the server can check the same numbers.

export interface AgendaEntry {
	/** Any stable key (an application id). */
	key: string;
	/** Members (user ids) who recuse themselves from this item. */
	recused: readonly string[];
}

/** How many times members leave the room along this order: one per run of recused items, summed over members. */
export function countExits(entries: readonly AgendaEntry[]): number {
	let exits = 0;
	let previous = new Set<string>();
	for (const e of entries) {
		const current = new Set(e.recused);
		for (const m of current) if (!previous.has(m)) exits++;
		previous = current;
	}
	return exits;
}

/** The fewest exits any order could reach: each member with a recusal leaves at least once. */
export function minimumExits(entries: readonly AgendaEntry[]): number {
	return new Set(entries.flatMap((e) => e.recused)).size;
}

interface Group {
	/** Position of the group's first item in the staff's order: the tie-break. */
	index: number;
	members: Set<string>;
	entries: AgendaEntry[];
}

/** Exits caused by going from one group to the next: members recused in `to` but not in `from`. */
function step(from: Set<string> | null, to: Set<string>): number {
	let n = 0;
	for (const m of to) if (!from?.has(m)) n++;
	return n;
}

function cost(order: readonly Group[]): number {
	let total = 0;
	let prev: Set<string> | null = null;
	for (const g of order) {
		total += step(prev, g.members);
		prev = g.members;
	}
	return total;
}

/** Up to this many distinct recusal sets the order is exact (2^n · n² steps); beyond, a local search. */
export const EXACT_LIMIT = 12;

/**
 * The agenda reordered to need as few exits as possible. Items with the same recused members
 * always sit together (that never costs an exit), keeping the staff's order among them; the
 * groups are then ordered exactly for small agendas and by a deterministic local search for
 * large ones. Among equally good orders the one closest to the staff's order wins, and when
 * the staff's order is already as good it is returned unchanged.
 */
export function suggestOrder<T extends AgendaEntry>(entries: readonly T[]): T[] {
	const input = [...entries];
	const groups = groupBySignature(input);
	const ordered = groups.length <= EXACT_LIMIT ? exactOrder(groups) : localSearch(groups);
	const suggestion = ordered.flatMap((g) => g.entries) as T[];
	return countExits(suggestion) < countExits(input) ? suggestion : input;
}

function groupBySignature(entries: readonly AgendaEntry[]): Group[] {
	const bySignature = new Map<string, Group>();
	for (const [i, e] of entries.entries()) {
		const members = new Set(e.recused);
		const signature = [...members].sort().join('\u0000');
		const group = bySignature.get(signature);
		if (group) group.entries.push(e);
		else bySignature.set(signature, { index: i, members, entries: [e] });
	}
	return [...bySignature.values()].sort((a, b) => a.index - b.index);
}

/**
 * Held–Karp over the groups: best[mask][last] is the fewest exits needed to finish the
 * agenda when the groups in `mask` are done and `last` was the latest (k = none yet). The
 * order is then rebuilt from the front, taking the earliest staff group that stays optimal,
 * which makes the answer deterministic and as close to the staff's order as the optimum allows.
 */
function exactOrder(groups: Group[]): Group[] {
	const k = groups.length;
	if (k <= 1) return groups;
	const full = (1 << k) - 1;
	const dist = groups.map((from) => groups.map((to) => step(from.members, to.members)));
	const fromStart = groups.map((g) => g.members.size);
	const best: Int32Array[] = Array.from({ length: full + 1 }, () => new Int32Array(k + 1));
	for (let mask = full - 1; mask >= 0; mask--) {
		for (let last = 0; last <= k; last++) {
			if (last < k && !(mask & (1 << last))) continue;
			if (last === k && mask !== 0) continue;
			let value = Number.MAX_SAFE_INTEGER;
			for (let g = 0; g < k; g++) {
				if (mask & (1 << g)) continue;
				const v = (last === k ? fromStart[g] : dist[last][g]) + best[mask | (1 << g)][g];
				if (v < value) value = v;
			}
			best[mask][last] = value;
		}
	}
	const order: Group[] = [];
	let mask = 0;
	let last = k;
	while (mask !== full) {
		for (let g = 0; g < k; g++) {
			if (mask & (1 << g)) continue;
			const v = (last === k ? fromStart[g] : dist[last][g]) + best[mask | (1 << g)][g];
			if (v === best[mask][last]) {
				order.push(groups[g]);
				mask |= 1 << g;
				last = g;
				break;
			}
		}
	}
	return order;
}

/**
 * For large agendas: from two starts (the staff's order with its groups together, and a
 * greedy walk that always takes the group adding the fewest exits), keep moving a single
 * group to the place that saves the most exits until no move helps, and keep the better.
 * Every move strictly lowers the count, so it ends; ties go to the earliest move and to the
 * staff's start, so it is deterministic.
 */
function localSearch(groups: Group[]): Group[] {
	const fromStaff = improve(groups);
	const fromGreedy = improve(greedy(groups));
	return cost(fromGreedy) < cost(fromStaff) ? fromGreedy : fromStaff;
}

function greedy(groups: Group[]): Group[] {
	const left = [...groups];
	const order: Group[] = [];
	let prev: Set<string> | null = null;
	while (left.length) {
		let pick = 0;
		for (let i = 1; i < left.length; i++) if (step(prev, left[i].members) < step(prev, left[pick].members)) pick = i;
		const [g] = left.splice(pick, 1);
		order.push(g);
		prev = g.members;
	}
	return order;
}

const MAX_ROUNDS = 200;

function improve(start: Group[]): Group[] {
	let order = [...start];
	let current = cost(order);
	for (let round = 0; round < MAX_ROUNDS; round++) {
		let bestOrder: Group[] | null = null;
		let bestCost = current;
		for (let from = 0; from < order.length; from++) {
			const rest = [...order.slice(0, from), ...order.slice(from + 1)];
			for (let to = 0; to <= rest.length; to++) {
				if (to === from) continue;
				const candidate = [...rest.slice(0, to), order[from], ...rest.slice(to)];
				const c = cost(candidate);
				if (c < bestCost) {
					bestCost = c;
					bestOrder = candidate;
				}
			}
		}
		if (!bestOrder) break;
		order = bestOrder;
		current = bestCost;
	}
	return order;
}
