// The words for flags and calibration, shared by pages and exports: a flag always states the
// numbers it was computed from, in the same sentence everywhere.
import { m } from '$lib/paraglide/messages';
import { RUBRIC_TOTAL } from '$lib/rubric';
import { flagLimit, type ColumnFlag, type FlagRule } from './flags';
import type { NoZReason } from './calibration';

const n2 = (x: number) => String(Math.round(x * 100) / 100);

/** The call's rule in one sentence. */
export function ruleText(rule: FlagRule): string {
	return rule.mode === 'relative'
		? m.cal_rule_relative({ threshold: n2(rule.threshold), limit: n2(flagLimit(rule, RUBRIC_TOTAL)) })
		: m.cal_rule_absolute({ threshold: n2(rule.threshold) });
}

/** One column's flag (or its absence) with its numbers: range, limit, full marks, threshold. */
export function flagText(flag: Pick<ColumnFlag, 'range' | 'limit' | 'fullMarks' | 'flagged'>, rule: FlagRule): string {
	if (flag.range === null) return '';
	const args = { range: n2(flag.range), limit: n2(flag.limit), full: n2(flag.fullMarks), threshold: n2(rule.threshold) };
	if (rule.mode === 'relative') return flag.flagged ? m.cal_flag_relative(args) : m.cal_flag_ok_relative(args);
	return flag.flagged ? m.cal_flag_absolute(args) : m.cal_flag_ok_absolute(args);
}

export function noZText(reason: NoZReason | null | undefined): string {
	return reason === 'oneSheet' ? m.cal_reason_oneSheet() : reason === 'noSpread' ? m.cal_reason_noSpread() : '';
}

/** A z to show: signed, 2 decimals, "—" for none. */
export const zText = (z: number | null | undefined) => (z === null || z === undefined ? '—' : `${z > 0 ? '+' : z < 0 ? '−' : ''}${Math.abs(z).toFixed(2)}`);
