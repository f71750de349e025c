import { describe, expect, it } from 'vitest';
import { carried, median, required, roundStats, spread, stdev, type RevealedSheet } from './stats';

describe('reveal statistics', () => {
	it('computes median, population standard deviation and range', () => {
		expect(median([3, 1, 2])).toBe(2);
		expect(median([4, 1, 3, 2])).toBe(2.5);
		expect(stdev([2, 4, 4, 4, 5, 5, 7, 9])).toBe(2);
		const s = spread([70, 85, 90], 15);
		expect(s).toMatchObject({ mean: 81.67, median: 85, min: 70, max: 90, range: 20, discrepancy: true });
		expect(s.stdev).toBeCloseTo(8.5, 1);
	});

	it('flags a discrepancy only when the range passes the threshold', () => {
		expect(spread([70, 85], 15).discrepancy).toBe(false);
		expect(spread([70, 85.5], 15).discrepancy).toBe(true);
		expect(spread([], 15)).toMatchObject({ mean: null, discrepancy: false });
	});

	it('aggregates totals by mean or trimmed mean, leaving vetoes out, with per-item spreads', () => {
		const sheets: RevealedSheet[] = [
			{ scores: { a: 90, b: 60 }, total: 80, vetoed: false },
			{ scores: { a: 70, b: 62 }, total: 66, vetoed: false },
			{ scores: { a: 72, b: 95 }, total: 84, vetoed: false },
			{ scores: {}, total: null, vetoed: true }
		];
		const mean = roundStats(sheets, ['a', 'b'], 'mean', 15);
		expect(mean.aggregate).toBe(76.67);
		expect(mean.vetoes).toBe(1);
		expect(mean.total).toMatchObject({ min: 66, max: 84, range: 18, discrepancy: true, median: 80 });
		expect(mean.items.a).toMatchObject({ range: 20, discrepancy: true });
		expect(mean.items.b).toMatchObject({ range: 35, discrepancy: true });
		const trimmed = roundStats(sheets, ['a', 'b'], 'trimmedMean', 40);
		expect(trimmed.aggregate).toBe(80);
		expect(trimmed.total.discrepancy).toBe(false);
	});

	it('flags a group on its own points under the one rule, and calibrates members against their written reviews', () => {
		// Group g: items a (weight 20) and b (weight 15), full marks 35; 15% of 35 = 5.25 points.
		//   member 1: a 90, b 60 → 18 + 9 = 27;  member 2: a 70, b 62 → 14 + 9.3 = 23.3
		//   range 3.7 ≤ 5.25: not flagged, although item a's range (20 > 15) is.
		const sheets: RevealedSheet[] = [
			{ scores: { a: 90, b: 60 }, total: 80, vetoed: false, userId: 'u1' },
			{ scores: { a: 70, b: 62 }, total: 66, vetoed: false, userId: 'u2' }
		];
		const groups = [{ key: 'g', items: [{ id: 'a', weight: 20 }, { id: 'b', weight: 15 }] }];
		// u1's written reviews: 70 and 90 (mean 80, sd 10): z of 80 = 0. u2: none.
		const baselines = new Map([['u1', { expertId: 'e1', sheets: 2, mean: 80, sd: 10, median: 80, mad: 10, reason: null, robustReason: null }]]);
		const stats = roundStats(sheets, ['a', 'b'], 'mean', { mode: 'relative', threshold: 15 }, { groups, baselines });
		expect(stats.items.a).toMatchObject({ range: 20, discrepancy: true, limit: 15, fullMarks: 100 });
		expect(stats.groups!.g).toMatchObject({ min: 23.3, max: 27, range: 3.7, discrepancy: false, limit: 5.25, fullMarks: 35 });
		expect(stats.calibration).toEqual({
			members: [
				{ userId: 'u1', z: 0, robustZ: 0, reason: null },
				{ userId: 'u2', z: null, robustZ: null, reason: 'noReviews' }
			],
			z: 0,
			robustZ: 0
		});
		// Absolute 3 points: the same group's 3.7 is over it.
		expect(roundStats(sheets, ['a', 'b'], 'mean', { mode: 'absolute', threshold: 3 }, { groups }).groups!.g).toMatchObject({ discrepancy: true, limit: 3 });
	});

	it('counts two thirds as two thirds despite three stored decimals', () => {
		expect(required(3, 0.667)).toBe(2);
		expect(required(8, 0.667)).toBe(6);
		expect(required(6, 0.667)).toBe(4);
		expect(required(5, 0.5)).toBe(3);
		expect(carried({ fund: 2, decline: 1, abstain: 0 }, 0.667)).toBe(true);
		expect(carried({ fund: 3, decline: 1, abstain: 1 }, 0.667)).toBe(false);
		expect(carried({ fund: 0, decline: 0, abstain: 0 }, 0.667)).toBe(false);
	});
});
