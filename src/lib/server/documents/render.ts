// Document content as HTML on the server: old versions viewed read-only, the print view (PDF
// from the browser), and the comparison of two versions, block by block and, inside a changed
// block, word by word (Chinese words too). The HTML is Tiptap's static renderer with the
// editor's own extensions, so it is what the editor shows.
import { getAttributesFromExtensions, resolveExtensions, splitExtensions } from '@tiptap/core';
import type { Mark, Node as ProseMirrorNode } from '@tiptap/pm/model';
import { escapeHTML, renderJSONContentToString } from '@tiptap/static-renderer/json/html-string';
import {
	domOutputSpecToHTMLString,
	mapMarkExtensionToReactNode,
	mapNodeExtensionToReactNode,
	serializeChildrenToHTMLString
} from '@tiptap/static-renderer/pm/html-string';
import { contentExtensions, type PMNode } from '$lib/editor/extensions';
import { diffSequences, diffText, tokenize } from '$lib/diff';
import { normalizeContent, schema } from './shape';

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESC[c]);

/** Only web and mail links are kept, in every format: a `javascript:` or `data:` link is dropped, its text kept. */
export function safeHref(href: unknown): string | null {
	return typeof href === 'string' && /^(https?:|mailto:)/i.test(href.trim()) ? href.trim() : null;
}

/** The content as a node of the editor's schema (content that the schema refuses is repaired first). */
export function contentNode(doc: PMNode): ProseMirrorNode {
	try {
		return schema().nodeFromJSON(doc);
	} catch {
		return schema().nodeFromJSON(normalizeContent(doc));
	}
}

// The static renderer's renderToHTMLString, with its mapping of the editor's extensions built
// once rather than on every call (a comparison renders each block on its own: 2-3 ms a call).
type Children = string | string[] | undefined;
const resolved = resolveExtensions(contentExtensions());
const attributes = getAttributesFromExtensions(resolved);
const { nodeExtensions, markExtensions } = splitExtensions(resolved);
const nodeMapping = Object.fromEntries(nodeExtensions.map((e) => mapNodeExtensionToReactNode(domOutputSpecToHTMLString, e, attributes)));
const markMapping = Object.fromEntries(markExtensions.map((e) => mapMarkExtensionToReactNode(domOutputSpecToHTMLString, e, attributes)));

function renderer(paragraph: (children: Children) => string) {
	return renderJSONContentToString<Mark, ProseMirrorNode>({
		nodeMapping: {
			...nodeMapping,
			doc: ({ children }) => serializeChildrenToHTMLString(children),
			text: ({ node }) => escapeHTML(node.text ?? ''),
			paragraph: ({ children }) => paragraph(children)
		},
		markMapping: {
			...markMapping,
			// Tiptap's Link keeps an unsafe link as <a href="">, and allows more schemes (ftp:, tel:…):
			// here an unsafe link is its text alone (test "HTML escapes text and drops unsafe links").
			link: ({ mark, children }) => {
				const href = safeHref(mark.attrs.href);
				const text = serializeChildrenToHTMLString(children);
				return href ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer" target="_blank">${text}</a>` : text;
			}
		}
	});
}

// An empty paragraph keeps its line, as in the editor (where ProseMirror adds a <br>).
const blocks = renderer((children) => `<p>${serializeChildrenToHTMLString(children) || '<br>'}</p>`);
const inline = renderer((children) => serializeChildrenToHTMLString(children));

/** The content as HTML (every text escaped, only http(s) and mailto links kept). */
export function renderHtml(doc: PMNode): string {
	return blocks({ content: contentNode(doc) });
}

/** A block's inline content as HTML, without the block's own element. */
function inlineHtml(nodes: PMNode[] | undefined): string {
	return nodes?.length ? inline({ content: contentNode({ type: 'paragraph', content: nodes }) }) : '';
}

// ---------- comparing two versions ----------

interface Leaf {
	/** What kind of block, e.g. "h2", "p", "li:1:bullet", "tr". */
	kind: string;
	text: string;
	html: string;
	/** A list item's bullet or number, shown but not compared. */
	marker?: string;
}

function inlineText(nodes: PMNode[] | undefined): string {
	return (nodes ?? []).map((n) => (n.type === 'text' ? (n.text ?? '') : n.type === 'hardBreak' ? '\n' : '')).join('');
}

/** The document as a flat list of leaf blocks: headings, paragraphs, list items, table rows. */
function leaves(doc: PMNode): Leaf[] {
	const out: Leaf[] = [];
	const walk = (node: PMNode, ctx: { depth: number; list: string | null; quote: boolean; marker?: string }) => {
		switch (node.type) {
			case 'heading': {
				const level = Number(node.attrs?.level ?? 1);
				out.push({ kind: `h${level}`, text: inlineText(node.content), html: inlineHtml(node.content) });
				return;
			}
			case 'paragraph':
				out.push({
					kind: ctx.list ? `li:${ctx.depth}:${ctx.list}` : ctx.quote ? 'quote' : 'p',
					text: inlineText(node.content),
					html: inlineHtml(node.content),
					marker: ctx.marker
				});
				return;
			case 'bulletList':
			case 'orderedList': {
				let n = Number(node.attrs?.start ?? 1);
				for (const item of node.content ?? []) {
					// The number is shown but not compared: inserting an item must not mark all later ones changed.
					const marker = node.type === 'orderedList' ? `${n++}.` : '•';
					(item.content ?? []).forEach((b, i) =>
						walk(b, { ...ctx, depth: ctx.list ? ctx.depth + 1 : 0, list: node.type === 'bulletList' ? 'bullet' : 'ordered', marker: i === 0 ? marker : '' })
					);
				}
				return;
			}
			case 'blockquote':
				for (const b of node.content ?? []) walk(b, { ...ctx, quote: true });
				return;
			case 'codeBlock': {
				const text = (node.content ?? []).map((t) => t.text ?? '').join('');
				out.push({ kind: 'code', text, html: escapeHtml(text) });
				return;
			}
			case 'horizontalRule':
				out.push({ kind: 'hr', text: '', html: '' });
				return;
			case 'table':
				for (const row of node.content ?? []) {
					const cells = (row.content ?? []).map((c) => (c.content ?? []).map((b) => inlineText(b.content)).join('\n'));
					const cellsHtml = (row.content ?? []).map((c) => (c.content ?? []).map((b) => inlineHtml(b.content)).join('<br>'));
					out.push({ kind: 'tr', text: cells.join('\u241f'), html: cellsHtml.map((c) => `<span class="diff-cell">${c}</span>`).join('') });
				}
				return;
			default:
				for (const b of node.content ?? []) walk(b, ctx);
		}
	};
	walk(doc, { depth: 0, list: null, quote: false });
	return out;
}

function leafHtml(leaf: Leaf, state: 'equal' | 'insert' | 'delete' | 'change', body: string = leaf.html): string {
	const [kind, depth] = leaf.kind.split(':');
	const indent = kind === 'li' ? ` style="margin-left:${Number(depth) * 1.5}rem"` : '';
	const marker = leaf.marker ? `<span class="diff-marker">${escapeHtml(leaf.marker)}</span>` : '';
	return `<div class="diff-block diff-${kind} diff-${state}"${indent}>${marker}${body || '&nbsp;'}</div>`;
}

function inlineDiff(from: string, to: string): string {
	return diffText(from, to)
		.map((o) => {
			const text = escapeHtml(o.text).replace(/\u241f/g, '</span><span class="diff-cell">').replace(/\n/g, '<br>');
			return o.op === 'equal' ? text : o.op === 'insert' ? `<ins>${text}</ins>` : `<del>${text}</del>`;
		})
		.join('');
}

/** How much of two texts is the same, counted per character for Chinese (so pairing blocks is as fine-grained as before). */
function similarity(a: string, b: string): number {
	if (!a && !b) return 1;
	const ops = diffSequences(tokenize(a), tokenize(b));
	const same = ops.filter((o) => o.op === 'equal').reduce((s, o) => s + o.items.join('').length, 0);
	return (2 * same) / (a.length + b.length || 1);
}

export interface Comparison {
	html: string;
	inserted: number;
	deleted: number;
	changed: number;
}

/** What changed from one content to another, as HTML with <ins> and <del>. */
export function compareContent(from: PMNode, to: PMNode): Comparison {
	const ops = diffSequences(leaves(from), leaves(to), (a, b) => a.kind === b.kind && a.text === b.text);
	const parts: string[] = [];
	const result: Comparison = { html: '', inserted: 0, deleted: 0, changed: 0 };
	for (let i = 0; i < ops.length; i++) {
		const o = ops[i];
		if (o.op === 'equal') {
			parts.push(...o.items.map((l) => leafHtml(l, 'equal')));
			continue;
		}
		const next = ops[i + 1];
		if (o.op === 'delete' && next?.op === 'insert') {
			// A run of removed blocks followed by added ones: pair those that are edits of each other.
			const dels = o.items;
			const ins = next.items;
			const n = Math.max(dels.length, ins.length);
			for (let k = 0; k < n; k++) {
				const d = dels[k];
				const a = ins[k];
				if (d && a && d.kind.split(':')[0] === a.kind.split(':')[0] && similarity(d.text, a.text) >= 0.3) {
					result.changed++;
					const wrap = a.kind === 'tr' ? (s: string) => `<span class="diff-cell">${s}</span>` : (s: string) => s;
					parts.push(leafHtml(a, 'change', wrap(inlineDiff(d.text, a.text))));
				} else {
					if (d) {
						result.deleted++;
						parts.push(leafHtml(d, 'delete'));
					}
					if (a) {
						result.inserted++;
						parts.push(leafHtml(a, 'insert'));
					}
				}
			}
			i++;
			continue;
		}
		for (const l of o.items) {
			if (o.op === 'insert') result.inserted++;
			else result.deleted++;
			parts.push(leafHtml(l, o.op));
		}
	}
	result.html = parts.join('');
	return result;
}
