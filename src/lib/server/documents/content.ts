// Document content on the server: from ProseMirror JSON to a Yjs document (templates, seeding,
// restoring a version) and back (versions, exports, the lock's hash), plain text for search.
import * as Y from 'yjs';
import { Node as PMNodeClass } from '@tiptap/pm/model';
import { prosemirrorJSONToYDoc, updateYFragment, yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import { FRAGMENT, type PMNode } from '$lib/editor/extensions';
import { clearAll, readContent, schema, vocabularyProblem } from './shape';

export { schema };

/** A new Yjs document holding the content (validated against the schema: throws on a bad node). */
export function docFromJSON(json: PMNode): Y.Doc {
	PMNodeClass.fromJSON(schema(), json).check();
	return prosemirrorJSONToYDoc(schema(), json, FRAGMENT);
}

/**
 * The content as ProseMirror JSON. A document in the editor's vocabulary reads as y-tiptap
 * reads it; anything else (a state written around the collaboration server) is read
 * leniently, so no reader of content ever fails on what is stored.
 */
export function jsonOf(doc: Y.Doc): PMNode {
	if (vocabularyProblem(doc) === null) {
		try {
			const json = yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(FRAGMENT)) as PMNode;
			PMNodeClass.fromJSON(schema(), json).check();
			return json;
		} catch {
			/* content rules broken (concurrent edits): repaired below */
		}
	}
	return readContent(doc);
}

/**
 * Makes the document's content equal to `json` with the smallest change y-tiptap finds:
 * unchanged paragraphs stay the same Yjs items, so comments anchored in them stay put.
 */
export function replaceContent(doc: Y.Doc, json: PMNode): void {
	const node = PMNodeClass.fromJSON(schema(), json);
	node.check();
	// A state outside the editor's vocabulary (a forged update stored before it was refused)
	// cannot be diffed against: empty every root and write the content afresh.
	if (vocabularyProblem(doc) !== null) clearAll(doc);
	updateYFragment(doc, doc.getXmlFragment(FRAGMENT), node, { mapping: new Map(), isOMark: new Map() });
}

const BLOCKS = new Set(['paragraph', 'heading', 'listItem', 'tableRow', 'blockquote', 'codeBlock', 'horizontalRule']);

/** The plain text of a document, one block per line (for search and previews). */
export function textOf(doc: Y.Doc): string {
	return textOfJSON(jsonOf(doc));
}

export function textOfJSON(node: PMNode): string {
	const lines: string[] = [];
	let line = '';
	const walk = (n: PMNode) => {
		if (n.type === 'text') line += n.text ?? '';
		else if (n.type === 'hardBreak') line += '\n';
		else if (n.type === 'tableCell' || n.type === 'tableHeader') {
			n.content?.forEach(walk);
			line += '\t';
			return;
		}
		n.content?.forEach(walk);
		if (BLOCKS.has(n.type) && line) {
			lines.push(line.replace(/\t$/, ''));
			line = '';
		}
	};
	walk(node);
	if (line) lines.push(line);
	return lines.join('\n');
}

/**
 * The canonical serialization of content that is hashed when a document is locked: JSON with
 * keys in a fixed order, so the same content always gives the same SHA-256.
 */
export function canonicalJSON(value: unknown): string {
	if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
	if (Array.isArray(value)) return `[${value.map(canonicalJSON).join(',')}]`;
	const entries = Object.entries(value as Record<string, unknown>)
		.filter(([, v]) => v !== undefined)
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJSON(v)}`).join(',')}}`;
}
