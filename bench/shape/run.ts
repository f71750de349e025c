// The cost of the collaboration server's shape check per update, on a large document: a
// keystroke, a new paragraph at the top level, a pasted table, against Yjs applying the same
// update alone, and against checking the whole document (what the check avoids).
// Run: npx tsx bench/shape/run.ts  (no server needed)
import * as Y from 'yjs';
import { docFromJSON } from '../../src/lib/server/documents/content';
import { checkTransaction, shapeProblem } from '../../src/lib/server/documents/shape';
import { doc, h, p, table, ul, b, link } from '../../src/lib/server/documents/templates';
import type { PMNode } from '../../src/lib/editor/extensions';

const SECTIONS = Number(process.argv[2] ?? 400);
const blocks: PMNode[] = [];
for (let i = 0; i < SECTIONS; i++) {
	blocks.push(h(2, `第${i + 1}节 项目评审意见`));
	for (let k = 0; k < 3; k++) blocks.push(p('专家组认为，该项目技术路线清晰，', b('创新性较强'), '，市场前景良好；建议 ', link('参考文件', 'https://example.org/a'), ' 所列条件落实后予以支持。'.repeat(2)));
	blocks.push(ul('技术指标', '经费预算', '进度安排'));
	if (i % 4 === 0) blocks.push(table(['指标', '目标', '说明'], ['一', '二', '三'], ['四', '五', '六']));
}
const big = docFromJSON(doc(...blocks));
const state = Y.encodeStateAsUpdate(big);

function fresh(): Y.Doc {
	const d = new Y.Doc();
	Y.applyUpdate(d, state);
	d.getXmlFragment('default');
	return d;
}

/** Updates made on a copy: each is what one client sends. */
function updates(n: number, make: (d: Y.Doc, i: number) => void): Uint8Array[] {
	const d = fresh();
	const out: Uint8Array[] = [];
	d.on('update', (u: Uint8Array) => out.push(u));
	for (let i = 0; i < n; i++) make(d, i);
	return out;
}

/**
 * µs per update spent in Yjs applying it and in checking what it added (as applyChecked does
 * it), the best of three rounds: the machine is shared and the first round warms up the JIT.
 */
function time(list: Uint8Array[]): { apply: number; check: number } {
	let best = { apply: Infinity, check: Infinity };
	for (let round = 0; round < 3; round++) {
		const d = fresh();
		const seen: Y.Transaction[] = [];
		d.on('afterTransaction', (t: Y.Transaction) => seen.push(t));
		let apply = 0;
		let check = 0;
		for (const u of list) {
			const t0 = performance.now();
			Y.applyUpdate(d, u);
			const t1 = performance.now();
			for (const tr of seen.splice(0)) checkTransaction(d, tr);
			check += performance.now() - t1;
			apply += t1 - t0;
		}
		if (apply + check < best.apply + best.check) best = { apply: (apply / list.length) * 1000, check: (check / list.length) * 1000 };
		d.destroy();
	}
	return best;
}

const middle = Math.floor(big.getXmlFragment('default').length / 2);
const keystrokes = updates(2000, (d, i) => {
	const para = d.getXmlFragment('default').get(middle + 1) as Y.XmlElement;
	const text = para.toArray().find((c) => c instanceof Y.XmlText) as Y.XmlText;
	text.insert(i % 10, '字');
});
const paragraphs = updates(300, (d, i) => {
	const el = new Y.XmlElement('paragraph');
	const t = new Y.XmlText();
	t.insert(0, `新段落 ${i}`, { bold: {} });
	el.insert(0, [t]);
	d.getXmlFragment('default').insert(middle, [el]);
});
const tables = updates(50, (d) => {
	const copy = docFromJSON(doc(table(['甲', '乙', '丙', '丁'], ...Array.from({ length: 20 }, (_, r) => [`${r}`, '内容', '内容', '内容']))));
	const src = copy.getXmlFragment('default').get(0) as Y.XmlElement;
	d.getXmlFragment('default').insert(middle, [src.clone()]);
});

console.log(`document: ${SECTIONS} sections, ${big.getXmlFragment('default').length} top-level blocks, ${(state.byteLength / 1024).toFixed(0)} KiB of Yjs state`);
for (const [label, list] of [
	['keystroke in a paragraph', keystrokes],
	['new top-level paragraph', paragraphs],
	['pasted 21×4 table', tables]
] as const) {
	const { apply, check } = time(list);
	console.log(`${label.padEnd(28)} Yjs applying ${apply.toFixed(1).padStart(8)} µs   shape check ${check.toFixed(1).padStart(7)} µs`);
}
const d = fresh();
const started = performance.now();
for (let i = 0; i < 20; i++) shapeProblem(d);
console.log(`${'whole-document check (shapeProblem)'.padEnd(48)} ${(((performance.now() - started) / 20) * 1000).toFixed(1).padStart(8)} µs`);
const s2 = performance.now();
for (let i = 0; i < 20; i++) fresh();
console.log(`${'copying the document (what a copy per update costs)'.padEnd(48)} ${(((performance.now() - s2) / 20) * 1000).toFixed(1).padStart(8)} µs`);
