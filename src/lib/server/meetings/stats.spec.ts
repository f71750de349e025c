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
