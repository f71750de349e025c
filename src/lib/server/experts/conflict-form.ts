// The conflict forms of the expert's profile (declare, institutions only) and of the staff's
// expert page (record, an institution or an application by its number).
import { emit } from '../events';
import { and, eq } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { applications, calls } from '$db/schema';
import type { Db } from '../db';
import type { AuditActor } from '../audit';
import type { Principal } from '../auth/principal';
import { visibilityCondition } from '../applications/queries';
import { stateConflict } from '../conflicts';
import { parse } from '../validation';
import { conflictSchema } from './schemas';

export type ConflictFormResult = { ok: true; ended: number } | { ok: false; errors: Record<string, string>; message: string };

export async function handleConflictForm(db: Db, p: Principal, actor: AuditActor, expertId: string, fields: Record<string, string | string[]>, source: 'declared' | 'recorded'): Promise<ConflictFormResult> {
	const parsed = parse(conflictSchema, fields);
	if (!parsed.ok) return { ok: false, errors: parsed.errors, message: m.v_form_errors() };
	const input = parsed.data;
	if (input.target === 'application' && source === 'declared') return { ok: false, errors: {}, message: m.v_invalid() };
	let applicationId: string | null = null;
	if (input.target === 'application') {
		const visible = await visibilityCondition(db, p);
		const [app] = visible
			? await db
					.select({ id: applications.id })
					.from(applications)
					.innerJoin(calls, eq(calls.id, applications.callId))
					.where(and(eq(applications.number, input.applicationNumber!.toUpperCase()), visible))
			: [];
		if (!app) return { ok: false, errors: { applicationNumber: m.conflict_no_such_application() }, message: m.v_form_errors() };
		applicationId = app.id;
	}
	const result = await db.transaction((tx) =>
		stateConflict(tx, actor, { expertId, applicationId, institution: input.target === 'institution' ? input.institution! : null, source, reason: input.reason })
	);
	// After the commit: live meeting rooms recompute who must step out.
	emit('conflicts.changed', {});
	return { ok: true, ended: result.endedAssignments };
}
