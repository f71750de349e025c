// Reading the score sheet form and turning the review's problems into messages by field.
import { m } from '$lib/paraglide/messages';
import type { ReviewInput, ReviewProblem } from './index';
import { OPINION_MIN } from './index';
import { VETO_REASON_MIN } from '$lib/rubric';

function num(value: string | string[] | undefined): number | null {
	if (typeof value !== 'string' || value.trim() === '') return null;
	const n = Number(value);
	return Number.isFinite(n) ? n : NaN;
}

/** The sheet as posted; a value that is not a number is kept as NaN so the check reports it. */
export function readReviewForm(fields: Record<string, string | string[]>): ReviewInput {
	const scores: Record<string, number> = {};
	const deductions: Record<string, number> = {};
	for (const [name, value] of Object.entries(fields)) {
		const score = /^score_(.+)$/.exec(name);
		const deduction = /^deduction_(.+)$/.exec(name);
		const n = num(value);
		if (score && n !== null) scores[score[1]] = n;
		if (deduction && n !== null) deductions[deduction[1]] = n;
	}
	const veto = typeof fields.veto === 'string' && fields.veto ? { ruleId: fields.veto, reason: String(fields.vetoReason ?? '').trim().slice(0, 2000) } : null;
	const recommendation = fields.recommendation === 'fund' || fields.recommendation === 'decline' ? fields.recommendation : null;
	const amount = num(fields.suggestedAmount);
	return {
		scores,
		deductions,
		veto,
		opinion: String(fields.opinion ?? '').trim().slice(0, 5000),
		recommendation,
		suggestedAmount: amount === null || Number.isNaN(amount) ? null : amount
	};
}

export function reviewErrors(problems: ReviewProblem[]): Record<string, string> {
	const out: Record<string, string> = {};
	for (const p of problems) {
		switch (p.code) {
			case 'missingScore':
				out[`score_${p.itemId}`] = m.review_p_missing();
				break;
			case 'badScore':
				out[`score_${p.itemId}`] = m.review_p_bad_score();
				break;
			case 'badDeduction':
				out[`deduction_${p.ruleId}`] = m.review_p_bad_deduction();
				break;
			case 'badVeto':
				out.veto = m.v_choice();
				break;
			case 'vetoReason':
				out.vetoReason = m.review_p_veto_reason({ min: VETO_REASON_MIN });
				break;
			case 'opinion':
				out.opinion = m.review_p_opinion({ min: OPINION_MIN });
				break;
			case 'recommendation':
				out.recommendation = m.review_p_recommendation();
				break;
			case 'amount':
				out.suggestedAmount = p.ceiling ? m.app_v_ceiling({ ceiling: p.ceiling }) : m.review_p_amount();
				break;
			case 'deadline':
				out._ = m.review_p_deadline();
				break;
			case 'noRubric':
				out._ = m.review_p_no_rubric();
				break;
			case 'unknownItem':
				out._ = m.v_invalid();
				break;
		}
	}
	return out;
}
