// Generators for fuzzing the collaboration server: y-websocket messages (random bytes,
// truncated varints, huge declared lengths, valid messages cut short, extended with garbage
// or with bytes changed) and updates of random documents, honest and hostile.
import fc from 'fast-check';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { docFromJSON } from '../../src/lib/server/documents/content';
import { blankTemplate } from '../../src/lib/server/documents/templates';

/** The state every fuzzed document starts from: a blank document. */
export const base = Y.encodeStateAsUpdate(docFromJSON(blankTemplate('模糊测试')));

const varuint = (n: number) => {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, n);
	return encoding.toUint8Array(e);
};
const cat = (...parts: Uint8Array[]) => {
	const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return out;
};

export function syncMessage(step: number, payload: Uint8Array): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, 0);
	encoding.writeVarUint(e, step);
	encoding.writeVarUint8Array(e, payload);
	return encoding.toUint8Array(e);
}

function awarenessMessage(entries: [number, number, string][]): Uint8Array {
	const inner = encoding.createEncoder();
	encoding.writeVarUint(inner, entries.length);
	for (const [id, clock, json] of entries) {
		encoding.writeVarUint(inner, id);
		encoding.writeVarUint(inner, clock);
		encoding.writeVarString(inner, json);
	}
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, 1);
	encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
	return encoding.toUint8Array(e);
}

// ---------- random documents, honest and hostile ----------

const NODE_NAMES = ['paragraph', 'heading', 'bulletList', 'orderedList', 'listItem', 'blockquote', 'codeBlock', 'table', 'tableRow', 'tableCell', 'hardBreak', 'horizontalRule', 'doc', 'text', 'iframe', 'script'];
const MARKS = ['bold', 'italic', 'link', 'code', 'strike', 'underline', 'blink', 'link--abcdefgh'];
const ATTR_KEYS = ['level', 'start', 'colspan', 'href', 'onclick', 'language', 'align', 'class'];
const attrValue = fc.oneof(fc.integer({ min: -3, max: 2000 }), fc.constantFrom(1, 2, 4, null, 'left', 'javascript:x', 'https://a.b'), fc.string({ maxLength: 8 }));

export type Op =
	| { kind: 'element'; path: number[]; name: string; at: number }
	| { kind: 'text'; path: number[]; text: string; at: number }
	| { kind: 'format'; path: number[]; mark: string; attrs: unknown }
	| { kind: 'attr'; path: number[]; key: string; value: unknown }
	| { kind: 'delete'; path: number[]; at: number }
	| { kind: 'root'; name: string; as: 'text' | 'map' | 'array' }
	| { kind: 'embed'; path: number[] };

const path = fc.array(fc.nat({ max: 3 }), { maxLength: 3 });
export const op: fc.Arbitrary<Op> = fc.oneof(
	{ weight: 4, arbitrary: fc.record({ kind: fc.constant('element' as const), path, name: fc.constantFrom(...NODE_NAMES), at: fc.nat({ max: 4 }) }) },
	{ weight: 4, arbitrary: fc.record({ kind: fc.constant('text' as const), path, text: fc.string({ minLength: 1, maxLength: 6 }), at: fc.nat({ max: 4 }) }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('format' as const), path, mark: fc.constantFrom(...MARKS), attrs: fc.oneof(fc.constant({}), fc.constant(null), fc.constant(true), fc.record({ href: attrValue })) }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('attr' as const), path, key: fc.constantFrom(...ATTR_KEYS), value: attrValue }) },
	{ weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), path, at: fc.nat({ max: 3 }) }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('root' as const), name: fc.constantFrom('default', 'other'), as: fc.constantFrom('text' as const, 'map' as const, 'array' as const) }) },
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('embed' as const), path }) }
);

/** The element at a path of child indexes (as far as it goes). */
function reach(doc: Y.Doc, p: number[]): Y.XmlFragment | Y.XmlText {
	let node: Y.XmlFragment | Y.XmlText = doc.getXmlFragment('default');
	for (const i of p) {
		if (!(node instanceof Y.XmlFragment) || node.length === 0) break;
		node = node.get(i % node.length) as Y.XmlFragment | Y.XmlText;
	}
	return node;
}

export function perform(doc: Y.Doc, o: Op): void {
	try {
		performUnsafe(doc, o);
	} catch {
		// e.g. the fragment asked for after the root was turned into a Y.Text: nothing done.
	}
}

function performUnsafe(doc: Y.Doc, o: Op): void {
	if (o.kind === 'root') {
		if (o.name === 'default') {
			// Once only: a second swap leaves the author's own document unencodable.
			if (o.as === 'text' && !(doc.share.get('default') instanceof Y.Text)) {
				doc.share.delete('default');
				doc.get('default', Y.Text).insert(0, 'x');
			}
			return;
		}
		if (o.as === 'text') doc.getText(o.name).insert(0, 'x');
		else if (o.as === 'map') doc.getMap(o.name).set('k', 1);
		else doc.getArray(o.name).insert(0, [1]);
		return;
	}
	const target = reach(doc, o.path);
	if (o.kind === 'element' && target instanceof Y.XmlFragment) target.insert(Math.min(o.at, target.length), [new Y.XmlElement(o.name)]);
	else if (o.kind === 'text') {
		if (target instanceof Y.XmlText) target.insert(Math.min(o.at, target.length), o.text);
		else {
			const t = new Y.XmlText();
			t.insert(0, o.text);
			target.insert(Math.min(o.at, target.length), [t]);
		}
	} else if (o.kind === 'format' && target instanceof Y.XmlText && target.length > 0) target.format(0, 1, { [o.mark]: o.attrs } as never);
	else if (o.kind === 'attr' && (target instanceof Y.XmlElement || target instanceof Y.XmlText)) target.setAttribute(o.key, o.value as string);
	else if (o.kind === 'delete' && target instanceof Y.XmlFragment && target.length > 0) target.delete(o.at % target.length, 1);
	else if (o.kind === 'embed' && target instanceof Y.XmlText) target.insertEmbed(0, { image: 'x' });
}


export const validMessage: fc.Arbitrary<Uint8Array> = fc.oneof(
	fc.array(op, { maxLength: 6 }).map((ops) => {
		const d = new Y.Doc();
		Y.applyUpdate(d, base);
		const sv = Y.encodeStateVector(d);
		for (const o of ops) perform(d, o);
		return syncMessage(2, Y.encodeStateAsUpdate(d, sv));
	}),
	fc.constant(syncMessage(0, Y.encodeStateVector(new Y.Doc()))),
	fc.array(fc.tuple(fc.nat(), fc.nat(), fc.json()), { maxLength: 3 }).map((e) => awarenessMessage(e)),
	fc.constant(new Uint8Array([3]))
);

export const messages: fc.Arbitrary<Uint8Array> = fc.oneof(
	fc.uint8Array({ maxLength: 300 }),
	// Truncated varints: continuation bits with nothing after, or far more than 53 bits.
	fc.array(fc.integer({ min: 0x80, max: 0xff }), { minLength: 1, maxLength: 12 }).map((b) => new Uint8Array(b)),
	fc.tuple(fc.constantFrom(0, 1), fc.constantFrom(0, 1, 2), fc.array(fc.integer({ min: 0x80, max: 0xff }), { maxLength: 11 })).map(([t, s, b]) => new Uint8Array([t, s, ...b])),
	// Huge declared lengths with little behind them.
	fc.tuple(fc.constantFrom(0, 1), fc.constantFrom(0, 1, 2), fc.constantFrom(2 ** 31, 2 ** 32 - 1, 2 ** 48, Number.MAX_SAFE_INTEGER), fc.uint8Array({ maxLength: 16 })).map(([t, s, n, tail]) =>
		t === 0 ? cat(varuint(0), varuint(s), varuint(n), tail) : cat(varuint(1), varuint(n), tail)
	),
	fc.tuple(fc.constantFrom(2 ** 20, 2 ** 32 - 1, 2 ** 40), fc.uint8Array({ maxLength: 16 })).map(([n, tail]) => syncMessage(2, cat(varuint(n), varuint(1), varuint(0), tail))),
	fc.tuple(fc.constantFrom(65, 2 ** 31), fc.uint8Array({ maxLength: 8 })).map(([n, tail]) => cat(varuint(1), varuint(tail.length + 5), varuint(n), tail)),
	// Valid messages cut short, or followed by garbage, or with bytes changed.
	fc.tuple(validMessage, fc.nat()).map(([m, cut]) => m.slice(0, cut % Math.max(1, m.length))),
	fc.tuple(validMessage, fc.uint8Array({ minLength: 1, maxLength: 20 })).map(([m, g]) => cat(m, g)),
	fc.tuple(validMessage, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })).map(([m, flips]) => {
		const out = m.slice();
		for (const [at, v] of flips) if (out.length) out[at % out.length] = v;
		return out;
	}),
	validMessage
);

