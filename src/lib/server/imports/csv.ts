// Reading CSV files from the systems the center used before: UTF-8 (with or without a
// byte-order mark) or GB18030/GBK, which is what Excel writes on a Chinese Windows. Headers
// may be the Chinese column names or the English field names.
import Papa from 'papaparse';

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 5000;
/** Lines read before a file is refused as too long: the rows, a header and as many blank lines. */
const MAX_PARSED_LINES = 2 * MAX_IMPORT_ROWS + 1;

/** Text of an uploaded file: UTF-8 if it is valid UTF-8, else GB18030 (a superset of GBK). */
export function decodeCsv(bytes: Uint8Array): string {
	let start = 0;
	if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
	const body = bytes.subarray(start);
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(body);
	} catch {
		return new TextDecoder('gb18030').decode(body);
	}
}

export interface ColumnSpec<K extends string> {
	key: K;
	/** Header names accepted for this column (Chinese first), compared without spaces and case. */
	headers: string[];
	required?: boolean;
}

export interface ParsedCsv<K extends string> {
	/** The header each key was found under, for messages. */
	headerOf: Partial<Record<K, string>>;
	rows: { line: number; values: Partial<Record<K, string>> }[];
	/** Problems with the file as a whole: unreadable, no rows, missing columns, too many rows. */
	fileErrors: { code: 'empty' | 'missingColumn' | 'tooManyRows' | 'malformed'; column?: string; line?: number }[];
	/** Columns of the file that are not imported (a serial number column, say): shown, not refused. */
	ignoredColumns: string[];
}

const norm = (s: string) => s.replace(/[\s\u3000（）()*＊]/g, '').toLowerCase();

export function parseCsv<K extends string>(text: string, columns: ColumnSpec<K>[]): ParsedCsv<K> {
	// Blank rows are dropped here rather than by Papa, so that each row keeps its own line number.
	// Parsing stops a little past the row cap (blank lines allowed for), so a file of a million
	// tiny rows costs no more than one at the cap.
	const parsed = Papa.parse<string[]>(text.replace(/^\ufeff/, ''), { preview: MAX_PARSED_LINES });
	const out: ParsedCsv<K> = { headerOf: {}, rows: [], fileErrors: [], ignoredColumns: [] };
	for (const e of parsed.errors) {
		if (e.code === 'UndetectableDelimiter') continue;
		out.fileErrors.push({ code: 'malformed', line: (e.row ?? 0) + 1 });
	}
	const records = parsed.data.map((cells, i) => ({ cells, line: i + 1 })).filter((r) => r.cells.some((c) => c.trim() !== ''));
	const header = records[0]?.cells;
	const data = records.slice(1);
	if (!header || data.length === 0) {
		out.fileErrors.push({ code: 'empty' });
		return out;
	}
	const index = new Map<K, number>();
	header.forEach((h, i) => {
		const col = columns.find((c) => c.headers.some((name) => norm(name) === norm(h)) || norm(c.key) === norm(h));
		if (col && !index.has(col.key)) {
			index.set(col.key, i);
			out.headerOf[col.key] = h.trim();
		} else if (h.trim()) out.ignoredColumns.push(h.trim());
	});
	for (const c of columns) if (c.required && !index.has(c.key)) out.fileErrors.push({ code: 'missingColumn', column: c.headers[0] });
	if (data.length > MAX_IMPORT_ROWS || parsed.meta.truncated) {
		out.fileErrors.push({ code: 'tooManyRows' });
		return out;
	}
	for (const { cells, line } of data) {
		const values: Partial<Record<K, string>> = {};
		for (const [key, at] of index) values[key] = (cells[at] ?? '').trim();
		// Line numbers as a spreadsheet shows them: the header is line 1.
		out.rows.push({ line, values });
	}
	return out;
}
