// Reading Excel workbooks (.xlsx) for the imports: the first worksheet becomes the CSV text
// the CSV path reads, one CSV record per worksheet row, so the checks, the preview, the
// confirmation (which posts that text back) and the line numbers are the same for both.
import ExcelJS from 'exceljs';
import Papa from 'papaparse';

/** How far a workbook may unpack: a 5 MB ZIP could otherwise expand to gigabytes in memory. */
export const MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024;

// Formats whose start is plain ASCII, so the control-character test below could miss them:
// PDF, PNG, JPEG, GIF, gzip, RAR, 7-Zip, RTF.
const BINARY_SIGNATURES = [[0x25, 0x50, 0x44, 0x46, 0x2d], [0x89, 0x50, 0x4e, 0x47], [0xff, 0xd8, 0xff], [0x47, 0x49, 0x46, 0x38], [0x1f, 0x8b], [0x52, 0x61, 0x72, 0x21], [0x37, 0x7a, 0xbc, 0xaf], [0x7b, 0x5c, 0x72, 0x74, 0x66]];

export type UploadKind = 'xlsx' | 'xls' | 'text' | 'binary';

/** What an uploaded file is, by its bytes: a ZIP (XLSX), an OLE2 compound file (.xls, or an encrypted workbook), text, or other binary. */
export function sniffUpload(bytes: Uint8Array): UploadKind {
	if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'xlsx';
	if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) return 'xls';
	if (BINARY_SIGNATURES.some((sig) => sig.every((b, i) => bytes[i] === b))) return 'binary';
	// Text files have no NUL and few control characters besides tab, line feed, carriage return, form feed.
	const head = bytes.subarray(0, 8192);
	let control = 0;
	for (const b of head) {
		if (b === 0) return 'binary';
		if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
	}
	return control > head.length / 100 ? 'binary' : 'text';
}

/** The sum of the uncompressed sizes a ZIP's central directory declares, or null if it cannot be read (or is ZIP64). */
export function zipUnpackedSize(bytes: Uint8Array): number | null {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	// The end-of-central-directory record is in the last 22 + 65535 bytes (its comment is at most 64 KiB).
	let end = -1;
	for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
		if (view.getUint32(i, true) === 0x06054b50) {
			end = i;
			break;
		}
	}
	if (end < 0) return null;
	const count = view.getUint16(end + 10, true);
	let at = view.getUint32(end + 16, true);
	let total = 0;
	for (let n = 0; n < count; n++) {
		if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) return null;
		const size = view.getUint32(at + 24, true);
		if (size === 0xffffffff) return null;
		total += size;
		at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
	}
	return total;
}

/** Formats a JS number the way a person typed it: 0.1 + 0.2 reads as 0.3, 13812345678 stays whole. */
export function numberText(n: number): string {
	if (!Number.isFinite(n)) return '';
	if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
	const clean = Number(n.toPrecision(15));
	const text = String(clean);
	if (!/e/i.test(text)) return text;
	// Very small or large values: positional notation without exponent, trailing zeros dropped.
	return clean.toFixed(20).replace(/\.?0+$/, '');
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A date cell as the CSV path reads it. Excel stores wall-clock time without a zone and exceljs
 * hands it over as that wall-clock time in UTC; the center's staff mean Beijing time, which is
 * what the CSV path assumes too, so the UTC fields are the Beijing-time fields.
 */
export function dateText(d: Date): string {
	if (Number.isNaN(d.getTime())) return '';
	// Round to the minute: Excel's day fractions carry sub-second noise.
	const t = new Date(Math.round(d.getTime() / 60000) * 60000);
	const day = `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
	return t.getUTCHours() === 0 && t.getUTCMinutes() === 0 ? day : `${day} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`;
}

/** A cell's value as text: rich text joined, a formula by its cached result; Excel errors (#REF! ...) go to `onError` and read as ''. */
export function cellText(value: unknown, onError?: (error: string) => void): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number') return numberText(value);
	if (typeof value === 'boolean') return value ? '是' : '否';
	if (value instanceof Date) return dateText(value);
	if (typeof value === 'object') {
		const v = value as Record<string, unknown>;
		if (Array.isArray(v.richText)) return v.richText.map((r: { text?: string }) => r.text ?? '').join('');
		if (typeof v.error === 'string') {
			onError?.(v.error);
			return '';
		}
		// A formula without a cached result (never calculated) reads as empty.
		if ('formula' in v || 'sharedFormula' in v || 'result' in v) return cellText(v.result, onError);
		// A hyperlink: its text, which may itself be rich text.
		if ('text' in v) return cellText(v.text, onError);
	}
	return '';
}

export interface CellProblem {
	/** The worksheet row (the header is row 1). */
	line: number;
	/** The column's header, or its letter when it has none. */
	column: string;
	error: string;
}

export type XlsxResult = { ok: true; text: string; problems: CellProblem[] } | { ok: false; code: 'unreadable' | 'tooLarge' | 'empty' };

/** The first worksheet of a workbook as CSV text, its first row the header. */
export async function xlsxToCsv(bytes: Uint8Array, maxRows: number): Promise<XlsxResult> {
	const unpacked = zipUnpackedSize(bytes);
	if (unpacked === null) return { ok: false, code: 'unreadable' };
	if (unpacked > MAX_XLSX_UNPACKED_BYTES) return { ok: false, code: 'tooLarge' };
	const book = new ExcelJS.Workbook();
	try {
		await book.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
	} catch {
		return { ok: false, code: 'unreadable' };
	}
	const sheet = book.worksheets[0];
	if (!sheet) return { ok: false, code: 'unreadable' };
	const width = sheet.columnCount;
	// One row past the limit is enough for the CSV path to say the file has too many rows.
	const height = Math.min(sheet.rowCount, maxRows + 2);
	if (width === 0 || height === 0) return { ok: false, code: 'empty' };
	const records: string[][] = [];
	const problems: CellProblem[] = [];
	let header: string[] = [];
	for (let r = 1; r <= height; r++) {
		const row = sheet.getRow(r);
		const cells: string[] = [];
		for (let c = 1; c <= width; c++) {
			cells.push(
				cellText(row.getCell(c).value, (error) =>
					problems.push({ line: r, column: header[c - 1]?.trim() || sheet.getColumn(c).letter, error })
				)
			);
		}
		if (r === 1) header = cells;
		records.push(cells);
	}
	// Blank rows stay (as empty records) so that every record is its worksheet row.
	return { ok: true, text: Papa.unparse(records, { newline: '\r\n' }) + '\r\n', problems };
}
