// Comment ranges in the editor: highlights the text each open thread is anchored to (two Yjs
// relative positions, resolved through the Yjs ↔ ProseMirror binding on every render, so they
// follow concurrent edits), turns a selection into such an anchor, and reports clicks on a
// highlight.
import * as Y from 'yjs';
import { Extension, type Editor } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';

export interface CommentAnchor {
	id: string;
	/** Base64 of Y.encodeRelativePosition. */
	start: string;
	end: string;
}

export interface CommentAnchorsOptions {
	anchors: () => CommentAnchor[];
	activeId: () => string | null;
	onClick: (id: string) => void;
}

export const commentAnchorsKey = new PluginKey('commentAnchors');

const fromBase64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const toBase64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));

interface SyncState {
	doc: Y.Doc;
	type: Y.XmlFragment;
	binding: { mapping: Map<Y.AbstractType<unknown>, unknown> };
}

function syncState(editor: Editor): SyncState | null {
	const s = ySyncPluginKey.getState(editor.state) as SyncState | undefined;
	return s?.binding ? s : null;
}

/** Where an anchor is in the editor now, or null when its text is gone. */
export function resolveAnchor(editor: Editor, anchor: CommentAnchor): { from: number; to: number } | null {
	const s = syncState(editor);
	if (!s) return null;
	try {
		const from = relativePositionToAbsolutePosition(s.doc, s.type, Y.decodeRelativePosition(fromBase64(anchor.start)), s.binding.mapping as never);
		const to = relativePositionToAbsolutePosition(s.doc, s.type, Y.decodeRelativePosition(fromBase64(anchor.end)), s.binding.mapping as never);
		if (from === null || to === null || to <= from) return null;
		return { from, to };
	} catch {
		return null;
	}
}

/** The current selection as an anchor and the text it covers, or null when nothing is selected. */
export function anchorForSelection(editor: Editor): { start: string; end: string; quote: string } | null {
	const { from, to, empty } = editor.state.selection;
	const s = syncState(editor);
	if (empty || !s) return null;
	const start = absolutePositionToRelativePosition(from, s.type, s.binding.mapping as never) as Y.RelativePosition;
	const end = absolutePositionToRelativePosition(to, s.type, s.binding.mapping as never) as Y.RelativePosition;
	return {
		start: toBase64(Y.encodeRelativePosition(start)),
		end: toBase64(Y.encodeRelativePosition(end)),
		quote: editor.state.doc.textBetween(from, to, ' ', ' ')
	};
}

/** Redraws the highlights after the threads changed (not the text). */
export function refreshAnchors(editor: Editor): void {
	if (!editor.isDestroyed) editor.view.dispatch(editor.state.tr.setMeta(commentAnchorsKey, true).setMeta('addToHistory', false));
}

export const CommentAnchors = Extension.create<CommentAnchorsOptions>({
	name: 'commentAnchors',
	addOptions() {
		return { anchors: () => [], activeId: () => null, onClick: () => {} };
	},
	addProseMirrorPlugins() {
		const editor = this.editor;
		const options = this.options;
		return [
			new Plugin({
				key: commentAnchorsKey,
				props: {
					decorations(state) {
						const active = options.activeId();
						const decorations: Decoration[] = [];
						for (const anchor of options.anchors()) {
							const range = resolveAnchor(editor, anchor);
							if (!range || range.to > state.doc.content.size) continue;
							decorations.push(
								Decoration.inline(range.from, range.to, {
									class: anchor.id === active ? 'comment-mark comment-mark-active' : 'comment-mark',
									'data-comment': anchor.id
								})
							);
						}
						return DecorationSet.create(state.doc, decorations);
					},
					handleClick(_view, _pos, event) {
						const target = (event.target as HTMLElement | null)?.closest?.('[data-comment]');
						const id = target?.getAttribute('data-comment');
						if (id) options.onClick(id);
						return false;
					}
				}
			})
		];
	}
});
