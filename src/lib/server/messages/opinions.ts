// Edge translation for the panel opinion and the dossier: the codes opinions/ and dossier/
// return, in the user's language. Used by their routes only.
import { m } from '$lib/paraglide/messages';
import type { OpinionError } from '../opinions/commands';

export function opinionErrorMessage(code: OpinionError, names: string[] = []): string {
	switch (code) {
		case 'forbidden':
			return m.op_err_forbidden();
		case 'not_found':
			return m.op_err_not_found();
		case 'not_signer':
			return m.op_err_not_signer();
		case 'no_opinion':
			return m.op_err_no_opinion();
		case 'exists':
		case 'finalized':
			return m.op_err_finalized();
		case 'not_finalized':
			return m.op_err_not_finalized();
		case 'not_submitted':
			return m.op_err_not_submitted();
		case 'stale_submission':
			return m.op_err_stale_submission();
		case 'pending_signatures':
			return m.op_err_pending_signatures({ names: names.join(m.punct_list()) });
		case 'no_decision':
			return m.op_err_no_decision();
		case 'released':
			return m.op_err_released();
		case 'dissent_required':
			return m.op_err_dissent_required();
	}
}

export const opinionStatus = (code: OpinionError) => (code === 'not_found' ? 404 : code === 'forbidden' ? 403 : 409);
