// A call's rubric (评分标准) as people edit it, the rules it must keep, and how a review is
// scored against it. Shared by the browser (the editor's running sum, the scoring form's live
// total) and the server (which validates and stores what it computes itself).

export type RubricFormKind = 'technical' | 'finance';

export interface RubricItemInput {
	id?: string;
	key: string;
	name: string;
	nameEn: string;
	/** Points of the 100-point total (创新程度 0.09 → 9). */
	weight: number;
	guidance: string;
}

export interface RubricGroupInput {
	id?: string;
	key: string;
	name: string;
	nameEn: string;
	items: RubricItemInput[];
}

export interface RubricRuleInput {
	id?: string;
	key: string;
	name: string;
	nameEn: string;
	/** Deductions only: the most points the rule may take off. */
	maxPoints?: number | null;
}

/** One form of a call's rubric, as the editor holds it. */
export interface RubricInput {
	form: RubricFormKind;
	name: string;
	nameEn: string;
	/** A total under this mark disqualifies (the finance gate: 60); null for none. */
	passMark: number | null;
	groups: RubricGroupInput[];
	deductions: RubricRuleInput[];
	vetoes: RubricRuleInput[];
}

export const RUBRIC_TOTAL = 100;
export const SCORE_MIN = 0;
export const SCORE_MAX = 100;

export type RubricProblem =
	| { code: 'noGroups' }
	| { code: 'emptyGroup'; group: number }
	| { code: 'badWeight'; group: number; item: number }
	| { code: 'weightSum'; sum: number }
	| { code: 'duplicateKey'; key: string }
	| { code: 'missingName'; path: string }
	| { code: 'badMaxPoints'; rule: number }
	| { code: 'badPassMark' };

/** Sum of the item weights of a group or of the whole rubric. */
export function weightSum(groups: Pick<RubricGroupInput, 'items'>[]): number {
	return groups.reduce((sum, g) => sum + g.items.reduce((s, i) => s + (Number.isFinite(i.weight) ? i.weight : 0), 0), 0);
}

/**
 * Everything wrong with a rubric: at least one group, every group with items, integer weights
 * of at least one point summing to exactly 100, unique keys, names in both languages for the
 * Chinese side at least, deductions with a maximum of 1–100 points, a pass mark within 0–100.
 */
export function rubricProblems(r: RubricInput): RubricProblem[] {
	const problems: RubricProblem[] = [];
	if (r.groups.length === 0) problems.push({ code: 'noGroups' });
	const keys = new Set<string>();
	const seeKey = (key: string) => {
		if (keys.has(key)) problems.push({ code: 'duplicateKey', key });
		keys.add(key);
	};
	if (!r.name.trim()) problems.push({ code: 'missingName', path: 'name' });
	r.groups.forEach((g, gi) => {
		seeKey(g.key);
		if (!g.name.trim()) problems.push({ code: 'missingName', path: `groups.${gi}.name` });
		if (g.items.length === 0) problems.push({ code: 'emptyGroup', group: gi });
		g.items.forEach((item, ii) => {
			seeKey(item.key);
			if (!item.name.trim()) problems.push({ code: 'missingName', path: `groups.${gi}.items.${ii}.name` });
			if (!Number.isInteger(item.weight) || item.weight < 1 || item.weight > RUBRIC_TOTAL) problems.push({ code: 'badWeight', group: gi, item: ii });
		});
	});
	const sum = weightSum(r.groups);
	if (r.groups.length > 0 && sum !== RUBRIC_TOTAL) problems.push({ code: 'weightSum', sum });
	r.deductions.forEach((d, di) => {
		seeKey(d.key);
		if (!d.name.trim()) problems.push({ code: 'missingName', path: `deductions.${di}.name` });
		if (!Number.isInteger(d.maxPoints) || (d.maxPoints ?? 0) < 1 || (d.maxPoints ?? 0) > RUBRIC_TOTAL) problems.push({ code: 'badMaxPoints', rule: di });
	});
	r.vetoes.forEach((v, vi) => {
		seeKey(v.key);
		if (!v.name.trim()) problems.push({ code: 'missingName', path: `vetoes.${vi}.name` });
	});
	if (r.passMark !== null && (!Number.isFinite(r.passMark) || r.passMark < 0 || r.passMark > RUBRIC_TOTAL)) problems.push({ code: 'badPassMark' });
	return problems;
}

// ---- Scoring ------------------------------------------------------------------------------

export interface ScoringItem {
	id: string;
	weight: number;
}

export interface ScoringRule {
	id: string;
	kind: 'deduction' | 'veto';
	maxPoints: number | null;
}

export interface ScoringRubric {
	items: ScoringItem[];
	rules: ScoringRule[];
	passMark: number | null;
}

export interface ReviewSheet {
	/** rubric item id → score 0–100. */
	scores: Record<string, number>;
	/** deduction rule id → points taken off. */
	deductions: Record<string, number>;
	veto: { ruleId: string; reason: string } | null;
}

/** Σ score × weight / 100 − deductions, to two decimals; never below zero. */
export function weightedTotal(items: ScoringItem[], scores: Record<string, number>, deductions: Record<string, number> = {}): number {
	// In hundredths of a point, so 0.07 × 85-style sums do not drift.
	let hundredths = 0;
	for (const item of items) hundredths += (scores[item.id] ?? 0) * item.weight;
	let deducted = 0;
	for (const v of Object.values(deductions)) deducted += v;
	return Math.max(0, Math.round(hundredths - deducted * 100) / 100);
}

export type SheetProblem =
	| { code: 'missingScore'; itemId: string }
	| { code: 'badScore'; itemId: string }
	| { code: 'unknownItem'; id: string }
	| { code: 'badDeduction'; ruleId: string }
	| { code: 'badVeto' }
	| { code: 'vetoReason' };

/** The least a veto's written reason may be, in characters. */
export const VETO_REASON_MIN = 10;

/**
 * What is wrong with a sheet. A draft may leave items unscored; a complete sheet scores every
 * item with an integer 0–100, unless it invokes a veto, whose written reason replaces the
 * scores. Deductions stay within their rule's maximum; nothing outside the rubric is taken.
 */
export function sheetProblems(rubric: ScoringRubric, sheet: ReviewSheet, complete: boolean): SheetProblem[] {
	const problems: SheetProblem[] = [];
	const itemIds = new Set(rubric.items.map((i) => i.id));
	const rules = new Map(rubric.rules.map((r) => [r.id, r]));
	for (const [id, value] of Object.entries(sheet.scores)) {
		if (!itemIds.has(id)) problems.push({ code: 'unknownItem', id });
		else if (!Number.isInteger(value) || value < SCORE_MIN || value > SCORE_MAX) problems.push({ code: 'badScore', itemId: id });
	}
	for (const [id, value] of Object.entries(sheet.deductions)) {
		const rule = rules.get(id);
		if (!rule || rule.kind !== 'deduction') problems.push({ code: 'unknownItem', id });
		else if (!Number.isFinite(value) || value < 0 || value > (rule.maxPoints ?? 0)) problems.push({ code: 'badDeduction', ruleId: id });
	}
	if (sheet.veto) {
		const rule = rules.get(sheet.veto.ruleId);
		if (!rule || rule.kind !== 'veto') problems.push({ code: 'badVeto' });
		if (complete && sheet.veto.reason.trim().length < VETO_REASON_MIN) problems.push({ code: 'vetoReason' });
	} else if (complete) {
		for (const item of rubric.items) if (sheet.scores[item.id] === undefined) problems.push({ code: 'missingScore', itemId: item.id });
	}
	return problems;
}

export interface SheetResult {
	/** null when vetoed. */
	total: number | null;
	vetoed: boolean;
	/** Against the pass mark, when the form has one (the finance gate); null otherwise. */
	passed: boolean | null;
}

/** The outcome of a sheet: a veto replaces the score; the finance form's pass mark decides passed. */
export function scoreSheet(rubric: ScoringRubric, sheet: ReviewSheet): SheetResult {
	if (sheet.veto) return { total: null, vetoed: true, passed: rubric.passMark === null ? null : false };
	const total = weightedTotal(rubric.items, sheet.scores, sheet.deductions);
	return { total, vetoed: false, passed: rubric.passMark === null ? null : total >= rubric.passMark };
}

/** The call's aggregate of several totals: the mean, or the mean without the highest and lowest. */
export function aggregate(totals: number[], method: 'mean' | 'trimmedMean'): number | null {
	if (totals.length === 0) return null;
	let values = [...totals].sort((a, b) => a - b);
	// Trimming needs at least three values to leave one.
	if (method === 'trimmedMean' && values.length >= 3) values = values.slice(1, -1);
	return Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100;
}
