import { describe, expect, it } from 'vitest';
import { diffSequences, tokenize } from './diff';

function apply<T>(ops: ReturnType<typeof diffSequences<T>>): { from: T[]; to: T[] } {
	const from: T[] = [];
	const to: T[] = [];
	for (const o of ops) {
		if (o.op !== 'insert') from.push(...o.items);
		if (o.op !== 'delete') to.push(...o.items);
	}
	return { from, to };
}

describe('diffSequences', () => {
	it('finds the shortest script and reproduces both sides', () => {
		const a = [...'ABCABBA'];
		const b = [...'CBABAC'];
		const ops = diffSequences(a, b);
		expect(apply(ops)).toEqual({ from: a, to: b });
		const edits = ops.filter((o) => o.op !== 'equal').reduce((s, o) => s + o.items.length, 0);
		expect(edits).toBe(5);
	});

	it('handles empty sides and identical input', () => {
		expect(diffSequences([], [1, 2])).toEqual([{ op: 'insert', items: [1, 2] }]);
		expect(diffSequences([1, 2], [])).toEqual([{ op: 'delete', items: [1, 2] }]);
		expect(diffSequences([1, 2], [1, 2])).toEqual([{ op: 'equal', items: [1, 2] }]);
	});

	it('random sequences always round-trip', () => {
		for (let i = 0; i < 200; i++) {
			const a = Array.from({ length: Math.floor(Math.random() * 30) }, () => Math.floor(Math.random() * 4));
			const b = Array.from({ length: Math.floor(Math.random() * 30) }, () => Math.floor(Math.random() * 4));
			expect(apply(diffSequences(a, b))).toEqual({ from: a, to: b });
		}
	});
});

describe('tokenize', () => {
	it('splits Chinese by character and English by word', () => {
		expect(tokenize('支持 new materials，共100万元')).toEqual(['支', '持', ' ', 'new', ' ', 'materials', '，', '共', '100', '万', '元']);
	});
});
