// A sequence diff (Myers' O(ND) algorithm) and a word/character tokenizer that suits Chinese
// (every Han character is a token) as well as English (words): used to compare two versions
// of a document, block by block and within a changed block.

export type DiffOp<T> = { op: 'equal' | 'insert' | 'delete'; items: T[] };

/** The shortest edit script turning `a` into `b`, as runs of equal, deleted and inserted items. */
export function diffSequences<T>(a: T[], b: T[], same: (x: T, y: T) => boolean = (x, y) => x === y): DiffOp<T>[] {
	// Trim the common head and tail first: versions of a document mostly agree.
	let head = 0;
	while (head < a.length && head < b.length && same(a[head], b[head])) head++;
	let tail = 0;
	while (tail < a.length - head && tail < b.length - head && same(a[a.length - 1 - tail], b[b.length - 1 - tail])) tail++;
	const A = a.slice(head, a.length - tail);
	const B = b.slice(head, b.length - tail);
	const middle = myers(A, B, same);
	const ops: DiffOp<T>[] = [];
	const push = (op: DiffOp<T>['op'], item: T) => {
		const last = ops[ops.length - 1];
		if (last && last.op === op) last.items.push(item);
		else ops.push({ op, items: [item] });
	};
	for (const x of a.slice(0, head)) push('equal', x);
	for (const [op, item] of middle) push(op, item);
	for (const x of a.slice(a.length - tail)) push('equal', x);
	return ops;
}

function myers<T>(a: T[], b: T[], same: (x: T, y: T) => boolean): ['equal' | 'insert' | 'delete', T][] {
	const n = a.length;
	const m = b.length;
	const max = n + m;
	if (max === 0) return [];
	const offset = max;
	const v = new Int32Array(2 * max + 2);
	const trace: Int32Array[] = [];
	let found = false;
	for (let d = 0; d <= max && !found; d++) {
		trace.push(v.slice());
		for (let k = -d; k <= d; k += 2) {
			let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
			let y = x - k;
			while (x < n && y < m && same(a[x], b[y])) {
				x++;
				y++;
			}
			v[offset + k] = x;
			if (x >= n && y >= m) {
				found = true;
				break;
			}
		}
	}
	// Walk back through the saved frontiers.
	const out: ['equal' | 'insert' | 'delete', T][] = [];
	let x = n;
	let y = m;
	for (let d = trace.length - 1; d >= 0; d--) {
		const vd = trace[d];
		const k = x - y;
		const prevK = k === -d || (k !== d && vd[offset + k - 1] < vd[offset + k + 1]) ? k + 1 : k - 1;
		const prevX = vd[offset + prevK];
		const prevY = prevX - prevK;
		while (x > prevX && y > prevY) {
			out.push(['equal', a[--x]]);
			y--;
		}
		if (d > 0) {
			if (x === prevX) out.push(['insert', b[--y]]);
			else out.push(['delete', a[--x]]);
		}
	}
	return out.reverse();
}

/** Han characters one by one, words, runs of spaces, anything else one by one. */
export function tokenize(text: string): string[] {
	return text.match(/\p{Script=Han}|(?:(?!\p{Script=Han})[\p{L}\p{N}_])+|\s+|[^\p{L}\p{N}\s]/gu) ?? [];
}
