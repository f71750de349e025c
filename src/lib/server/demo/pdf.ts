// A small, well-formed PDF (one page per line group, Helvetica) with a correct cross-reference
// table, for demo attachments and tests. ASCII only: the standard 14 fonts have no Chinese.

function escape(text: string): string {
	return text.replace(/[\\()]/g, (c) => '\\' + c).replace(/[^\x20-\x7e]/g, '?');
}

export function makePdf(pages: string[][]): Uint8Array {
	const objects: string[] = [];
	const pageIds: number[] = [];
	// 1: catalog, 2: page tree, 3: font; then page + content per page.
	const fontId = 3;
	let next = 4;
	const pageObjects: string[] = [];
	for (const lines of pages) {
		const pageId = next++;
		const contentId = next++;
		pageIds.push(pageId);
		const stream = ['BT', '/F1 14 Tf', '72 770 Td', '18 TL', ...lines.map((l) => `(${escape(l)}) Tj T*`), 'ET'].join('\n');
		pageObjects[pageId] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 ${fontId} 0 R >> >> /Contents ${contentId} 0 R >>`;
		pageObjects[contentId] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
	}
	objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
	objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageIds.length} >>`;
	objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
	for (let id = 4; id < next; id++) objects[id] = pageObjects[id];

	let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
	const offsets: number[] = [];
	for (let id = 1; id < next; id++) {
		offsets[id] = out.length;
		out += `${id} 0 obj\n${objects[id]}\nendobj\n`;
	}
	const xref = out.length;
	out += `xref\n0 ${next}\n0000000000 65535 f \n`;
	for (let id = 1; id < next; id++) out += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
	out += `trailer\n<< /Size ${next} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	const bytes = new Uint8Array(out.length);
	for (let i = 0; i < out.length; i++) bytes[i] = out.charCodeAt(i) & 0xff;
	return bytes;
}
