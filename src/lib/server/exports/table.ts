// Exports of list views as CSV (UTF-8 with a byte-order mark, so Excel on a Chinese Windows
// opens it as UTF-8 instead of GBK) or as an XLSX workbook. Cells that would start a formula
// are neutralized: an exported list must not run anything when opened.
import ExcelJS from 'exceljs';

export interface Column<T> {
	header: string;
	value: (row: T) => string | number | boolean | Date | null | undefined;
	/** Column width in characters, for XLSX. */
	width?: number;
}

export interface Sheet<T = unknown> {
	name: string;
	columns: Column<T>[];
	rows: T[];
}

/** A sheet of any row type, for functions that take several sheets of different rows. */
export function sheet<T>(s: Sheet<T>): Sheet<unknown> {
	return s as unknown as Sheet<unknown>;
}

export type ExportFormat = 'csv' | 'xlsx';

export function exportFormat(value: string | null): ExportFormat | null {
	return value === 'csv' || value === 'xlsx' ? value : null;
}

function safeText(value: string): string {
	return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function cell(value: unknown): string | number | boolean | Date | null {
	if (value === null || value === undefined) return null;
	if (typeof value === 'string') return safeText(value);
	return value as number | boolean | Date;
}

function csvField(value: unknown): string {
	const v = cell(value);
	if (v === null) return '';
	const text = v instanceof Date ? v.toISOString() : String(v);
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv<T>(sheet: Sheet<T>): string {
	const lines = [sheet.columns.map((c) => csvField(c.header)).join(',')];
	for (const row of sheet.rows) lines.push(sheet.columns.map((c) => csvField(c.value(row))).join(','));
	return '\ufeff' + lines.join('\r\n') + '\r\n';
}

export async function toXlsx(sheets: Sheet<unknown>[]): Promise<Uint8Array> {
	const book = new ExcelJS.Workbook();
	book.creator = 'Panelroom';
	book.created = new Date();
	for (const one of sheets) {
		// Excel refuses sheet names over 31 characters or with []:*?/\.
		const ws = book.addWorksheet(one.name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet');
		ws.columns = one.columns.map((c) => ({ header: c.header, width: c.width ?? Math.min(60, Math.max(10, c.header.length * 2 + 4)) }));
		ws.getRow(1).font = { bold: true };
		ws.views = [{ state: 'frozen', ySplit: 1 }];
		for (const row of one.rows) ws.addRow(one.columns.map((c) => cell(c.value(row))));
	}
	const buffer = await book.xlsx.writeBuffer();
	return new Uint8Array(buffer as ArrayBuffer);
}

function disposition(fileName: string): string {
	const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '');
	return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** An HTTP response with the sheets as a CSV (first sheet) or XLSX download. */
export async function exportResponse(format: ExportFormat, baseName: string, sheets: Sheet<unknown>[]): Promise<Response> {
	const stamp = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
	if (format === 'csv') {
		return new Response(toCsv(sheets[0]), {
			headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': disposition(`${baseName}-${stamp}.csv`), 'cache-control': 'no-store' }
		});
	}
	const body = await toXlsx(sheets);
	return new Response(body as BodyInit, {
		headers: {
			'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': disposition(`${baseName}-${stamp}.xlsx`),
			'cache-control': 'no-store'
		}
	});
}
