// The conflict forms of the expert's profile (declare, institutions only) and of the staff's
// expert page (record, an institution or an application by its number).
import { emit } from '../events';
import { and, eq } from 'drizzle-orm';
import { applications, calls } from '$db/schema';
import type { Db } from '../db';
import type { AuditActor } from '../audit';
import type { Principal } from '../auth/principal';
import { visibilityCondition } from '../applications/queries';
import { stateConflict } from '../conflicts';
import { parse, type FieldErrors } from '../validation';
import { conflictSchema } from './schemas';

/**
 * A refusal says why as a code, translated at the edge (messages/experts.ts): the form does not
 * parse (`errors` from the form parser), an expert tried to declare an application, or no
 * visible application has that number.
 */
export type ConflictFormRefusal = { ok: false; code: 'invalidForm'; errors: FieldErrors } | { ok: false; code: 'applicationNotDeclarable' } | { ok: false; code: 'noSuchApplication' };
export type ConflictFormResult = { ok: true; ended: number } | ConflictFormRefusal;

export async function handleConflictForm(db: Db, p: Principal, actor: AuditActor, expertId: string, fields: Record<string, string | string[]>, source: 'declared' | 'recorded'): Promise<ConflictFormResult> {
	const parsed = parse(conflictSchema, fields);
	if (!parsed.ok) return { ok: false, code: 'invalidForm', errors: parsed.errors };
	const input = parsed.data;
	if (input.target === 'application' && source === 'declared') return { ok: false, code: 'applicationNotDeclarable' };
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
		if (!app) return { ok: false, code: 'noSuchApplication' };
		applicationId = app.id;
	}
	const result = await db.transaction((tx) =>
		stateConflict(tx, actor, { expertId, applicationId, institution: input.target === 'institution' ? input.institution! : null, source, reason: input.reason })
	);
	// After the commit: live meeting rooms recompute who must step out.
	emit('conflicts.changed', {});
	return { ok: true, ended: result.endedAssignments };
}
