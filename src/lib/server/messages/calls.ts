// Edge translation for the call form: what calls/ reports as codes, in the user's language.
// Used by the call routes only; domain modules return codes and never import messages.
import { m } from '$lib/paraglide/messages';
import type { RubricInput, RubricProblem } from '$lib/rubric';
import type { CallRubricProblem } from '../calls/schemas';

/** A readable message for each problem of one rubric. */
export function rubricProblemMessage(p: RubricProblem, r: RubricInput): string {
	switch (p.code) {
		case 'noGroups':
			return m.rubric_p_no_groups();
		case 'emptyGroup':
			return m.rubric_p_empty_group({ group: r.groups[p.group]?.name || String(p.group + 1) });
		case 'badWeight':
			return m.rubric_p_bad_weight({ item: r.groups[p.group]?.items[p.item]?.name || String(p.item + 1) });
		case 'weightSum':
			return m.rubric_p_weight_sum({ sum: p.sum });
		case 'duplicateKey':
			return m.rubric_p_duplicate_key({ key: p.key });
		case 'missingName':
			return m.rubric_p_missing_name();
		case 'badMaxPoints':
			return m.rubric_p_bad_max_points({ rule: r.deductions[p.rule]?.name || String(p.rule + 1) });
		case 'badPassMark':
			return m.rubric_p_bad_pass_mark();
	}
}

/** A problem of the submitted rubrics; one of a form is prefixed with the form's name. */
export function callRubricMessage(p: CallRubricProblem): string {
	switch (p.code) {
		case 'invalid':
			return m.v_invalid();
		case 'duplicateForm':
			return m.rubric_p_duplicate_form();
		case 'technicalRequired':
			return m.rubric_p_technical_required();
		case 'financeRequired':
			return m.rubric_p_finance_required();
		case 'inForm':
			return m.rubric_p_in_form({ form: p.rubric.form === 'finance' ? m.rubric_form_finance() : m.rubric_form_technical(), problem: rubricProblemMessage(p.problem, p.rubric) });
	}
}

/** What the call form shows for a refused post: the rubric messages and the summary above the form. */
export function callFormRefusal(parsed: { errors: Record<string, string>; rubricProblems: CallRubricProblem[] }): { rubricErrors: string[]; message: string } {
	const settingsOk = Object.keys(parsed.errors).length === 0;
	return {
		rubricErrors: parsed.rubricProblems.map(callRubricMessage),
		message: parsed.rubricProblems.length && settingsOk ? m.rubric_p_title() : m.v_form_errors()
	};
}
