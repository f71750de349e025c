import { describe, expect, it } from 'vitest';
import { drawExperts, drawRandom, sfc32, shuffle } from './draw';

describe('the seeded generator', () => {
	it('repeats itself exactly from the same state', () => {
		const next = sfc32(0x9e3779b9, 0x243f6a88, 0xb7e15162, 0);
		const first = Array.from({ length: 3 }, () => Math.floor(next() * 2 ** 32));
		const again = sfc32(0x9e3779b9, 0x243f6a88, 0xb7e15162, 0);
		expect(Array.from({ length: 3 }, () => Math.floor(again() * 2 ** 32))).toEqual(first);
	});

	it('gives the same sequence for the same seed and label, another for another', () => {
		const a = drawRandom('2026-draw', 'IF2026-0002');
		const b = drawRandom('2026-draw', 'IF2026-0002');
		const c = drawRandom('2026-draw', 'IF2026-0003');
		const xs = Array.from({ length: 5 }, () => a());
		expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
		expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
		for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
	});

	it('shuffles without losing or repeating anyone', () => {
		const pool = Array.from({ length: 50 }, (_, i) => `e${i}`);
		const out = shuffle(pool, drawRandom('s', 'l'));
		expect([...out].sort()).toEqual([...pool].sort());
		expect(out).not.toEqual(pool);
	});

	it('draws finance experts from their pool and technical ones from theirs', () => {
		const drawn = drawExperts({ seed: 'x', label: 'A', technicalPool: ['t1', 't2', 't3', 't4'], financePool: ['f1', 'f2'], technicalNeeded: 2, financeNeeded: 1 });
		expect(drawn).toHaveLength(3);
		expect(drawn[0]).toMatch(/^f/);
		expect(drawn.slice(1).every((id) => id.startsWith('t'))).toBe(true);
	});
});
