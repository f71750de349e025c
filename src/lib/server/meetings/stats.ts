// What the reveal shows: the call's aggregate of the members' totals and, for the total and
// every rubric item, how far the members agree. Pure functions: the room and the tests use them.
import { aggregate } from '$lib/rubric';
import type { RoundStats, Spread } from '$lib/meetings/protocol';

const round2 = (x: number) => Math.round(x * 100) / 100;

export function median(values: number[]): number | null {
	if (values.length === 0) return null;
	const s = [...values].sort((a, b) => a - b);
	const mid = s.length >> 1;
	return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * Population standard deviation: it describes how these members' scores spread, not an
 * estimate of some larger population of experts (a panel of one has a spread of 0).
 */
export function stdev(values: number[]): number | null {
	if (values.length === 0) return null;
	const mean = values.reduce((a, b) => a + b, 0) / values.length;
	return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
}

/** The spread of some scores; a discrepancy is a range (max − min) above the call's threshold. */
export function spread(values: number[], threshold: number): Spread {
	if (values.length === 0) return { mean: null, median: null, stdev: null, min: null, max: null, range: null, discrepancy: false };
	const min = Math.min(...values);
	const max = Math.max(...values);
	return {
		mean: round2(values.reduce((a, b) => a + b, 0) / values.length),
		median: round2(median(values)!),
		stdev: round2(stdev(values)!),
		min,
		max,
		range: round2(max - min),
		discrepancy: max - min > threshold
	};
}

export interface RevealedSheet {
	scores: Record<string, number>;
	total: number | null;
	vetoed: boolean;
}

/**
 * The statistics of a revealed round. Vetoed sheets carry no score, so they are counted as
 * vetoes and left out of the numbers (a veto is discussed, not averaged).
 */
export function roundStats(sheets: RevealedSheet[], itemIds: string[], aggregation: 'mean' | 'trimmedMean', threshold: number): RoundStats {
	const scored = sheets.filter((s) => !s.vetoed && s.total !== null);
	const totals = scored.map((s) => s.total!);
	const items: Record<string, Spread> = {};
	for (const id of itemIds) {
		items[id] = spread(
			scored.map((s) => s.scores[id]).filter((v): v is number => typeof v === 'number'),
			threshold
		);
	}
	return {
		aggregate: aggregate(totals, aggregation),
		aggregation,
		total: spread(totals, threshold),
		items,
		vetoes: sheets.length - scored.length,
		threshold
	};
}

/** How many of `eligible` must be present or in favour for a share `ratio` (stored to 3 decimals). */
export function required(eligible: number, ratio: number): number {
	// 0.667 stands for two thirds: allow for the stored precision so 2 of 3 is enough.
	return Math.ceil((ratio - 0.0005) * eligible);
}

/** Whether a ballot carried: votes in favour reach the threshold share of the votes cast. */
export function carried(counts: { fund: number; decline: number; abstain: number }, threshold: number): boolean {
	const cast = counts.fund + counts.decline + counts.abstain;
	return cast > 0 && counts.fund >= required(cast, threshold);
}
