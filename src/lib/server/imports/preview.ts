// Reading an uploaded CSV or Excel workbook for the import pages, and the preview they show.
// A workbook becomes CSV text here, so everything after the upload reads one format.
import Papa from 'papaparse';
import { m } from '$lib/paraglide/messages';
import { decodeCsv, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from './csv';
import { MAX_XLSX_UNPACKED_BYTES, sniffUpload, xlsxToCsv } from './xlsx';
import type { ImportCheck } from './applications';
import type { RowError } from './rows';

export type Upload = { ok: true; text: string; cellErrors: RowError[] } | { ok: false; message: string };

/** The text of an uploaded file, told apart by its bytes (not its name): CSV as is, XLSX as CSV, anything else refused. */
export async function readUploadBytes(bytes: Uint8Array): Promise<Upload> {
	if (bytes.length > MAX_IMPORT_BYTES) return { ok: false, message: m.import_too_large({ mb: MAX_IMPORT_BYTES / 1024 / 1024 }) };
	const kind = sniffUpload(bytes);
	if (kind === 'text') return { ok: true, text: decodeCsv(bytes), cellErrors: [] };
	if (kind === 'xls') return { ok: false, message: m.import_xls_old() };
	if (kind === 'binary') return { ok: false, message: m.import_not_table() };
	const book = await xlsxToCsv(bytes, MAX_IMPORT_ROWS);
	if (!book.ok) {
		if (book.code === 'tooLarge') return { ok: false, message: m.import_xlsx_too_large({ mb: MAX_XLSX_UNPACKED_BYTES / 1024 / 1024 }) };
		if (book.code === 'empty') return { ok: false, message: m.import_empty() };
		return { ok: false, message: m.import_xlsx_unreadable() };
	}
	return { ok: true, text: book.text, cellErrors: book.problems.map((p) => ({ line: p.line, column: p.column, message: m.import_cell_error({ error: p.error }) })) };
}

export async function readUpload(form: FormData): Promise<Upload> {
	const file = form.get('file');
	if (!(file instanceof File) || file.size === 0) return { ok: false, message: m.import_choose_file() };
	if (file.size > MAX_IMPORT_BYTES) return { ok: false, message: m.import_too_large({ mb: MAX_IMPORT_BYTES / 1024 / 1024 }) };
	return readUploadBytes(new Uint8Array(await file.arrayBuffer()));
}

/**
 * A check with the workbook's formula errors (#REF!, #N/A ...) among its row errors: such a file
 * is not valid either. A formula error replaces what the check said of the same cell (read as
 * empty, it is "required"), which would send people looking for the wrong problem.
 */
export function withCellErrors<T>(check: ImportCheck<T>, cellErrors: RowError[]): ImportCheck<T> {
	if (cellErrors.length === 0) return check;
	const cell = new Set(cellErrors.map((e) => `${e.line}|${e.column}`));
	const errors = [...check.errors.filter((e) => !cell.has(`${e.line}|${e.column}`)), ...cellErrors].sort((a, b) => a.line - b.line);
	return { ...check, ok: false, errors };
}

/**
 * What the page shows of a check: every error, and the first rows as the file has them. The
 * file itself stays on the server (staging.ts); `uploadId` names it for confirming.
 */
export function previewOf<T>(check: ImportCheck<T>, text: string, uploadId: string | null) {
	const parsed = Papa.parse<string[]>(text.replace(/^\ufeff/, ''), { skipEmptyLines: 'greedy', preview: 21 });
	const [headers = [], ...sample] = parsed.data;
	return { ok: check.ok, total: check.total, errors: check.errors, ignoredColumns: check.ignoredColumns, uploadId: check.ok ? uploadId : null, headers, sample };
}
