// What the benchmark writes, in the editor's own shape: Panelroom's server refuses any root but
// the XmlFragment "default" holding schema-valid ProseMirror nodes (shape.ts), so every edit,
// on both servers alike, goes into paragraphs there (as tests/helpers/collab.ts `typeInto` does):
//   - the text of the edits and of the traces: one paragraph of the benchmark's own, appended
//     after whatever the document already holds (Panelroom's blank template has a heading and
//     an empty paragraph, the reference's document is empty), its Y.XmlText patched in place;
//   - the latency markers: one more paragraph per edit, appended at the end, holding the edit's
//     id as its text (what the 'log' array's items were before), read with observeDeep.
import * as Y from 'yjs';

export const FRAGMENT = 'default';

function paragraphWithText(text = ''): Y.XmlElement {
	const paragraph = new Y.XmlElement('paragraph');
	paragraph.insert(0, [new Y.XmlText(text)]);
	return paragraph;
}

/** Appends the benchmark's text paragraph (empty); returns its text. */
export function addTextParagraph(doc: Y.Doc): Y.XmlText {
	const fragment = doc.getXmlFragment(FRAGMENT);
	const paragraph = paragraphWithText();
	fragment.insert(fragment.length, [paragraph]);
	return paragraph.get(0) as Y.XmlText;
}

/** The text of the fragment's last paragraph: the benchmark's one in a trace document (nothing is appended after it). */
export function lastParagraphText(doc: Y.Doc): Y.XmlText | null {
	const fragment = doc.getXmlFragment(FRAGMENT);
	const last = fragment.length ? fragment.get(fragment.length - 1) : null;
	if (!(last instanceof Y.XmlElement) || last.nodeName !== 'paragraph') return null;
	const text = last.length ? last.get(0) : null;
	return text instanceof Y.XmlText ? text : null;
}

/** The last paragraph's text as a string ('' while there is none). */
export function lastParagraphString(doc: Y.Doc): string {
	return lastParagraphText(doc)?.toString() ?? '';
}

/** Appends a marker paragraph holding `id` (inside the caller's transaction). */
export function appendMarker(doc: Y.Doc, id: string): void {
	const fragment = doc.getXmlFragment(FRAGMENT);
	fragment.insert(fragment.length, [paragraphWithText(id)]);
}

/** Calls `seen(id, now)` for every marker paragraph another client adds to this document. */
export function observeMarkers(doc: Y.Doc, seen: (id: string, now: number) => void): void {
	const fragment = doc.getXmlFragment(FRAGMENT);
	fragment.observeDeep((events) => {
		const now = performance.now();
		for (const event of events) {
			// Text edits inside the benchmark's paragraph arrive here too: only top-level inserts are markers.
			if (event.target !== fragment) continue;
			for (const d of event.changes.delta) {
				for (const block of (d.insert as unknown[] | undefined) ?? []) {
					if (!(block instanceof Y.XmlElement) || block.length === 0) continue;
					const text = block.get(0);
					if (text instanceof Y.XmlText) seen(text.toString(), now);
				}
			}
		}
	});
}
