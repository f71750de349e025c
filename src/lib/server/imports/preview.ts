// Reading an uploaded CSV or Excel workbook for the import pages, and the preview they show.
// A workbook becomes CSV text here, so everything after the upload reads one format.
import Papa from 'papaparse';
import { decodeCsv, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS } from './csv';
import { MAX_XLSX_UNPACKED_BYTES, sniffUpload, xlsxToCsv } from './xlsx';
import type { ImportCheck } from './applications';
import type { RowError } from './rows';

/** Why an upload cannot be read; translated at the edge (messages/imports.ts). */
export type UploadProblem =
	| { code: 'noFile' }
	| { code: 'tooLarge'; maxBytes: number }
	| { code: 'xlsOld' }
	| { code: 'notTable' }
	| { code: 'xlsxTooLarge'; maxBytes: number }
	| { code: 'empty' }
	| { code: 'xlsxUnreadable' };

/** A workbook cell whose formula failed (#REF!, #N/A ...), by line and column as RowError has them. */
export interface CellError {
	line: number;
	column: string;
	error: string;
}

export type DecodedUpload = { ok: true; text: string; cellErrors: CellError[] } | { ok: false; problem: UploadProblem };

/** The text of an uploaded file, told apart by its bytes (not its name): CSV as is, XLSX as CSV, anything else refused. */
export async function decodeUpload(bytes: Uint8Array): Promise<DecodedUpload> {
	if (bytes.length > MAX_IMPORT_BYTES) return { ok: false, problem: { code: 'tooLarge', maxBytes: MAX_IMPORT_BYTES } };
	const kind = sniffUpload(bytes);
	if (kind === 'text') return { ok: true, text: decodeCsv(bytes), cellErrors: [] };
	if (kind === 'xls') return { ok: false, problem: { code: 'xlsOld' } };
	if (kind === 'binary') return { ok: false, problem: { code: 'notTable' } };
	const book = await xlsxToCsv(bytes, MAX_IMPORT_ROWS);
	if (!book.ok) {
		if (book.code === 'tooLarge') return { ok: false, problem: { code: 'xlsxTooLarge', maxBytes: MAX_XLSX_UNPACKED_BYTES } };
		if (book.code === 'empty') return { ok: false, problem: { code: 'empty' } };
		return { ok: false, problem: { code: 'xlsxUnreadable' } };
	}
	return { ok: true, text: book.text, cellErrors: book.problems.map((p) => ({ line: p.line, column: p.column, error: p.error })) };
}

/** The uploaded file of an import form, before anything reads it whole. */
export function uploadedFile(form: FormData): { ok: true; file: File } | { ok: false; problem: UploadProblem } {
	const file = form.get('file');
	if (!(file instanceof File) || file.size === 0) return { ok: false, problem: { code: 'noFile' } };
	if (file.size > MAX_IMPORT_BYTES) return { ok: false, problem: { code: 'tooLarge', maxBytes: MAX_IMPORT_BYTES } };
	return { ok: true, file };
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
