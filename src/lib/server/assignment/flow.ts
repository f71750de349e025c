// Min-cost maximum flow by the primal-dual method: a shortest-path pass on reduced costs
// (Johnson potentials) finds the current distance, then Dinic's blocking flow pushes every
// shortest augmenting path of that length at once. Costs are small non-negative integers, so
// the shortest-path pass uses buckets (Dial's algorithm) instead of a heap, and the distance
// takes few distinct values: a handful of phases even for thousands of applications, instead
// of one search per unit of flow. Deterministic: the same edges in the same order give the
// same flow.

export class MinCostFlow {
	private from: number[] = [];
	private to: number[] = [];
	private capacity: number[] = [];
	private unitCost: number[] = [];
	private cap: Int32Array | null = null;
	private potentials: Int32Array | null = null;

	constructor(readonly nodes: number) {}

	/** Adds u → v with the given capacity and integer cost per unit; returns the edge's index. */
	addEdge(u: number, v: number, capacity: number, cost: number): number {
		if (!Number.isInteger(cost) || cost < 0) throw new RangeError('costs must be non-negative integers');
		const e = this.to.length;
		this.from.push(u, v);
		this.to.push(v, u);
		this.capacity.push(capacity, 0);
		this.unitCost.push(cost, -cost);
		return e;
	}

	/**
	 * A node's potential once solved: every residual edge u → v has cost + π(u) − π(v) ≥ 0,
	 * which certifies the flow optimal (callers use it to price edges they left out).
	 */
	potential(node: number): number {
		return this.potentials ? this.potentials[node] : 0;
	}

	/** Units sent along an edge added with addEdge (after solve). */
	flowOn(edge: number): number {
		return this.cap ? this.cap[edge ^ 1] : 0;
	}

	/** Sends as much as possible from s to t at the least total cost. */
	solve(s: number, t: number): { flow: number; cost: number; phases: number } {
		const n = this.nodes;
		const m = this.to.length;
		const to = Int32Array.from(this.to);
		const cap = Int32Array.from(this.capacity);
		const cost = Int32Array.from(this.unitCost);
		this.cap = cap;
		// Adjacency in compressed rows: each node's edges side by side, in the order added.
		const start = new Int32Array(n + 1);
		for (let e = 0; e < m; e++) start[this.from[e] + 1]++;
		for (let v = 0; v < n; v++) start[v + 1] += start[v];
		const adj = new Int32Array(m);
		const fill = start.slice(0, n);
		for (let e = 0; e < m; e++) adj[fill[this.from[e]]++] = e;

		const potential = new Int32Array(n);
		this.potentials = potential;
		const INF = 0x3fffffff;
		const dist = new Int32Array(n);
		const done = new Uint8Array(n);
		const level = new Int32Array(n);
		const iter = new Int32Array(n);
		const queue = new Int32Array(n);
		// Bucket queue: nodes pushed at distance d wait in buckets[d].
		let buckets: number[][] = [];
		let flow = 0;
		let phases = 0;
		// One augmenting path along the level graph, advancing each node's current arc.
		const augment = (u: number, limit: number): number => {
			if (u === t) return limit;
			const pu = potential[u];
			for (let end = start[u + 1]; iter[u] < end; iter[u]++) {
				const e = adj[iter[u]];
				const v = to[e];
				if (cap[e] <= 0 || level[v] !== level[u] + 1 || cost[e] + pu - potential[v] !== 0) continue;
				const got = augment(v, limit < cap[e] ? limit : cap[e]);
				if (got > 0) {
					cap[e] -= got;
					cap[e ^ 1] += got;
					return got;
				}
			}
			return 0;
		};

		for (;;) {
			dist.fill(INF);
			done.fill(0);
			dist[s] = 0;
			for (let d = 0; d < buckets.length; d++) if (buckets[d]) buckets[d].length = 0;
			(buckets[0] ??= []).push(s);
			let reached = false;
			for (let d = 0; d < buckets.length && !reached; d++) {
				const bucket = buckets[d];
				if (!bucket) continue;
				for (let i = 0; i < bucket.length; i++) {
					const u = bucket[i];
					if (done[u] || dist[u] !== d) continue;
					done[u] = 1;
					if (u === t) {
						reached = true;
						break;
					}
					const pu = potential[u];
					for (let k = start[u], end = start[u + 1]; k < end; k++) {
						const e = adj[k];
						if (cap[e] <= 0) continue;
						const v = to[e];
						if (done[v]) continue;
						const nd = d + cost[e] + pu - potential[v];
						if (nd < dist[v]) {
							dist[v] = nd;
							(buckets[nd] ??= []).push(v);
						}
					}
				}
			}
			if (!reached) break;
			phases++;
			// Nodes at or beyond t's distance are capped at it; reduced costs stay non-negative.
			const dt = dist[t];
			for (let v = 0; v < n; v++) potential[v] += dist[v] < dt ? dist[v] : dt;
			if (buckets.length > 4 * n) buckets = [];

			// Blocking flow on the admissible graph: residual edges of zero reduced cost.
			for (;;) {
				level.fill(-1);
				level[s] = 0;
				let qh = 0;
				let qt = 0;
				queue[qt++] = s;
				while (qh < qt) {
					const u = queue[qh++];
					// Nothing beyond t's level lies on a shortest augmenting path.
					if (level[t] >= 0 && level[u] >= level[t]) break;
					const pu = potential[u];
					for (let k = start[u], end = start[u + 1]; k < end; k++) {
						const e = adj[k];
						const v = to[e];
						if (cap[e] > 0 && level[v] < 0 && cost[e] + pu - potential[v] === 0) {
							level[v] = level[u] + 1;
							queue[qt++] = v;
						}
					}
				}
				if (level[t] < 0) break;
				for (let v = 0; v < n; v++) iter[v] = start[v];
				let pushed: number;
				while ((pushed = augment(s, INF)) > 0) flow += pushed;
			}
		}
		let total = 0;
		for (let e = 0; e < m; e += 2) total += cap[e + 1] * cost[e];
		return { flow, cost: total, phases };
	}
}
