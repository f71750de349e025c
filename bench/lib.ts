// Small helpers shared by the benchmarks: percentiles and a fixed-concurrency load loop.
export function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return NaN;
	const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[i];
}

export interface LoadResult {
	requests: number;
	errors: number;
	seconds: number;
	rps: number;
	p50: number;
	p99: number;
}

/** Runs `task` from `concurrency` loops for `seconds`, timing each call. */
export async function load(task: () => Promise<boolean>, concurrency: number, seconds: number): Promise<LoadResult> {
	const latencies: number[] = [];
	let errors = 0;
	const end = performance.now() + seconds * 1000;
	const started = performance.now();
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (performance.now() < end) {
				const t0 = performance.now();
				const ok = await task().catch(() => false);
				latencies.push(performance.now() - t0);
				if (!ok) errors++;
			}
		})
	);
	const elapsed = (performance.now() - started) / 1000;
	latencies.sort((a, b) => a - b);
	return { requests: latencies.length, errors, seconds: elapsed, rps: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
