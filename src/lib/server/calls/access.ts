// Which programs and calls a staff member works on: those of the programs their division
// works on (program_divisions). Admins see all.
import { eq, inArray } from 'drizzle-orm';
import { calls, programDivisions } from '$db/schema';
import type { DbOrTx } from '../db';
import type { Principal } from '../auth/principal';

/** Program ids the principal manages as staff, or 'all' for admins. */
export async function managedProgramIds(db: DbOrTx, p: Principal): Promise<string[] | 'all'> {
	if (p.isAdmin) return 'all';
	const divisionIds = p.memberships.map((m) => m.divisionId);
	if (divisionIds.length === 0) return [];
	const rows = await db
		.selectDistinct({ programId: programDivisions.programId })
		.from(programDivisions)
		.where(inArray(programDivisions.divisionId, divisionIds));
	return rows.map((r) => r.programId);
}

/** True when the principal manages the call's program. */
export async function managesCall(db: DbOrTx, p: Principal, callId: string): Promise<boolean> {
	const programs = await managedProgramIds(db, p);
	if (programs === 'all') return true;
	if (programs.length === 0) return false;
	const [call] = await db.select({ programId: calls.programId }).from(calls).where(eq(calls.id, callId));
	return !!call && programs.includes(call.programId);
}
