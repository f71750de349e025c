import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_ROWS, parseCsv } from './csv';

const COLUMNS = [{ key: 'name' as const, headers: ['姓名'], required: true }];

describe('parseCsv', () => {
	it('refuses a file over the row cap without reading (or keeping) all its rows', () => {
		const text = ['姓名', ...Array.from({ length: 300_000 }, (_, i) => `p${i}`)].join('\n');
		const parsed = parseCsv(text, COLUMNS);
		expect(parsed.fileErrors).toEqual([{ code: 'tooManyRows' }]);
		expect(parsed.rows.length).toBe(0);
	});

	it('still takes a file at the cap, blank lines and all', () => {
		const lines = ['姓名'];
		for (let i = 0; i < MAX_IMPORT_ROWS; i++) lines.push(`p${i}`, '');
		const parsed = parseCsv(lines.join('\n'), COLUMNS);
		expect(parsed.fileErrors).toEqual([]);
		expect(parsed.rows.length).toBe(MAX_IMPORT_ROWS);
		expect(parsed.rows.at(-1)!.line).toBe(2 * MAX_IMPORT_ROWS);
	});

	it('refuses one row past the cap', () => {
		const text = ['姓名', ...Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => `p${i}`)].join('\n');
		expect(parseCsv(text, COLUMNS).fileErrors).toEqual([{ code: 'tooManyRows' }]);
	});
});
