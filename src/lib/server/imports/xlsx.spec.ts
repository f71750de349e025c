import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { cellText, dateText, numberText, sniffUpload, xlsxToCsv, zipUnpackedSize } from './xlsx';

async function book(rows: unknown[][]): Promise<Uint8Array> {
	const wb = new ExcelJS.Workbook();
	const ws = wb.addWorksheet('第一页');
	rows.forEach((r, i) => {
		const row = ws.getRow(i + 1);
		r.forEach((v, j) => (row.getCell(j + 1).value = v as ExcelJS.CellValue));
	});
	wb.addWorksheet('第二页').addRow(['not read']);
	return new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

describe('cells as the CSV path reads them', () => {
	it('numbers without float noise, whole numbers whole', () => {
		expect(numberText(0.1 + 0.2)).toBe('0.3');
		expect(numberText(80)).toBe('80');
		expect(numberText(13812345678)).toBe('13812345678');
		expect(numberText(1234.5)).toBe('1234.5');
		expect(numberText(1e-7)).toBe('0.0000001');
	});
	it('dates as Beijing wall-clock time, the time only when there is one', () => {
		expect(dateText(new Date(Date.UTC(2026, 8, 1)))).toBe('2026-09-01');
		expect(dateText(new Date(Date.UTC(2026, 8, 1, 10, 0, 0, 4)))).toBe('2026-09-01 10:00');
		expect(dateText(new Date(Date.UTC(2026, 8, 1, 23, 59, 59, 990)))).toBe('2026-09-02');
	});
	it('rich text, formulas by their cached result, hyperlinks, booleans, errors', () => {
		expect(cellText({ richText: [{ text: '南京' }, { font: { bold: true }, text: '大学' }] })).toBe('南京大学');
		expect(cellText({ formula: 'A1*2', result: 160 })).toBe('160');
		expect(cellText({ sharedFormula: 'B2', result: '电子信息' })).toBe('电子信息');
		expect(cellText({ formula: 'TODAY()', result: new Date(Date.UTC(2026, 0, 5)) })).toBe('2026-01-05');
		expect(cellText({ formula: 'A1' })).toBe('');
		expect(cellText({ text: 'wang@example.cn', hyperlink: 'mailto:wang@example.cn' })).toBe('wang@example.cn');
		expect(cellText(true)).toBe('是');
		expect(cellText(false)).toBe('否');
		const errors: string[] = [];
		expect(cellText({ formula: 'VLOOKUP(1,A:A,2)', result: { error: '#N/A' } }, (e) => errors.push(e))).toBe('');
		expect(cellText({ error: '#REF!' }, (e) => errors.push(e))).toBe('');
		expect(errors).toEqual(['#N/A', '#REF!']);
	});
});

describe('files told apart by their bytes', () => {
	it('XLSX, old XLS, text and other binary', async () => {
		expect(sniffUpload(await book([['a']]))).toBe('xlsx');
		expect(sniffUpload(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toBe('xls');
		expect(sniffUpload(new TextEncoder().encode('姓名,工作单位\r\n张明,南京大学\r\n'))).toBe('text');
		expect(sniffUpload(new TextEncoder().encode('%PDF-1.4\n1 0 obj\n'))).toBe('binary');
		expect(sniffUpload(new Uint8Array([0x41, 0x42, 0x00, 0x43]))).toBe('binary');
		expect(sniffUpload(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5, 6, 7]))).toBe('binary');
	});
});

describe('the first worksheet as CSV', () => {
	it('one record per row, blank rows kept so line numbers match the sheet', async () => {
		const bytes = await book([['姓名', '金额', '日期', '备注'], ['张明', 80, new Date(Date.UTC(2026, 8, 1)), 'a,"b"'], [], ['李华', 0.1 + 0.2, null, { richText: [{ text: '多' }, { text: '行\n文本' }] }]]);
		expect(zipUnpackedSize(bytes)).toBeGreaterThan(0);
		const out = await xlsxToCsv(bytes, 100);
		expect(out).toEqual({ ok: true, problems: [], text: '姓名,金额,日期,备注\r\n张明,80,2026-09-01,"a,""b"""\r\n,,,\r\n李华,0.3,,"多行\n文本"\r\n' });
	});
	it('formula errors are reported by row and header', async () => {
		const out = await xlsxToCsv(await book([['姓名', '领域'], ['张明', { formula: 'VLOOKUP(1,X:X,2)', result: { error: '#N/A' } }]]), 100);
		expect(out.ok && out.problems).toEqual([{ line: 2, column: '领域', error: '#N/A' }]);
	});
	it('a ZIP that is not a workbook is unreadable', async () => {
		const zip = (await import('jszip')).default;
		const z = new zip();
		z.file('readme.txt', 'hello');
		const bytes = new Uint8Array(await z.generateAsync({ type: 'uint8array' }));
		expect(await xlsxToCsv(bytes, 100)).toEqual({ ok: false, code: 'unreadable' });
	});
});
