import { describe, expect, it } from 'vitest';
import { flagColumn, flagLimit, flagRuleOf } from './flags';

describe('the disagreement flag (one rule for every column)', () => {
	const relative = { mode: 'relative' as const, threshold: 15 };
	const absolute = { mode: 'absolute' as const, threshold: 15 };

	it('relative: the range against a percentage of the column’s full marks', () => {
		// A 35-point group: 15% × 35 = 5.25 points.
		expect(flagLimit(relative, 35)).toBe(5.25);
		// The ranges the issue saw flagged under "over 15 points": 4.4 is under 5.25, 7.7 over it.
		expect(flagColumn([20.3, 24.7, 22], 35, relative)).toEqual({ fullMarks: 35, limit: 5.25, min: 20.3, max: 24.7, range: 4.4, flagged: false });
		expect(flagColumn([18, 25.7], 35, relative)).toMatchObject({ range: 7.7, flagged: true });
		// Exactly at the limit is not over it.
		expect(flagColumn([20, 25.25], 35, relative)).toMatchObject({ range: 5.25, flagged: false });
		// The 100-point total and an item's 0–100 score: 15 points.
		expect(flagColumn([70, 85], 100, relative)).toMatchObject({ limit: 15, range: 15, flagged: false });
		expect(flagColumn([70, 85.5], 100, relative)).toMatchObject({ range: 15.5, flagged: true });
		// A 9-point item in points: 15% × 9 = 1.35.
		expect(flagColumn([6, 7.5], 9, relative)).toMatchObject({ limit: 1.35, range: 1.5, flagged: true });
	});

	it('absolute: the same points for every column', () => {
		expect(flagLimit(absolute, 35)).toBe(15);
		expect(flagColumn([18, 25.7], 35, absolute)).toMatchObject({ limit: 15, range: 7.7, flagged: false });
		expect(flagColumn([60, 75.01], 100, absolute)).toMatchObject({ range: 15.01, flagged: true });
	});

	it('one score or none is nothing to disagree about', () => {
		expect(flagColumn([80], 100, relative)).toMatchObject({ range: 0, flagged: false, min: 80, max: 80 });
		expect(flagColumn([], 100, relative)).toMatchObject({ range: null, flagged: false, min: null });
	});

	it('reads a call’s settings (relative unless stated)', () => {
		expect(flagRuleOf({ discrepancyThreshold: '15.00' })).toEqual({ mode: 'relative', threshold: 15 });
		expect(flagRuleOf({ discrepancyRule: 'absolute', discrepancyThreshold: '8' })).toEqual({ mode: 'absolute', threshold: 8 });
	});
});
