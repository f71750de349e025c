import { describe, expect, it } from 'vitest';
import { aggregate, rubricProblems, scoreSheet, sheetProblems, weightSum, weightedTotal, type RubricInput, type ScoringRubric } from './rubric';
import { IF_FINANCE_RUBRIC, IF_TECHNICAL_RUBRIC } from './server/demo/organization';

function toInput(r: typeof IF_TECHNICAL_RUBRIC | typeof IF_FINANCE_RUBRIC, form: 'technical' | 'finance'): RubricInput {
	return {
		form,
		name: r.name,
		nameEn: r.nameEn,
		passMark: 'passMark' in r ? Number(r.passMark) : null,
		groups: r.groups.map((g) => ({ ...g, items: g.items.map((i) => ({ ...i, guidance: '' })) })),
		deductions: r.deductions.map((d) => ({ ...d })),
		vetoes: r.vetoes.map((v) => ({ ...v }))
	};
}

describe('rubric weights', () => {
	it('accept the Innovation Fund’s own forms: items summing to 100', () => {
		expect(rubricProblems(toInput(IF_TECHNICAL_RUBRIC, 'technical'))).toEqual([]);
		expect(rubricProblems(toInput(IF_FINANCE_RUBRIC, 'finance'))).toEqual([]);
		expect(weightSum(toInput(IF_TECHNICAL_RUBRIC, 'technical').groups)).toBe(100);
	});

	it('refuse weights that do not sum to 100, and say the sum', () => {
		const r = toInput(IF_TECHNICAL_RUBRIC, 'technical');
		r.groups[1].items[0].weight = 10;
		expect(rubricProblems(r)).toEqual([{ code: 'weightSum', sum: 101 }]);
		r.groups[1].items[0].weight = 5;
		expect(rubricProblems(r)).toEqual([{ code: 'weightSum', sum: 96 }]);
	});

	it('refuse zero, negative and fractional weights, empty groups, no groups, duplicate keys', () => {
		const r = toInput(IF_TECHNICAL_RUBRIC, 'technical');
		r.groups[0].items[0].weight = 0;
		r.groups[0].items[1].weight = 10;
		expect(rubricProblems(r)).toContainEqual({ code: 'badWeight', group: 0, item: 0 });
		r.groups[0].items[0].weight = 2.5;
		expect(rubricProblems(r)).toContainEqual({ code: 'badWeight', group: 0, item: 0 });
		r.groups[0].items[0].weight = -5;
		expect(rubricProblems(r)).toContainEqual({ code: 'badWeight', group: 0, item: 0 });

		const empty = toInput(IF_TECHNICAL_RUBRIC, 'technical');
		empty.groups.push({ key: 'extra', name: '附加', nameEn: 'Extra', items: [] });
		expect(rubricProblems(empty)).toEqual([{ code: 'emptyGroup', group: 4 }]);
		expect(rubricProblems({ ...empty, groups: [] })).toEqual([{ code: 'noGroups' }]);

		const dup = toInput(IF_TECHNICAL_RUBRIC, 'technical');
		dup.groups[1].items[0].key = 'team';
		expect(rubricProblems(dup)).toEqual([{ code: 'duplicateKey', key: 'team' }]);
	});

	it('check deductions, names and the pass mark', () => {
		const r = toInput(IF_TECHNICAL_RUBRIC, 'technical');
		r.deductions[0].maxPoints = 0;
		r.groups[2].items[1].name = ' ';
		r.passMark = 101;
		expect(rubricProblems(r)).toEqual([{ code: 'missingName', path: 'groups.2.items.1.name' }, { code: 'badMaxPoints', rule: 0 }, { code: 'badPassMark' }]);
	});
});

describe('scoring a review', () => {
	const rubric: ScoringRubric = {
		items: [
			{ id: 'a', weight: 9 },
			{ id: 'b', weight: 35 },
			{ id: 'c', weight: 56 }
		],
		rules: [
			{ id: 'env', kind: 'deduction', maxPoints: 10 },
			{ id: 'noInnovation', kind: 'veto', maxPoints: null }
		],
		passMark: null
	};

	it('totals Σ score × weight / 100 minus deductions, without drift', () => {
		expect(weightedTotal(rubric.items, { a: 85, b: 70, c: 90 })).toBe(82.55);
		expect(scoreSheet(rubric, { scores: { a: 85, b: 70, c: 90 }, deductions: { env: 3 }, veto: null })).toEqual({ total: 79.55, vetoed: false, passed: null });
		expect(weightedTotal(rubric.items, { a: 100, b: 100, c: 100 })).toBe(100);
	});

	it('a veto replaces the score with a written reason', () => {
		const sheet = { scores: {}, deductions: {}, veto: { ruleId: 'noInnovation', reason: '项目技术为行业通用方案，无实质创新。' } };
		expect(sheetProblems(rubric, sheet, true)).toEqual([]);
		expect(scoreSheet(rubric, sheet)).toEqual({ total: null, vetoed: true, passed: null });
		expect(sheetProblems(rubric, { ...sheet, veto: { ruleId: 'noInnovation', reason: '无' } }, true)).toEqual([{ code: 'vetoReason' }]);
		expect(sheetProblems(rubric, { ...sheet, veto: { ruleId: 'env', reason: '理由足够长的说明文字在这里' } }, true)).toEqual([{ code: 'badVeto' }]);
	});

	it('a complete sheet scores every item with integers 0–100; a draft may leave gaps', () => {
		expect(sheetProblems(rubric, { scores: { a: 50 }, deductions: {}, veto: null }, false)).toEqual([]);
		expect(sheetProblems(rubric, { scores: { a: 50 }, deductions: {}, veto: null }, true)).toEqual([
			{ code: 'missingScore', itemId: 'b' },
			{ code: 'missingScore', itemId: 'c' }
		]);
		expect(sheetProblems(rubric, { scores: { a: 101, b: 50.5, c: -1, x: 3 }, deductions: { env: 11 }, veto: null }, false)).toEqual([
			{ code: 'badScore', itemId: 'a' },
			{ code: 'badScore', itemId: 'b' },
			{ code: 'badScore', itemId: 'c' },
			{ code: 'unknownItem', id: 'x' },
			{ code: 'badDeduction', ruleId: 'env' }
		]);
	});

	it('the finance form’s pass mark: under 60 disqualifies', () => {
		const finance: ScoringRubric = { items: [{ id: 'f', weight: 100 }], rules: [], passMark: 60 };
		expect(scoreSheet(finance, { scores: { f: 59 }, deductions: {}, veto: null })).toEqual({ total: 59, vetoed: false, passed: false });
		expect(scoreSheet(finance, { scores: { f: 60 }, deductions: {}, veto: null })).toEqual({ total: 60, vetoed: false, passed: true });
	});

	it('aggregates by mean or trimmed mean', () => {
		expect(aggregate([70, 80, 90, 100], 'mean')).toBe(85);
		expect(aggregate([60, 80, 90, 100], 'trimmedMean')).toBe(85);
		expect(aggregate([60, 80], 'trimmedMean')).toBe(70);
		expect(aggregate([], 'mean')).toBeNull();
	});
});
