// Who the signed-in user is to Panelroom: admin, division member (and where), expert,
// applicant. Loaded once per request or socket and used by every guard.
import { sql } from 'drizzle-orm';
import { rows, type DbOrTx } from '../db';
import type { SessionUser } from './session';

export type DivisionRole = 'head' | 'deputy' | 'staff';

export interface Membership {
	divisionId: string;
	code: string;
	name: string;
	nameEn: string;
	role: DivisionRole;
}

export interface Principal {
	user: SessionUser;
	sessionId: string;
	isAdmin: boolean;
	memberships: Membership[];
	expertId: string | null;
	enterpriseId: string | null;
}

export async function loadPrincipal(db: DbOrTx, user: SessionUser, sessionId: string): Promise<Principal> {
	const [row] = await rows<{ expert_id: string | null; enterprise_id: string | null; memberships: Membership[] | null }>(
		db,
		sql`SELECT
			(SELECT id FROM experts WHERE user_id = ${user.id} AND active) AS expert_id,
			(SELECT id FROM enterprises WHERE user_id = ${user.id}) AS enterprise_id,
			(SELECT json_agg(json_build_object('divisionId', d.id, 'code', d.code, 'name', d.name, 'nameEn', d.name_en, 'role', m.role) ORDER BY d.sort)
				FROM memberships m JOIN divisions d ON d.id = m.division_id WHERE m.user_id = ${user.id}) AS memberships`
	);
	return {
		user,
		sessionId,
		isAdmin: user.isAdmin,
		memberships: (typeof row?.memberships === 'string' ? JSON.parse(row.memberships) : row?.memberships) ?? [],
		expertId: row?.expert_id ?? null,
		enterpriseId: row?.enterprise_id ?? null
	};
}

/** Role predicates: the one place that says what each role may do. */
export const roles = {
	isStaff: (p: Principal) => p.memberships.length > 0,
	isExpert: (p: Principal) => p.expertId !== null,
	isApplicant: (p: Principal) => p.enterpriseId !== null,
	/** Staff or admin: may see the center's internal pages. */
	isInternal: (p: Principal) => p.isAdmin || p.memberships.length > 0,
	inDivision: (p: Principal, divisionId: string, allowed: DivisionRole[] = ['head', 'deputy', 'staff']) =>
		p.memberships.some((m) => m.divisionId === divisionId && allowed.includes(m.role)),
	headOf: (p: Principal, divisionId: string) =>
		p.memberships.some((m) => m.divisionId === divisionId && (m.role === 'head' || m.role === 'deputy'))
};
