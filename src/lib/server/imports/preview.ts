// Reading an uploaded CSV for the import pages, and the preview they show.
import Papa from 'papaparse';
import { m } from '$lib/paraglide/messages';
import { decodeCsv, MAX_IMPORT_BYTES } from './csv';
import type { ImportCheck } from './applications';

export async function readUpload(form: FormData): Promise<{ ok: true; text: string } | { ok: false; message: string }> {
	const file = form.get('file');
	if (!(file instanceof File) || file.size === 0) return { ok: false, message: m.import_choose_file() };
	if (file.size > MAX_IMPORT_BYTES) return { ok: false, message: m.import_too_large({ mb: MAX_IMPORT_BYTES / 1024 / 1024 }) };
	return { ok: true, text: decodeCsv(new Uint8Array(await file.arrayBuffer())) };
}

/** What the page shows of a check: every error, and the first rows as the file has them. */
export function previewOf<T>(check: ImportCheck<T>, text: string) {
	const parsed = Papa.parse<string[]>(text.replace(/^\ufeff/, ''), { skipEmptyLines: 'greedy', preview: 21 });
	const [headers = [], ...sample] = parsed.data;
	return { ok: check.ok, total: check.total, errors: check.errors, ignoredColumns: check.ignoredColumns, csv: text, headers, sample };
}
