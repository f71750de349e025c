// The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a
// 31-character alphabet (no I, O, S, V, Z); characters 9–17 are the organization code with
// its own check character (GB 11714-1997); the 18th is a check character over the first 17.
// Shared by the browser (instant feedback) and the server (the rule).

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** Check character of the first 17 characters, or null if one is outside the alphabet. */
export function creditCodeCheckChar(first17: string): string | null {
	let sum = 0;
	for (let i = 0; i < 17; i++) {
		const v = ALPHABET.indexOf(first17[i]);
		if (v < 0) return null;
		sum += v * WEIGHTS[i];
	}
	return ALPHABET[(31 - (sum % 31)) % 31];
}

function orgValue(ch: string): number {
	if (ch >= '0' && ch <= '9') return ch.charCodeAt(0) - 48;
	if (ch >= 'A' && ch <= 'Z') return ch.charCodeAt(0) - 55;
	return -1;
}

/** Check character of an organization code's first 8 characters (GB 11714). */
export function orgCodeCheckChar(first8: string): string | null {
	let sum = 0;
	for (let i = 0; i < 8; i++) {
		const v = orgValue(first8[i]);
		if (v < 0) return null;
		sum += v * ORG_WEIGHTS[i];
	}
	const c = 11 - (sum % 11);
	return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

// Only the 18th character is checked: codes issued to individual businesses and some other
// registrants carry organization bodies that do not follow GB 11714.
export type CreditCodeProblem = 'length' | 'charset' | 'check';

/** Normalizes (trim, upper case) and checks a code; returns the problem or null. */
export function creditCodeProblem(raw: string): CreditCodeProblem | null {
	const code = normalizeCreditCode(raw);
	if (code.length !== 18) return 'length';
	for (const ch of code) if (!ALPHABET.includes(ch)) return 'charset';
	if (creditCodeCheckChar(code.slice(0, 17)) !== code[17]) return 'check';
	return null;
}

export function isValidCreditCode(raw: string): boolean {
	return creditCodeProblem(raw) === null;
}

export function normalizeCreditCode(raw: string): string {
	return raw.trim().toUpperCase();
}

/** Completes a code from its registration, type, region and 8-character organization body. */
export function makeCreditCode(authority: string, type: string, region: string, orgBody: string): string {
	const org = orgBody + orgCodeCheckChar(orgBody);
	const first17 = authority + type + region + org;
	return first17 + creditCodeCheckChar(first17);
}
