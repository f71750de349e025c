// Turning the documents domain's refusals into HTTP answers with a localized message, for the
// JSON API and the pages' actions alike.
import { json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { FieldErrors } from '../validation';

export type Refusal =
	| 'not_found'
	| 'forbidden'
	| 'locked'
	| 'already_locked'
	| 'not_locked'
	| 'bad_anchor'
	| 'no_user'
	| 'meeting'
	| 'owner_not_found';

const STATUS: Record<Refusal, number> = {
	not_found: 404,
	forbidden: 403,
	locked: 409,
	already_locked: 409,
	not_locked: 409,
	bad_anchor: 400,
	no_user: 400,
	meeting: 400,
	owner_not_found: 400
};

export function refusalMessage(reason: Refusal): string {
	switch (reason) {
		case 'not_found':
			return m.doc_error_not_found();
		case 'forbidden':
			return m.doc_error_forbidden();
		case 'locked':
			return m.doc_error_locked();
		case 'already_locked':
			return m.doc_error_already_locked();
		case 'not_locked':
			return m.doc_error_not_locked();
		case 'bad_anchor':
			return m.doc_error_bad_anchor();
		case 'no_user':
			return m.doc_error_no_user();
		case 'meeting':
			return m.doc_error_meeting();
		case 'owner_not_found':
			return m.doc_create_forbidden();
	}
}

export function refuse(reason: Refusal): Response {
	return json({ message: refusalMessage(reason), reason }, { status: STATUS[reason] });
}

export function invalid(errors: FieldErrors, status = 400): Response {
	return json({ message: errors._ ?? m.v_form_errors(), errors }, { status });
}


