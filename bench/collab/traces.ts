// Real editing traces (josephg/editing-traces, CC BY 4.0) read from ../shared/traces, never
// copied into the repository. Sequential traces apply their patches in order; concurrent ones
// are replayed per agent on a fork of the document at the transaction's parents, the way the
// traces' README describes, so each patch's positions mean what they meant to its author.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import * as Y from 'yjs';
import { root } from './lib';
import { lastParagraphText } from './content';

export type Patch = [pos: number, del: number, ins: string];

export interface Trace {
	startContent?: string;
	endContent: string;
	numAgents?: number;
	txns: { patches: Patch[]; agent?: number; parents?: number[] }[];
}

export const TRACES_DIR = path.resolve(root, '../shared/traces');

export function loadTrace(name: string): Trace {
	const file = path.join(TRACES_DIR, `${name}.json.gz`);
	return JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8')) as Trace;
}

/** Positions are in code points; Y.Text counts UTF-16 units. Only texts with astral characters differ. */
function hasAstral(trace: Trace): boolean {
	const astral = /[\uD800-\uDBFF]/;
	if (astral.test(trace.endContent) || astral.test(trace.startContent ?? '')) return true;
	return trace.txns.some((t) => t.patches.some(([, , ins]) => astral.test(ins)));
}

function utf16At(text: string, codePoint: number): number {
	let i = 0;
	for (let c = 0; c < codePoint && i < text.length; c++) i += text.codePointAt(i)! > 0xffff ? 2 : 1;
	return i;
}

export function patcher(trace: Trace): (text: Y.Text, patches: Patch[]) => void {
	if (!hasAstral(trace)) {
		return (text, patches) => {
			for (const [pos, del, ins] of patches) {
				if (del) text.delete(pos, del);
				if (ins) text.insert(pos, ins);
			}
		};
	}
	return (text, patches) => {
		for (const [pos, del, ins] of patches) {
			const s = text.toString();
			const at = utf16At(s, pos);
			if (del) text.delete(at, utf16At(s, pos + del) - at);
			if (ins) text.insert(at, ins);
		}
	};
}

/**
 * Replays a concurrent trace: `next()` produces the Yjs update of the next transaction, made
 * by its agent on a document holding exactly that transaction's ancestors.
 */
export class ConcurrentReplay {
	private readonly updates: Uint8Array[] = [];
	private readonly forks: { doc: Y.Doc; have: Set<number> }[] = [];
	private readonly apply: (text: Y.Text, patches: Patch[]) => void;
	index = 0;

	/**
	 * `seed` is the document as the clients hold it before the first transaction, ending with
	 * the benchmark's (empty) paragraph: every fork starts from it and patches that paragraph.
	 */
	constructor(
		private readonly trace: Trace,
		clientIds: number[],
		seed: Uint8Array
	) {
		this.apply = patcher(trace);
		for (let a = 0; a < (trace.numAgents ?? 1); a++) {
			const doc = new Y.Doc();
			doc.clientID = clientIds[a];
			Y.applyUpdate(doc, seed);
			this.forks.push({ doc, have: new Set() });
		}
	}

	get done(): boolean {
		return this.index >= this.trace.txns.length;
	}

	/**
	 * The next transaction's update, and what its author's client must have received first: the
	 * clock of every other agent its parents include (`needs`). A live replay waits for that
	 * before sending, as the author had seen those edits when they typed.
	 */
	next(): { agent: number; update: Uint8Array; needs: Map<number, number> } {
		const i = this.index++;
		const txn = this.trace.txns[i];
		const agent = txn.agent ?? 0;
		const fork = this.forks[agent];
		// Bring the fork to the parents' merged state: add every ancestor it lacks, in order.
		const missing: number[] = [];
		const stack = [...(txn.parents ?? [])];
		while (stack.length) {
			const p = stack.pop()!;
			if (fork.have.has(p)) continue;
			fork.have.add(p);
			missing.push(p);
			stack.push(...(this.trace.txns[p].parents ?? []));
		}
		if (missing.length) Y.applyUpdate(fork.doc, Y.mergeUpdates(missing.sort((a, b) => a - b).map((m) => this.updates[m])));
		const needs = new Map<number, number>();
		for (const [a, other] of this.forks.entries()) {
			if (a === agent) continue;
			const clock = Y.getState(fork.doc.store, other.doc.clientID);
			if (clock > 0) needs.set(other.doc.clientID, clock);
		}
		let update: Uint8Array | null = null;
		const capture = (u: Uint8Array) => (update = u);
		fork.doc.on('update', capture);
		fork.doc.transact(() => this.apply(lastParagraphText(fork.doc)!, txn.patches));
		fork.doc.off('update', capture);
		fork.have.add(i);
		this.updates[i] = update ?? new Uint8Array([0, 0]);
		return { agent, update: this.updates[i], needs };
	}
}
