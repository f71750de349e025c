import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar, creditCodeProblem, isValidCreditCode, makeCreditCode, orgCodeCheckChar } from './credit-code';

describe('unified social credit code (GB 32100-2015)', () => {
	it('accepts real codes', () => {
		expect(isValidCreditCode('914403001922038216')).toBe(true); // a well-known enterprise
		expect(isValidCreditCode('91350100M000100Y43')).toBe(true); // the standard's sample
		expect(isValidCreditCode(' 91350100m000100y43 ')).toBe(true); // normalized
	});

	it('says what is wrong with an invalid code', () => {
		expect(creditCodeProblem('91440300192203821')).toBe('length');
		expect(creditCodeProblem('9144030019220382167')).toBe('length');
		expect(creditCodeProblem('91440300192203821I')).toBe('charset'); // I is not in the alphabet
		expect(creditCodeProblem('91440300192203821O')).toBe('charset');
		expect(creditCodeProblem('914403001922038217')).toBe('check');
		expect(creditCodeProblem('')).toBe('length');
	});

	it('every single-character change breaks the check', () => {
		const code = '914403001922038216';
		for (let i = 0; i < 17; i++) {
			const swapped = code.slice(0, i) + (code[i] === '1' ? '2' : '1') + code.slice(i + 1);
			expect(isValidCreditCode(swapped)).toBe(false);
		}
	});

	it('completes codes for the demo data', () => {
		const code = makeCreditCode('9', '1', '110108', '73425171');
		expect(code).toHaveLength(18);
		expect(isValidCreditCode(code)).toBe(true);
		expect(orgCodeCheckChar('19220382')).toBe('1');
		expect(creditCodeCheckChar('91440300192203821')).toBe('6');
	});
});
