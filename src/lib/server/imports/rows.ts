// Helpers shared by the row validators of the imports: labels or codes for enumerations,
// yes/no in either language, and an error list by line and column.
import { fieldLabel, modeLabel } from '$lib/labels';
import { FUNDING_MODES, TECHNICAL_FIELDS } from '$lib/values';

export interface RowError {
	/** The line in the file as a spreadsheet shows it (the header is line 1); 0 for the file itself. */
	line: number;
	column: string;
	message: string;
}

const squash = (s: string) => s.replace(/[\s\u3000]/g, '').toLowerCase();

/** A value given as its code or as its label in either language. */
function byLabel<T extends string>(values: readonly T[], label: (v: T) => string, english: Record<string, string>, input: string): T | null {
	const x = squash(input);
	for (const v of values) if (squash(v) === x || squash(label(v)) === x || squash(english[v] ?? '') === x) return v;
	return null;
}

const FIELD_EN: Record<string, string> = {
	electronicInformation: 'electronic information',
	biomedicine: 'biomedicine',
	newMaterials: 'new materials',
	optoMechatronics: 'opto-mechatronics',
	resourcesEnvironment: 'resources and environment',
	newEnergy: 'energy saving and new energy',
	highTechServices: 'high-tech services'
};
const FIELD_ZH: Record<string, string> = {
	electronicInformation: '电子信息',
	biomedicine: '生物医药',
	newMaterials: '新材料',
	optoMechatronics: '光机电一体化',
	resourcesEnvironment: '资源环境',
	newEnergy: '节能与新能源',
	highTechServices: '高技术服务业'
};
const MODE_EN: Record<string, string> = { grant: 'grant', interestSubsidy: 'loan-interest subsidy', equity: 'equity injection' };
const MODE_ZH: Record<string, string> = { grant: '无偿资助', interestSubsidy: '贷款贴息', equity: '资本金投入' };

export function parseField(input: string) {
	return byLabel(TECHNICAL_FIELDS, fieldLabel, FIELD_EN, input) ?? byLabel(TECHNICAL_FIELDS, (f) => FIELD_ZH[f], {}, input);
}

export function parseMode(input: string) {
	return byLabel(FUNDING_MODES, modeLabel, MODE_EN, input) ?? byLabel(FUNDING_MODES, (f) => MODE_ZH[f], {}, input);
}

/** 是/否, yes/no, true/false, 1/0; '' is `fallback`; anything else null. */
export function parseYesNo(input: string, fallback: boolean): boolean | null {
	const x = squash(input);
	if (x === '') return fallback;
	if (['是', 'yes', 'y', 'true', '1', '√', 'on'].includes(x)) return true;
	if (['否', 'no', 'n', 'false', '0', '×', 'off'].includes(x)) return false;
	return null;
}

/** Several values in one cell, separated the ways people type them. */
export function splitList(input: string): string[] {
	return input
		.split(/[;；,，、|/]+/)
		.map((s) => s.trim())
		.filter(Boolean);
}

