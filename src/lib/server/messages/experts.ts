// Edge translation for the conflict forms: what experts/conflict-form.ts reports as codes, as the
// field errors and the summary the form shows. Used by the routes only.
import { m } from '$lib/paraglide/messages';
import type { ConflictFormRefusal } from '../experts/conflict-form';

export function conflictFormRefusal(r: ConflictFormRefusal): { errors: Record<string, string>; message: string } {
	switch (r.code) {
		case 'invalidForm':
			return { errors: r.errors, message: m.v_form_errors() };
		case 'applicationNotDeclarable':
			return { errors: {}, message: m.v_invalid() };
		case 'noSuchApplication':
			return { errors: { applicationNumber: m.conflict_no_such_application() }, message: m.v_form_errors() };
	}
}
