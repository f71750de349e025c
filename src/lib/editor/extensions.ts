// The document model every Panelroom document uses, shared by the browser editor and the
// server (which builds and reads the same ProseMirror/Yjs documents without a DOM): headings,
// paragraphs, lists, tables, links, bold/italic/underline/strike, quotes, code, rules.
// Yjs keeps the content in the XmlFragment named FRAGMENT, the Collaboration extension's default.
import type { AnyExtension } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { TableKit } from '@tiptap/extension-table';

export const FRAGMENT = 'default';
export const HEADING_LEVELS = [1, 2, 3, 4] as const;

export function contentExtensions(options: { editable?: boolean } = {}): AnyExtension[] {
	return [
		StarterKit.configure({
			// Collaboration brings its own undo, which only undoes this person's changes.
			undoRedo: false,
			heading: { levels: [...HEADING_LEVELS] },
			link: { openOnClick: !options.editable, autolink: true, defaultProtocol: 'https' }
		}),
		TableKit.configure({ table: { resizable: false } })
	];
}

/** A ProseMirror node as JSON (what Tiptap's getJSON and y-tiptap's converters speak). */
export interface PMNode {
	type: string;
	attrs?: Record<string, unknown>;
	content?: PMNode[];
	text?: string;
	marks?: { type: string; attrs?: Record<string, unknown> }[];
}
