// Edge translation for the import pages: reading an upload with imports/preview.ts and saying,
// in the user's language, why it cannot be read and which workbook cells failed. Used by the
// import routes only.
import { m } from '$lib/paraglide/messages';
import { decodeUpload, uploadedFile, type CellError, type UploadProblem } from '../imports/preview';
import type { RowError } from '../imports/rows';

export type Upload = { ok: true; text: string; cellErrors: RowError[] } | { ok: false; message: string };

export function uploadProblemMessage(p: UploadProblem): string {
	switch (p.code) {
		case 'noFile':
			return m.import_choose_file();
		case 'tooLarge':
			return m.import_too_large({ mb: p.maxBytes / 1024 / 1024 });
		case 'xlsOld':
			return m.import_xls_old();
		case 'notTable':
			return m.import_not_table();
		case 'xlsxTooLarge':
			return m.import_xlsx_too_large({ mb: p.maxBytes / 1024 / 1024 });
		case 'empty':
			return m.import_empty();
		case 'xlsxUnreadable':
			return m.import_xlsx_unreadable();
	}
}

const cellError = (e: CellError): RowError => ({ line: e.line, column: e.column, message: m.import_cell_error({ error: e.error }) });

/** An uploaded file's text, or why it cannot be read; formula errors become row errors. */
export async function readUploadBytes(bytes: Uint8Array): Promise<Upload> {
	const decoded = await decodeUpload(bytes);
	if (!decoded.ok) return { ok: false, message: uploadProblemMessage(decoded.problem) };
	return { ok: true, text: decoded.text, cellErrors: decoded.cellErrors.map(cellError) };
}

export async function readUpload(form: FormData): Promise<Upload> {
	const upload = uploadedFile(form);
	if (!upload.ok) return { ok: false, message: uploadProblemMessage(upload.problem) };
	return readUploadBytes(new Uint8Array(await upload.file.arrayBuffer()));
}
