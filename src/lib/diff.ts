// Comparing two versions of a document, on jsdiff (Myers' O(ND) algorithm): sequences of any
// items (the blocks of a document) and text within a changed block, word by word in English
// and in Chinese alike (the words of Chinese text found by Intl.Segmenter's dictionary).
import { diffArrays, diffWords } from 'diff';

export type DiffOp<T> = { op: 'equal' | 'insert' | 'delete'; items: T[] };
export type TextOp = { op: 'equal' | 'insert' | 'delete'; text: string };

/**
 * The shortest edit script turning `a` into `b`, as runs of equal, deleted and inserted items.
 * Equal runs hold `a`'s items (they may differ from `b`'s in what `same` does not compare).
 */
export function diffSequences<T>(a: T[], b: T[], same: (x: T, y: T) => boolean = (x, y) => x === y): DiffOp<T>[] {
	const ops: DiffOp<T>[] = [];
	let inA = 0;
	for (const change of diffArrays(a, b, { comparator: same })) {
		if (!change.count) continue;
		if (change.added) ops.push({ op: 'insert', items: change.value });
		else {
			ops.push({ op: change.removed ? 'delete' : 'equal', items: a.slice(inA, inA + change.count) });
			inA += change.count;
		}
	}
	return ops;
}

// 'zh' so that runs of Han characters split into dictionary words; Latin text splits as usual.
const words = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * What changed from one text to another, word by word: a changed word inside a Chinese
 * sentence shows as that word. Changes of whitespace alone count as equal, shown as in `to`.
 */
export function diffText(from: string, to: string): TextOp[] {
	return diffWords(from, to, { intlSegmenter: words })
		.filter((c) => c.value)
		.map((c) => ({ op: c.added ? 'insert' : c.removed ? 'delete' : 'equal', text: c.value }));
}

/** Han characters one by one, words, runs of spaces, anything else one by one (for measuring likeness). */
export function tokenize(text: string): string[] {
	return text.match(/\p{Script=Han}|(?:(?!\p{Script=Han})[\p{L}\p{N}_])+|\s+|[^\p{L}\p{N}\s]/gu) ?? [];
}
