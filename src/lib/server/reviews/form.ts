// Reading the score sheet form and turning the review's problems into messages by field.
import type { ReviewInput } from './index';
import { reviewErrors } from '$lib/reviews/check';

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

/** Messages by field: the same the score sheet shows in the browser. */
export { reviewErrors };
