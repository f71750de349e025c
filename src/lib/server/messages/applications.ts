// Edge translation for applications: what applications/ reports as codes (attachment problems),
// in the user's language. Used by the routes only.
import { m } from '$lib/paraglide/messages';
import { MAX_ATTACHMENT_BYTES, type PdfProblem } from '../applications/pdf';
import { MAX_ATTACHMENTS } from '../applications/drafts';
import type { SubmitProblem } from '../applications/schemas';
import type { CreditCodeProblem } from '$lib/credit-code';

export function pdfProblemMessage(problem: PdfProblem | 'notDraft' | 'tooMany'): string {
	switch (problem) {
		case 'empty':
			return m.attachment_empty();
		case 'tooLarge':
			return m.attachment_too_large({ mb: MAX_ATTACHMENT_BYTES / 1024 / 1024 });
		case 'notPdf':
			return m.attachment_not_pdf();
		case 'damaged':
			return m.attachment_damaged();
		case 'notDraft':
			return m.app_not_draft();
		case 'tooMany':
			return m.attachment_too_many({ max: MAX_ATTACHMENTS });
	}
}

export function creditCodeMessage(problem: CreditCodeProblem): string {
	switch (problem) {
		case 'length':
			return m.credit_code_length();
		case 'charset':
			return m.credit_code_charset();
		case 'check':
			return m.credit_code_check();
	}
}

export function submitProblemMessage(p: SubmitProblem): string {
	switch (p.code) {
		case 'required':
			return m.v_required();
		case 'creditCode':
			return creditCodeMessage(p.problem);
		case 'phone':
			return m.v_phone();
		case 'email':
			return m.v_email();
		case 'tooShort':
			return m.v_too_short({ min: p.min });
		case 'fieldScope':
			return m.app_v_field_scope();
		case 'modeScope':
			return m.app_v_mode_scope();
		case 'ceiling':
			return m.app_v_ceiling({ ceiling: p.ceiling });
		case 'team':
			return m.app_v_team();
		case 'teamRow':
			return m.app_v_team_row();
		case 'budget':
			return m.app_v_budget();
		case 'budgetRow':
			return m.app_v_budget_row();
		case 'budgetTotal':
			return m.app_v_budget_total({ total: p.total });
		case 'attachments':
			return m.app_v_attachments();
	}
}

/** Field → message, for the draft form. */
export const submitErrors = (errors: Record<string, SubmitProblem>): Record<string, string> => Object.fromEntries(Object.entries(errors).map(([field, p]) => [field, submitProblemMessage(p)]));
