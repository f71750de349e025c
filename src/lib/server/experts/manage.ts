// Keeping the expert database: staff add and edit experts and take them out of the pool;
// experts keep their own profile. A change of institution can create conflicts, so active
// assignments it now forbids end at once.
import { eq, sql } from 'drizzle-orm';
import { experts } from '$db/schema';
import type { Db } from '../db';
import { audit, type AuditActor } from '../audit';
import { endConflictedAssignments } from '../conflicts';
import type { TechnicalField } from '../org/users';

export interface ExpertInput {
	name: string;
	institution: string;
	title: string;
	kind: 'technical' | 'finance';
	primaryField: TechnicalField;
	secondaryFields: TechnicalField[];
	email: string | null;
	phone: string | null;
	active: boolean;
}

export async function getExpert(db: Db, id: string) {
	const [row] = await db.select().from(experts).where(eq(experts.id, id));
	return row ?? null;
}

export async function createExpert(db: Db, actor: AuditActor, input: ExpertInput): Promise<string> {
	return db.transaction(async (tx) => {
		const [row] = await tx
			.insert(experts)
			.values({ ...input, secondaryFields: input.secondaryFields.filter((f) => f !== input.primaryField) })
			.returning({ id: experts.id });
		await audit(tx, actor, 'expert.created', { type: 'expert', id: row.id }, { name: input.name, institution: input.institution });
		return row.id;
	});
}

/** Staff edit: everything, active state included. */
export async function updateExpert(db: Db, actor: AuditActor, id: string, input: ExpertInput): Promise<boolean> {
	return db.transaction(async (tx) => {
		const [before] = await tx.select().from(experts).where(eq(experts.id, id)).for('update');
		if (!before) return false;
		await tx
			.update(experts)
			.set({ ...input, secondaryFields: input.secondaryFields.filter((f) => f !== input.primaryField), updatedAt: sql`now()` })
			.where(eq(experts.id, id));
		const changed = Object.keys(input).filter((k) => JSON.stringify(before[k as keyof typeof before]) !== JSON.stringify(input[k as keyof ExpertInput]));
		await audit(tx, actor, 'expert.updated', { type: 'expert', id }, { changed });
		if (before.institution !== input.institution) await endConflictedAssignments(tx, actor, id);
		return true;
	});
}

export type ProfileInput = Pick<ExpertInput, 'institution' | 'title' | 'primaryField' | 'secondaryFields' | 'email' | 'phone'>;

/** The expert's own edit of their profile: not their kind, name or place in the pool. */
export async function updateOwnProfile(db: Db, actor: AuditActor, expertId: string, input: ProfileInput): Promise<boolean> {
	return db.transaction(async (tx) => {
		const [before] = await tx.select().from(experts).where(eq(experts.id, expertId)).for('update');
		if (!before) return false;
		await tx
			.update(experts)
			.set({ ...input, secondaryFields: input.secondaryFields.filter((f) => f !== input.primaryField), updatedAt: sql`now()` })
			.where(eq(experts.id, expertId));
		await audit(tx, actor, 'expert.profile_updated', { type: 'expert', id: expertId }, { institution: input.institution !== before.institution ? input.institution : undefined });
		if (before.institution !== input.institution) await endConflictedAssignments(tx, actor, expertId);
		return true;
	});
}
