import { describe, expect, it } from 'vitest';
import { countExits, EXACT_LIMIT, minimumExits, suggestOrder, type AgendaEntry } from './agenda-order';

const e = (key: string, ...recused: string[]): AgendaEntry => ({ key, recused });
const keys = (xs: AgendaEntry[]) => xs.map((x) => x.key).join(' ');

/** Every order of a small agenda, for checking the exact answer. */
function permutations<T>(xs: T[]): T[][] {
	if (xs.length <= 1) return [xs];
	return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

/** A small deterministic generator (mulberry32) for random agendas. */
function random(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function randomAgenda(seed: number, items: number, members: number, p: number): AgendaEntry[] {
	const r = random(seed);
	return Array.from({ length: items }, (_, i) => e(`a${i}`, ...Array.from({ length: members }, (_, m) => `m${m}`).filter(() => r() < p)));
}

describe('countExits', () => {
	it('counts one exit per run of recused items, per member', () => {
		expect(countExits([])).toBe(0);
		expect(countExits([e('a'), e('b')])).toBe(0);
		expect(countExits([e('a', 'x'), e('b', 'x'), e('c')])).toBe(1);
		expect(countExits([e('a', 'x'), e('b'), e('c', 'x')])).toBe(2);
		expect(countExits([e('a', 'x', 'y'), e('b', 'y'), e('c', 'x')])).toBe(3);
		expect(minimumExits([e('a', 'x', 'y'), e('b', 'y'), e('c', 'x')])).toBe(2);
	});
});

describe('suggestOrder', () => {
	it('brings each member’s recused items together and keeps the staff’s order otherwise', () => {
		const agenda = [e('1', 'x'), e('2'), e('3', 'x'), e('4'), e('5', 'y'), e('6', 'y')];
		const s = suggestOrder(agenda);
		expect(countExits(agenda)).toBe(3);
		expect(countExits(s)).toBe(2);
		expect(keys(s)).toBe('1 3 2 4 5 6');
	});

	it('returns the staff’s order unchanged when it is already best', () => {
		const agenda = [e('1'), e('2', 'x'), e('3', 'x', 'y'), e('4', 'y'), e('5')];
		expect(suggestOrder(agenda)).toEqual(agenda);
		expect(suggestOrder([])).toEqual([]);
	});

	it('finds the optimum for small agendas (checked against every order)', () => {
		for (let seed = 1; seed <= 40; seed++) {
			const agenda = randomAgenda(seed, 6, 4, 0.3);
			const best = Math.min(...permutations(agenda).map(countExits));
			expect(countExits(suggestOrder(agenda))).toBe(best);
		}
	});

	it('is deterministic, never worse than the input, and keeps every item once', () => {
		for (const [seed, items] of [
			[7, 8],
			[8, 30],
			[9, 60]
		]) {
			const agenda = randomAgenda(seed, items, 10, 0.15);
			const a = suggestOrder(agenda);
			const b = suggestOrder([...agenda]);
			expect(keys(a)).toBe(keys(b));
			expect(countExits(a)).toBeLessThanOrEqual(countExits(agenda));
			expect(countExits(a)).toBeGreaterThanOrEqual(minimumExits(agenda));
			expect([...a].map((x) => x.key).sort()).toEqual(agenda.map((x) => x.key).sort());
		}
	});

	it('uses the local search beyond the exact limit and still improves a scattered agenda', () => {
		// Each member recused on two items far apart: the best order needs one exit each.
		const members = EXACT_LIMIT + 3;
		const agenda = [...Array.from({ length: members }, (_, i) => e(`p${i}`, `m${i}`)), ...Array.from({ length: members }, (_, i) => e(`q${i}`, `m${i}`))];
		expect(countExits(agenda)).toBe(2 * members);
		expect(countExits(suggestOrder(agenda))).toBe(members);
	});
});
