import { describe, expect, it } from 'vitest';
import { reviewErrors, reviewProblems, type SheetInput } from './check';
import type { ScoringRubric } from '$lib/rubric';

const rubric: ScoringRubric = {
	items: [
		{ id: 'a', weight: 60 },
		{ id: 'b', weight: 40 }
	],
	rules: [
		{ id: 'env', kind: 'deduction', maxPoints: 10 },
		{ id: 'v', kind: 'veto', maxPoints: null }
	],
	passMark: null
};
const sheet = (over: Partial<SheetInput> = {}): SheetInput => ({
	scores: { a: 80, b: 70 },
	deductions: {},
	veto: null,
	opinion: '技术路线清晰，核心技术具有自主知识产权，团队研发实力较强。',
	recommendation: 'decline',
	suggestedAmount: null,
	...over
});

describe('the score sheet check the browser and the server share', () => {
	it('marks a score out of the rubric range at its field, draft or not, in the request language', () => {
		for (const submit of [false, true]) {
			const errors = reviewErrors(reviewProblems(rubric, sheet({ scores: { a: 120, b: 70 } }), { submit, ceiling: 100 }), rubric);
			expect(errors).toEqual({ score_a: '请填写 0–100 的整数。' });
		}
		expect(reviewErrors(reviewProblems(rubric, sheet({ scores: { a: 79.5, b: -1 } }), { submit: false, ceiling: 100 }))).toMatchObject({ score_a: expect.any(String), score_b: expect.any(String) });
	});

	it('gives a deduction its own maximum, and asks for everything only on submission', () => {
		expect(reviewErrors(reviewProblems(rubric, sheet({ deductions: { env: 12 } }), { submit: false, ceiling: 100 }), rubric)).toEqual({ deduction_env: '扣分须在 0–10 之间。' });
		const empty = sheet({ scores: {}, opinion: '', recommendation: null });
		expect(reviewProblems(rubric, empty, { submit: false, ceiling: 100 })).toEqual([]);
		expect(Object.keys(reviewErrors(reviewProblems(rubric, empty, { submit: true, ceiling: 100 })))).toEqual(['score_a', 'score_b', 'opinion', 'recommendation']);
		expect(reviewProblems(rubric, sheet(), { submit: true, ceiling: 100 })).toEqual([]);
		expect(reviewErrors(reviewProblems(rubric, sheet({ recommendation: 'fund', suggestedAmount: 150 }), { submit: true, ceiling: 100 }))).toHaveProperty('suggestedAmount');
	});
});
