// The score sheet's checks and their messages by field, shared by the browser (at the field,
// as the expert types, and before any confirmation) and the server (which checks again when it
// stores the sheet): one rule, one wording. Ranges come from the rubric.
import { m } from '$lib/paraglide/messages';
import { SCORE_MAX, SCORE_MIN, sheetProblems, VETO_REASON_MIN, type ReviewSheet, type ScoringRubric, type SheetProblem } from '$lib/rubric';

export const OPINION_MIN = 20;

export type ReviewProblem = SheetProblem | { code: 'opinion' } | { code: 'recommendation' } | { code: 'amount'; ceiling?: number } | { code: 'deadline' } | { code: 'noRubric' };

export interface SheetInput extends ReviewSheet {
	opinion: string;
	recommendation: 'fund' | 'decline' | null;
	suggestedAmount: number | null;
}

/** What is wrong with the sheet: ranges always, completeness when it is to be submitted. */
export function reviewProblems(scoring: ScoringRubric, input: SheetInput, opts: { submit: boolean; ceiling: number }): ReviewProblem[] {
	const problems: ReviewProblem[] = sheetProblems(scoring, input, opts.submit);
	if (input.suggestedAmount !== null && (!Number.isFinite(input.suggestedAmount) || input.suggestedAmount < 0 || input.suggestedAmount > opts.ceiling)) problems.push({ code: 'amount', ceiling: opts.ceiling });
	if (opts.submit) {
		if (input.opinion.trim().length < OPINION_MIN) problems.push({ code: 'opinion' });
		if (!input.veto && !input.recommendation) problems.push({ code: 'recommendation' });
		if (!input.veto && input.recommendation === 'fund' && !(input.suggestedAmount && input.suggestedAmount > 0)) problems.push({ code: 'amount' });
	}
	return problems;
}

/** The problems as messages by form field (score_<item>, deduction_<rule>, opinion, ...; _ for the form). */
export function reviewErrors(problems: ReviewProblem[], scoring?: ScoringRubric): Record<string, string> {
	const out: Record<string, string> = {};
	const set = (key: string, message: string) => (out[key] ??= message);
	for (const p of problems) {
		switch (p.code) {
			case 'missingScore':
				set(`score_${p.itemId}`, m.review_p_missing());
				break;
			case 'badScore':
				set(`score_${p.itemId}`, m.rec_score_range({ min: SCORE_MIN, max: SCORE_MAX }));
				break;
			case 'badDeduction': {
				const max = scoring?.rules.find((r) => r.id === p.ruleId)?.maxPoints;
				set(`deduction_${p.ruleId}`, max === undefined || max === null ? m.review_p_bad_deduction() : m.rec_deduction_range({ max }));
				break;
			}
			case 'badVeto':
				set('veto', m.v_choice());
				break;
			case 'vetoReason':
				set('vetoReason', m.review_p_veto_reason({ min: VETO_REASON_MIN }));
				break;
			case 'opinion':
				set('opinion', m.review_p_opinion({ min: OPINION_MIN }));
				break;
			case 'recommendation':
				set('recommendation', m.review_p_recommendation());
				break;
			case 'amount':
				set('suggestedAmount', p.ceiling ? m.app_v_ceiling({ ceiling: p.ceiling }) : m.review_p_amount());
				break;
			case 'deadline':
				set('_', m.review_p_deadline());
				break;
			case 'noRubric':
				set('_', m.review_p_no_rubric());
				break;
			case 'unknownItem':
				set('_', m.v_invalid());
				break;
		}
	}
	return out;
}
