import { describe, expect, it } from 'vitest';
import { diffSequences, diffText, tokenize } from './diff';

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

describe('diffSequences with a comparison', () => {
	it('keeps the first side\'s items in equal runs', () => {
		const a = [{ k: 1, v: 'old' }, { k: 2, v: 'x' }];
		const b = [{ k: 1, v: 'new' }, { k: 3, v: 'y' }];
		const ops = diffSequences(a, b, (x, y) => x.k === y.k);
		expect(ops).toEqual([
			{ op: 'equal', items: [a[0]] },
			{ op: 'delete', items: [a[1]] },
			{ op: 'insert', items: [b[1]] }
		]);
	});
});

describe('diffText', () => {
	const marked = (from: string, to: string) =>
		diffText(from, to)
			.map((o) => (o.op === 'equal' ? o.text : o.op === 'insert' ? `[+${o.text}]` : `[-${o.text}]`))
			.join('');

	it('shows a changed word inside a Chinese sentence as that word, not the line', () => {
		expect(marked('本年度重点支持七个技术领域中具有自主知识产权的项目', '本年度重点支持八个技术领域中拥有自主知识产权的项目')).toBe(
			'本年度重点支持[-七个][+八个]技术领域中[-具有][+拥有]自主知识产权的项目'
		);
		expect(marked('资助额度不超过100万元。', '资助额度一般不超过200万元。')).toBe('资助额度[+一般]不超过[-100][+200]万元。');
	});

	it('handles Chinese and English mixed in one sentence', () => {
		expect(marked('支持 new materials，共100万元', '支持 advanced materials，共120万元')).toBe('支持 [-new][+advanced] materials，共[-100][+120]万元');
		expect(marked('采用 Yjs 协同编辑', '采用 Tiptap 协同编辑')).toBe('采用 [-Yjs][+Tiptap] 协同编辑');
	});

	it('reproduces both texts and handles empty sides', () => {
		const from = '申报材料须一次提交齐全。The deadline is 31 December.';
		const to = '申报材料须在截止前提交齐全。The deadline is 30 November!';
		const ops = diffText(from, to);
		expect(ops.filter((o) => o.op !== 'insert').map((o) => o.text).join('')).toBe(from);
		expect(ops.filter((o) => o.op !== 'delete').map((o) => o.text).join('')).toBe(to);
		expect(diffText('', '新增')).toEqual([{ op: 'insert', text: '新增' }]);
		expect(diffText('删除', '')).toEqual([{ op: 'delete', text: '删除' }]);
		expect(diffText('', '')).toEqual([]);
	});
});
