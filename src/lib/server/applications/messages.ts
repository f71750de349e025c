// Messages for what the application code reports, in the user's language.
import { m } from '$lib/paraglide/messages';
import { MAX_ATTACHMENT_BYTES, type PdfProblem } from './pdf';
import { MAX_ATTACHMENTS } from './drafts';

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
