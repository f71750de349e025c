// Attachments are PDFs, checked by what they contain, not by their name or the browser's
// word: the %PDF- header, an end-of-file marker, a cross-reference the file actually has, and
// at least one object. Enough to refuse a renamed Word file or a truncated upload.

export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

export type PdfProblem = 'empty' | 'tooLarge' | 'notPdf' | 'damaged';

export interface PdfInfo {
	version: string;
	/** Pages, when the page tree's count can be read without decompressing; else null. */
	pages: number | null;
}

const latin1 = new TextDecoder('latin1');

export function checkPdf(bytes: Uint8Array, maxBytes = MAX_ATTACHMENT_BYTES): { ok: true; info: PdfInfo } | { ok: false; problem: PdfProblem } {
	if (bytes.byteLength === 0) return { ok: false, problem: 'empty' };
	if (bytes.byteLength > maxBytes) return { ok: false, problem: 'tooLarge' };
	const head = latin1.decode(bytes.subarray(0, 1024));
	const header = /%PDF-(\d\.\d)/.exec(head);
	// The standard allows junk before the header within the first 1024 bytes; readers accept it.
	if (!header) return { ok: false, problem: 'notPdf' };
	const tail = latin1.decode(bytes.subarray(Math.max(0, bytes.byteLength - 2048)));
	if (!tail.includes('%%EOF')) return { ok: false, problem: 'damaged' };
	const startxref = /startxref\s+(\d+)\s+%%EOF/.exec(tail);
	if (!startxref) return { ok: false, problem: 'damaged' };
	const offset = Number(startxref[1]);
	if (!Number.isSafeInteger(offset) || offset >= bytes.byteLength) return { ok: false, problem: 'damaged' };
	const atXref = latin1.decode(bytes.subarray(offset, Math.min(bytes.byteLength, offset + 64)));
	// A classic table ("xref") or a cross-reference stream ("12 0 obj").
	if (!/^\s*(xref|\d+\s+\d+\s+obj)/.test(atXref)) return { ok: false, problem: 'damaged' };
	const body = latin1.decode(bytes);
	if (!/\d+\s+\d+\s+obj/.test(body)) return { ok: false, problem: 'damaged' };
	let pages: number | null = null;
	for (const match of body.matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/g)) {
		const n = Number(match[1] ?? match[2]);
		if (Number.isFinite(n)) pages = Math.max(pages ?? 0, n);
	}
	return { ok: true, info: { version: header[1], pages } };
}
