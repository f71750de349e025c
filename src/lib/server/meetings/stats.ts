// What the reveal shows: the call's aggregate of the members' totals and, for the total and
// every rubric item, how far the members agree. Pure functions: the room and the tests use them.
import { aggregate, RUBRIC_TOTAL } from '$lib/rubric';
import type { MemberZ, RoundStats, Spread } from '$lib/meetings/protocol';
import { flagColumn, type FlagRule } from '$lib/scoring/flags';
import { zOf, type ExpertBaseline } from '$lib/scoring/calibration';

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

const asRule = (rule: number | FlagRule): FlagRule => (typeof rule === 'number' ? { mode: 'relative', threshold: rule } : rule);

/**
 * The spread of some scores; a discrepancy is a range (max − min) above the call's rule for a
 * column of `fullMarks` points ($lib/scoring/flags: the one rule everywhere). A bare number is
 * the relative rule (percent of full marks; on a 100-point column, points).
 */
export function spread(values: number[], rule: number | FlagRule, fullMarks = RUBRIC_TOTAL): Spread {
	const flag = flagColumn(values, fullMarks, asRule(rule));
	if (values.length === 0) return { mean: null, median: null, stdev: null, min: null, max: null, range: null, discrepancy: false, fullMarks, limit: flag.limit };
	const min = Math.min(...values);
	const max = Math.max(...values);
	return {
		mean: round2(values.reduce((a, b) => a + b, 0) / values.length),
		median: round2(median(values)!),
		stdev: round2(stdev(values)!),
		min,
		max,
		range: round2(max - min),
		discrepancy: flag.flagged,
		fullMarks,
		limit: flag.limit
	};
}

export interface StatsGroup {
	key: string;
	items: { id: string; weight: number }[];
}

export interface RevealedSheet {
	scores: Record<string, number>;
	total: number | null;
	vetoed: boolean;
	userId?: string;
}

/** Members' baselines from their written reviews in the call, by user id (technical form). */
export type Baselines = ReadonlyMap<string, ExpertBaseline>;

/**
 * The statistics of a revealed round. Vetoed sheets carry no score, so they are counted as
 * vetoes and left out of the numbers (a veto is discussed, not averaged).
 */
export function roundStats(
	sheets: RevealedSheet[],
	itemIds: string[],
	aggregation: 'mean' | 'trimmedMean',
	threshold: number | FlagRule,
	options: { groups?: StatsGroup[]; baselines?: Baselines } = {}
): RoundStats {
	const rule = asRule(threshold);
	const scored = sheets.filter((s) => !s.vetoed && s.total !== null);
	const totals = scored.map((s) => s.total!);
	const items: Record<string, Spread> = {};
	// An item's score is on its 0–100 scale: full marks 100.
	for (const id of itemIds) {
		items[id] = spread(
			scored.map((s) => s.scores[id]).filter((v): v is number => typeof v === 'number'),
			rule
		);
	}
	const stats: RoundStats = {
		aggregate: aggregate(totals, aggregation),
		aggregation,
		total: spread(totals, rule),
		items,
		vetoes: sheets.length - scored.length,
		threshold: rule.threshold,
		rule
	};
	if (options.groups) {
		// A group's value is its weighted points (Σ score × weight / 100); its full marks its weight.
		stats.groups = {};
		for (const g of options.groups) {
			const weight = g.items.reduce((a, i) => a + i.weight, 0);
			const values = scored
				.map((s) => (g.items.every((i) => typeof s.scores[i.id] === 'number') ? round2(g.items.reduce((a, i) => a + (s.scores[i.id] * i.weight) / 100, 0)) : null))
				.filter((v): v is number => v !== null);
			stats.groups[g.key] = spread(values, rule, weight);
		}
	}
	if (options.baselines) stats.calibration = roundCalibration(scored, options.baselines);
	return stats;
}

/** Each member's z against their written reviews, and the round's calibrated mean. */
export function roundCalibration(scored: RevealedSheet[], baselines: Baselines): NonNullable<RoundStats['calibration']> {
	const members: MemberZ[] = scored
		.filter((s) => s.userId)
		.map((s) => {
			const b = baselines.get(s.userId!);
			if (!b) return { userId: s.userId!, z: null, robustZ: null, reason: 'noReviews' as const };
			return { userId: s.userId!, ...zOf(b, s.total!), reason: b.reason };
		});
	const mean = (v: (number | null)[]) => {
		const xs = v.filter((x): x is number => x !== null);
		return xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 1000) / 1000 : null;
	};
	return { members, z: mean(members.map((x) => x.z)), robustZ: mean(members.map((x) => x.robustZ)) };
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
