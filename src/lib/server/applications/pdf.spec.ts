import { describe, expect, it } from 'vitest';
import { checkPdf } from './pdf';
import { makePdf } from '../demo/pdf';

const enc = (s: string) => new TextEncoder().encode(s);

describe('PDF attachments, checked by content', () => {
	it('accepts a well-formed PDF and reads its page count', () => {
		const pdf = makePdf([['Proposal'], ['Budget'], ['Team']]);
		expect(checkPdf(pdf)).toEqual({ ok: true, info: { version: '1.4', pages: 3 } });
	});

	it('refuses what only pretends to be a PDF', () => {
		expect(checkPdf(new Uint8Array())).toEqual({ ok: false, problem: 'empty' });
		expect(checkPdf(enc('PK\u0003\u0004 a docx renamed to .pdf'))).toEqual({ ok: false, problem: 'notPdf' });
		expect(checkPdf(enc('<html>%PDF- in the middle of a web page</html>'.padStart(2000, ' ')))).toEqual({ ok: false, problem: 'notPdf' });
		const pdf = makePdf([['Proposal']]);
		// Truncated upload: the end is missing.
		expect(checkPdf(pdf.subarray(0, pdf.length - 200))).toEqual({ ok: false, problem: 'damaged' });
		// A header and an end marker but nothing in between.
		expect(checkPdf(enc('%PDF-1.7\nstartxref\n9\n%%EOF\n'))).toEqual({ ok: false, problem: 'damaged' });
		// A cross-reference offset beyond the file.
		expect(checkPdf(enc('%PDF-1.7\n1 0 obj\n<<>>\nendobj\nstartxref\n99999\n%%EOF\n'))).toEqual({ ok: false, problem: 'damaged' });
	});

	it('refuses files over the size limit', () => {
		expect(checkPdf(makePdf([['x']]), 100)).toEqual({ ok: false, problem: 'tooLarge' });
	});
});
