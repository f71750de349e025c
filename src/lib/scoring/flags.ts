// The one rule for "the members disagree here" (差异): used by the meeting's reveal table, the
// call's progress dashboard and the exports alike, so a flag means the same everywhere and
// every flag can state the numbers it was computed from.
//
// A column (a rubric item, a criterion group, or the total) is flagged when the range of the
// members' scores in it (max − min) exceeds its limit. The limit is the call's threshold,
// either as a percentage of the column's full marks (relative: 15% of a 35-point group is
// 5.25 points, of the 100-point total 15 points) or in points whatever the column (absolute).
// Shared by browser and server: no I/O.

export const FLAG_MODES = ['relative', 'absolute'] as const;
export type FlagMode = (typeof FLAG_MODES)[number];

export interface FlagRule {
	mode: FlagMode;
	/** Percent of the column's full marks (relative) or points (absolute). */
	threshold: number;
}

export interface ColumnFlag {
	/** The column's full marks (100 for an item's 0–100 score or the total, a group's weight). */
	fullMarks: number;
	/** The largest range that is not flagged, in the column's points, to two decimals. */
	limit: number;
	min: number | null;
	max: number | null;
	/** max − min to two decimals; null with fewer than two scores (nothing to disagree about). */
	range: number | null;
	flagged: boolean;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The column's limit in points under the rule, to two decimals. */
export function flagLimit(rule: FlagRule, fullMarks: number): number {
	return round2(rule.mode === 'relative' ? (rule.threshold * fullMarks) / 100 : rule.threshold);
}

/**
 * Flags one column. Range and limit are compared as shown (two decimals), so a table that
 * prints "range 5.25, limit 5.25" never shows a flag the numbers do not support.
 */
export function flagColumn(values: readonly number[], fullMarks: number, rule: FlagRule): ColumnFlag {
	const limit = flagLimit(rule, fullMarks);
	const finite = values.filter((v) => Number.isFinite(v));
	if (finite.length < 2) return { fullMarks, limit, min: finite[0] ?? null, max: finite[0] ?? null, range: finite.length ? 0 : null, flagged: false };
	const min = Math.min(...finite);
	const max = Math.max(...finite);
	const range = round2(max - min);
	return { fullMarks, limit, min, max, range, flagged: range > limit };
}

/** A call's rule from its stored settings (numeric columns arrive as strings). */
export function flagRuleOf(call: { discrepancyRule?: string | null; discrepancyThreshold: string | number }): FlagRule {
	return { mode: call.discrepancyRule === 'absolute' ? 'absolute' : 'relative', threshold: Number(call.discrepancyThreshold) };
}
