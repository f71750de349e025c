// The shape of a document: what the editor's schema allows in its Yjs state, checked before
// the collaboration server stores an update, and read leniently by everything that turns
// stored content into something else (exports, print, versions, the lock, restoring).
//
// Two kinds of rule. The editor's vocabulary and placement (only the XmlFragment root, known
// node and mark names, known attributes with sane values, text only where the schema allows
// text, block nodes only where blocks go) can never be broken by the editor, however edits
// interleave: each Yjs item keeps the parent it was written into, and the editor writes only
// what its schema allows there. A break is a forged update, and it is refused. The schema's
// content expressions (a list item opens with a paragraph, a table has rows, the document has
// a block) can be broken by honest concurrent edits (two people deleting the last two rows
// of a table at once), and y-prosemirror tolerates that; those are reported, not refused, and
// every reader repairs them.
import * as Y from 'yjs';
import { getSchema } from '@tiptap/core';
import { isAllowedUri } from '@tiptap/extension-link';
import { Fragment, Mark, type MarkType, type Node as PMNodeT, type NodeType, type Schema } from '@tiptap/pm/model';
import { contentExtensions, FRAGMENT, HEADING_LEVELS, type PMNode } from '$lib/editor/extensions';

let cached: Schema | undefined;
/** The ProseMirror schema of the editor, built from the same extensions it uses. */
export function schema(): Schema {
	return (cached ??= getSchema(contentExtensions()));
}

// ---------- attribute values ----------

type Check = (v: unknown) => boolean;
const str =
	(max: number): Check =>
	(v) =>
		typeof v === 'string' && v.length <= max;
const orNull =
	(c: Check): Check =>
	(v) =>
		v === null || c(v);
const int =
	(min: number, max: number): Check =>
	(v) =>
		Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const oneOf =
	(...values: unknown[]): Check =>
	(v) =>
		values.includes(v);
const primitive: Check = (v) =>
	v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length <= 10_000);
const href: Check = (v) => v === null || (typeof v === 'string' && v.length <= 4096 && !!isAllowedUri(v));
// Pasted HTML can carry any number (even NaN) here; the readers clamp what they print.
const anyNumber: Check = (v) => typeof v === 'number';
const cell = {
	// prosemirror-tables builds a map as wide as the spans: a forged colspan of 10^9 would freeze every editor.
	colspan: int(1, 1000),
	rowspan: int(1, 1000),
	colwidth: (v: unknown) => v === null || (Array.isArray(v) && v.length <= 1000 && v.every((w) => typeof w === 'number')),
	align: oneOf(null, 'left', 'right', 'center')
};

const NODE_ATTRS: Record<string, Record<string, Check>> = {
	heading: { level: oneOf(...HEADING_LEVELS) },
	orderedList: { start: anyNumber, type: orNull(str(16)) },
	codeBlock: { language: orNull(str(200)) },
	tableCell: cell,
	tableHeader: cell
};
const MARK_ATTRS: Record<string, Record<string, Check>> = {
	link: { href, target: orNull(str(32)), rel: orNull(str(200)), class: orNull(str(200)), title: orNull(str(1000)) }
};

function attrCheck(table: Record<string, Record<string, Check>>, type: string, key: string): Check {
	return table[type]?.[key] ?? primitive;
}

// ---------- placement ----------

const allowedCache = new WeakMap<NodeType, Set<NodeType>>();
/** Every node type that may appear anywhere in this type's content. */
function allowedChildren(type: NodeType): Set<NodeType> {
	let set = allowedCache.get(type);
	if (set) return set;
	set = new Set();
	const seen = new Set<unknown>();
	const walk = (match: NodeType['contentMatch']) => {
		if (seen.has(match)) return;
		seen.add(match);
		for (let i = 0; i < match.edgeCount; i++) {
			const edge = match.edge(i);
			set!.add(edge.type);
			walk(edge.next);
		}
	};
	walk(type.contentMatch);
	allowedCache.set(type, set);
	return set;
}

/** y-tiptap names a mark that may overlap itself `name--hash`. */
export function markName(key: string): string {
	return /^(.*)--[a-zA-Z0-9+/=]{8}$/.exec(key)?.[1] ?? key;
}

// ---------- the strict check ----------

export class ShapeError extends Error {}

const fail = (message: string): never => {
	throw new ShapeError(message);
};

// Any Yjs type: they are invariant in their event type, which is irrelevant here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type YType = Y.AbstractType<any>;

function attrSpecs(type: NodeType | MarkType): Record<string, { default?: unknown }> {
	return (type.spec.attrs ?? {}) as Record<string, { default?: unknown }>;
}
function isPlainObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function checkNodeAttrs(el: Y.XmlElement, type: NodeType): void {
	el._map.forEach((item, key) => {
		if (item.deleted) return;
		if (!Object.hasOwn(attrSpecs(type), key)) fail(`unknown attribute ${key} on ${type.name}`);
		if (!(item.content instanceof Y.ContentAny) || item.content.arr.length !== 1) fail(`attribute ${key} of ${type.name} is not a value`);
		const value = (item.content as Y.ContentAny).arr[0];
		if (!attrCheck(NODE_ATTRS, type.name, key)(value)) fail(`bad value for ${type.name}.${key}`);
	});
}

function checkFormat(key: string, value: unknown, parent: NodeType): void {
	const name = markName(key);
	const type: MarkType | undefined = schema().marks[name];
	if (!type) fail(`unknown mark ${name}`);
	if (!parent.allowsMarkType(type!)) fail(`mark ${name} is not allowed in ${parent.name}`);
	// null ends a formatting range.
	if (value === null) return;
	if (!isPlainObject(value)) fail(`mark ${name} has no attributes object`);
	for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
		if (!Object.hasOwn(attrSpecs(type!), k)) fail(`unknown attribute ${k} on mark ${name}`);
		if (!attrCheck(MARK_ATTRS, name, k)(v)) fail(`bad value for mark ${name}.${k}`);
	}
}

function checkText(text: Y.XmlText, parent: NodeType): void {
	text._map.forEach((item) => {
		if (!item.deleted) fail('attributes on text');
	});
	for (let item = text._start; item; item = item.right) {
		if (item.deleted) continue;
		const c = item.content;
		if (c instanceof Y.ContentString) continue;
		if (c instanceof Y.ContentFormat) checkFormat(c.key, c.value, parent);
		else fail(`text in ${parent.name} holds something that is not text`);
	}
}

/** Checks a node's attributes and children, and the whole subtree below it. */
function checkContainer(type: YType, node: NodeType): void {
	if (type instanceof Y.XmlElement) checkNodeAttrs(type, node);
	else
		type._map.forEach((item) => {
			if (!item.deleted) fail('attributes on the document root');
		});
	const allowed = allowedChildren(node);
	for (let item = type._start; item; item = item.right) {
		if (item.deleted) continue;
		const c = item.content;
		if (!(c instanceof Y.ContentType)) fail(`${node.name} holds something that is not a node`);
		const child = (c as Y.ContentType).type;
		if (child instanceof Y.XmlText) {
			if (!allowed.has(schema().nodes.text)) fail(`text directly in ${node.name}`);
			checkText(child, node);
		} else if (child instanceof Y.XmlElement) {
			const childType = schema().nodes[child.nodeName];
			if (!childType || childType.isText) fail(`unknown node type ${child.nodeName}`);
			if (!allowed.has(childType)) fail(`${childType.name} is not allowed in ${node.name}`);
			checkContainer(child, childType);
		} else {
			fail(`${node.name} holds a Yjs type the editor does not use`);
		}
	}
}

function rootName(doc: Y.Doc, type: YType): string | undefined {
	for (const [name, t] of doc.share) if (t === type) return name;
	return undefined;
}

function hasLiveContent(type: YType): boolean {
	for (let item = type._start; item; item = item.right) if (!item.deleted) return true;
	for (const item of type._map.values()) if (!item.deleted) return true;
	return false;
}

function checkRoot(name: string, type: YType): void {
	if (name !== FRAGMENT) {
		if (hasLiveContent(type)) fail(`extra root ${JSON.stringify(name.slice(0, 40))}`);
		return;
	}
	// Decoded roots are untyped until someone asks for one; anything but the fragment is wrong.
	if (type.constructor !== Y.AbstractType && type.constructor !== Y.XmlFragment) fail(`root ${name} is not an XmlFragment`);
	checkContainer(type, schema().topNodeType);
}

/**
 * The first vocabulary or placement break in the whole document, or null. O(document): for
 * tests, the readers and repairs; the server checks only what each update added.
 */
export function vocabularyProblem(doc: Y.Doc): string | null {
	try {
		for (const [name, type] of doc.share) checkRoot(name, type);
		return null;
	} catch (err) {
		if (err instanceof ShapeError) return err.message;
		throw err;
	}
}

/** One item an update added, against the type it went into. */
function checkNewItem(doc: Y.Doc, item: Y.Item): void {
	// Deleted already (in the same update, or written into something deleted): never shown.
	if (item.deleted) return;
	const parent = item.parent as YType;
	if (parent._item === null) {
		const name = rootName(doc, parent);
		if (name !== FRAGMENT) fail(`extra root ${JSON.stringify(String(name).slice(0, 40))}`);
		if (parent.constructor !== Y.AbstractType && parent.constructor !== Y.XmlFragment) fail(`root ${name} is not an XmlFragment`);
		if (item.parentSub !== null) fail('attributes on the document root');
		return checkChild(item, schema().topNodeType);
	}
	if (parent instanceof Y.XmlText) {
		if (item.parentSub !== null) fail('attributes on text');
		const holder = parent._item!.parent as YType;
		const holderType = holder instanceof Y.XmlElement ? schema().nodes[holder.nodeName] : holder._item === null ? schema().topNodeType : undefined;
		if (!holderType) fail('text outside the document');
		const c = item.content;
		if (c instanceof Y.ContentString) return;
		if (c instanceof Y.ContentFormat) return checkFormat(c.key, c.value, holderType!);
		return fail(`text in ${holderType!.name} holds something that is not text`);
	}
	if (!(parent instanceof Y.XmlElement)) return fail('a Yjs type the editor does not use');
	const node = schema().nodes[parent.nodeName];
	if (!node || node.isText) fail(`unknown node type ${parent.nodeName}`);
	if (item.parentSub !== null) {
		const key = item.parentSub;
		if (!Object.hasOwn(attrSpecs(node), key)) fail(`unknown attribute ${key} on ${node.name}`);
		if (!(item.content instanceof Y.ContentAny) || item.content.arr.length !== 1) fail(`attribute ${key} of ${node.name} is not a value`);
		if (!attrCheck(NODE_ATTRS, node.name, key)((item.content as Y.ContentAny).arr[0])) fail(`bad value for ${node.name}.${key}`);
		return;
	}
	checkChild(item, node);
}

/** A child item of a node of type `node`: a node the schema allows there (its own content is new items too). */
function checkChild(item: Y.Item, node: NodeType): void {
	const c = item.content;
	if (!(c instanceof Y.ContentType)) return fail(`${node.name} holds something that is not a node`);
	const child = c.type;
	if (child instanceof Y.XmlText) {
		if (!allowedChildren(node).has(schema().nodes.text)) fail(`text directly in ${node.name}`);
	} else if (child instanceof Y.XmlElement) {
		const childType = schema().nodes[child.nodeName];
		if (!childType || childType.isText) fail(`unknown node type ${child.nodeName}`);
		if (!allowedChildren(node).has(childType)) fail(`${childType.name} is not allowed in ${node.name}`);
	} else {
		fail(`${node.name} holds a Yjs type the editor does not use`);
	}
}

/**
 * What a transaction just added breaks, looking only at the items it added (a keystroke costs
 * one item, not the document): each is checked against the type it went into. Call after the
 * transaction (its afterState is set then). Throws ShapeError.
 */
export function checkTransaction(doc: Y.Doc, tr: Y.Transaction): void {
	for (const [client, after] of tr.afterState) {
		const before = tr.beforeState.get(client) ?? 0;
		if (after <= before) continue;
		const structs = doc.store.clients.get(client);
		if (!structs) continue;
		for (let i = Y.findIndexSS(structs, before); i < structs.length && structs[i].id.clock < after; i++) {
			const s = structs[i];
			if (s instanceof Y.Item) checkNewItem(doc, s);
		}
	}
}

/**
 * Applies an update to the document and checks what it added; throws ShapeError (the update
 * is then applied: use a copy of the document you can throw away).
 */
export function applyChecked(doc: Y.Doc, update: Uint8Array): void {
	// Yjs may run more transactions while cleaning up (formatting): check every one.
	const seen: Y.Transaction[] = [];
	const grab = (t: Y.Transaction) => seen.push(t);
	doc.on('afterTransaction', grab);
	try {
		Y.applyUpdate(doc, update);
	} finally {
		doc.off('afterTransaction', grab);
	}
	for (const tr of seen) checkTransaction(doc, tr);
}

// ---------- the schema's content rules (node.check) ----------

function strictNode(type: YType, node: NodeType): PMNodeT {
	const s = schema();
	const children: PMNodeT[] = [];
	for (const child of (type as Y.XmlFragment).toArray()) {
		if (child instanceof Y.XmlText) {
			for (const op of child.toDelta() as { insert: string; attributes?: Record<string, Record<string, unknown>> }[]) {
				const marks = Object.entries(op.attributes ?? {}).map(([k, attrs]) => s.mark(markName(k), attrs));
				children.push(s.text(op.insert, marks));
			}
		} else {
			const el = child as Y.XmlElement;
			children.push(strictNode(el, s.nodes[el.nodeName]));
		}
	}
	const attrs = type instanceof Y.XmlElement ? type.getAttributes() : null;
	return node.create(attrs, children);
}

/**
 * The first break of the schema anywhere (vocabulary first, then the content rules that
 * ProseMirror's node.check() enforces), or null when the editor's schema accepts the document.
 */
export function shapeProblem(doc: Y.Doc): string | null {
	const vocabulary = vocabularyProblem(doc);
	if (vocabulary) return vocabulary;
	try {
		strictNode(doc.getXmlFragment(FRAGMENT), schema().topNodeType).check();
		return null;
	} catch (err) {
		return (err as Error).message;
	}
}

// ---------- lenient reading ----------

const MAX_DEPTH = 100;

function cleanAttrs(type: NodeType | MarkType, raw: unknown, checks: Record<string, Check> | undefined): Record<string, unknown> | null {
	const out: Record<string, unknown> = {};
	const given = isPlainObject(raw) ? raw : {};
	for (const [key, spec] of Object.entries(attrSpecs(type))) {
		const v = given[key];
		if (v !== undefined && (checks?.[key] ?? primitive)(v)) out[key] = v;
		else if ('default' in spec) out[key] = spec.default;
		else return null;
	}
	return out;
}

function leniently(raw: unknown, depth: number): PMNodeT[] {
	const s = schema();
	if (depth > MAX_DEPTH || !isPlainObject(raw) || typeof raw.type !== 'string') return [];
	const content = Array.isArray(raw.content) ? raw.content : [];
	if (raw.type === 'text') {
		if (typeof raw.text !== 'string' || raw.text === '') return [];
		let set: readonly Mark[] = Mark.none;
		for (const m of Array.isArray(raw.marks) ? raw.marks : []) {
			if (!isPlainObject(m) || typeof m.type !== 'string') continue;
			const markType = s.marks[markName(m.type)];
			if (!markType) continue;
			const attrs = cleanAttrs(markType, m.attrs, MARK_ATTRS[markType.name]);
			if (attrs) set = markType.create(attrs).addToSet(set);
		}
		return [s.text(raw.text, set)];
	}
	const children = content.flatMap((c) => leniently(c, depth + 1));
	const type = s.nodes[raw.type];
	// An unknown node is skipped; what it held is kept where it fits.
	if (!type || (type === s.topNodeType && depth > 0)) return children;
	const attrs = cleanAttrs(type, raw.attrs, NODE_ATTRS[type.name]);
	if (!attrs) return children;
	const node = fit(type, attrs, children);
	return node ? [node] : children;
}

/** The node with as much of its children as the schema lets it hold, in order; null if impossible. */
function fit(type: NodeType, attrs: Record<string, unknown>, children: PMNodeT[]): PMNodeT | null {
	const s = schema();
	if (type.isLeaf) return type.create(attrs);
	let input: PMNodeT[];
	if (!type.inlineContent) {
		// Loose inline content in a block container goes into paragraphs.
		const grouped: PMNodeT[] = [];
		let run: PMNodeT[] = [];
		const flush = () => {
			if (run.length) grouped.push(s.nodes.paragraph.create(null, run));
			run = [];
		};
		for (const c of children) {
			if (c.isInline) run.push(c.mark(c.marks.filter((m) => s.nodes.paragraph.allowsMarkType(m.type))));
			else {
				flush();
				grouped.push(c);
			}
		}
		flush();
		input = grouped;
	} else {
		input = children.filter((c) => c.isInline).map((c) => c.mark(c.marks.filter((m) => type.allowsMarkType(m.type))));
	}
	let match = type.contentMatch;
	const kept: PMNodeT[] = [];
	for (const c of input) {
		let next = match.matchType(c.type);
		if (!next) {
			const fill = match.fillBefore(Fragment.from(c));
			if (fill) {
				fill.forEach((f) => kept.push(f));
				match = match.matchFragment(fill)!;
				next = match.matchType(c.type);
			}
		}
		if (!next) continue;
		kept.push(c);
		match = next;
	}
	try {
		const node = type.createAndFill(attrs, kept);
		node?.check();
		return node;
	} catch {
		return null;
	}
}

/**
 * Any value as a document the editor's schema accepts: unknown nodes are skipped (their
 * content kept where it fits), unknown marks and attributes dropped, bad values reset to
 * their defaults, and what the content rules require filled in. Never throws.
 */
export function normalizeContent(raw: unknown): PMNode {
	const s = schema();
	try {
		const node = s.nodeFromJSON(raw);
		node.check();
		// toJSON, not the input: nodeFromJSON silently drops attributes the schema does not know.
		if (node.type === s.topNodeType && vocabularyOfJSON(node)) return node.toJSON() as PMNode;
	} catch {
		/* repaired below */
	}
	try {
		const built = leniently(raw, 0);
		const top = built.length === 1 && built[0].type === s.topNodeType ? built[0] : fit(s.topNodeType, {}, built);
		if (top) return top.toJSON() as PMNode;
	} catch {
		/* nothing usable */
	}
	return s.topNodeType.createAndFill()!.toJSON() as PMNode;
}

/** Attribute values pass the same checks as in the Yjs state (nodeFromJSON checks names, not values). */
function vocabularyOfJSON(node: PMNodeT): boolean {
	let ok = true;
	node.descendants((n) => {
		if (!ok) return false;
		for (const [k, v] of Object.entries(n.attrs)) if (!attrCheck(NODE_ATTRS, n.type.name, k)(v)) ok = false;
		for (const m of n.marks) for (const [k, v] of Object.entries(m.attrs)) if (!attrCheck(MARK_ATTRS, m.type.name, k)(v)) ok = false;
		return ok;
	});
	return ok;
}

/** A version's or lock's stored JSON text as content the readers can use. */
export function storedContent(text: string): PMNode {
	let raw: unknown = null;
	try {
		raw = JSON.parse(text);
	} catch {
		/* empty document below */
	}
	return normalizeContent(raw);
}

/** Whatever the Yjs state holds, as loose JSON: text wherever Yjs has strings, elements as nodes. */
function looseJSON(type: YType, depth: number): unknown[] {
	if (depth > MAX_DEPTH) return [];
	const out: unknown[] = [];
	let text = '';
	const flush = () => {
		if (text) out.push({ type: 'text', text });
		text = '';
	};
	for (let item = type._start; item; item = item.right) {
		if (item.deleted) continue;
		const c = item.content;
		if (c instanceof Y.ContentString) {
			text += c.str;
			continue;
		}
		flush();
		if (!(c instanceof Y.ContentType)) continue;
		const child = c.type;
		if (child instanceof Y.XmlText) {
			for (const op of child.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
				if (typeof op.insert !== 'string') continue;
				out.push({ type: 'text', text: op.insert, marks: Object.entries(op.attributes ?? {}).map(([k, attrs]) => ({ type: k, attrs })) });
			}
		} else if (child instanceof Y.XmlElement) {
			const attrs: Record<string, unknown> = {};
			child._map.forEach((it, key) => {
				if (!it.deleted && it.content instanceof Y.ContentAny) attrs[key] = it.content.arr[it.content.arr.length - 1];
			});
			out.push({ type: child.nodeName, attrs, content: looseJSON(child, depth + 1) });
		}
	}
	flush();
	return out;
}

/** The document's content as the editor's schema accepts it, whatever the stored state holds. Never throws. */
export function readContent(doc: Y.Doc): PMNode {
	const root = doc.share.get(FRAGMENT);
	return normalizeContent({ type: 'doc', content: root ? looseJSON(root, 0) : [] });
}

/**
 * Empties every root of the document (the fragment included), whatever they hold: the first
 * step of restoring content into a document whose state is not the editor's.
 */
export function clearAll(doc: Y.Doc): void {
	doc.transact((tr) => {
		for (const type of doc.share.values()) {
			for (let item = type._start; item; item = item.right) if (!item.deleted) item.delete(tr);
			for (const item of type._map.values()) if (!item.deleted) item.delete(tr);
		}
	});
}
