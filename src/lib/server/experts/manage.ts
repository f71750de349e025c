// Keeping the expert database: staff add and edit experts and take them out of the pool;
// experts keep their own profile. A change of institution can create conflicts, so active
// assignments it now forbids end at once. The institution decides conflicts, so an expert's
// own change of it is only a request, which division staff approve or reject; until then the
// old one counts (and the requested one too), and for meetings already scheduled the old one
// goes on counting after the approval (recusals there are established first).
import { and, desc, eq, sql } from 'drizzle-orm';
import { expertInstitutionChanges, experts, users } from '$db/schema';
import type { Db } from '../db';
import { audit, type AuditActor } from '../audit';
import { emit } from '../events';
import { endConflictedAssignments } from '../conflicts';
import { establishRecusalsOfExpert } from '../meetings/recusals';
import type { TechnicalField } from '$lib/values';

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

/** Staff edit: everything, active state included. A change of institution is recorded as approved. */
export async function updateExpert(db: Db, actor: AuditActor, id: string, input: ExpertInput): Promise<boolean> {
	const done = await db.transaction(async (tx) => {
		const [before] = await tx.select().from(experts).where(eq(experts.id, id)).for('update');
		if (!before) return false;
		const moved = before.institution !== input.institution;
		if (moved) await establishRecusalsOfExpert(tx, id);
		await tx
			.update(experts)
			.set({ ...input, secondaryFields: input.secondaryFields.filter((f) => f !== input.primaryField), updatedAt: sql`now()` })
			.where(eq(experts.id, id));
		const changed = Object.keys(input).filter((k) => JSON.stringify(before[k as keyof typeof before]) !== JSON.stringify(input[k as keyof ExpertInput]));
		await audit(tx, actor, 'expert.updated', { type: 'expert', id }, { changed });
		if (moved) {
			// Any pending request is settled by staff's own edit.
			await tx
				.update(expertInstitutionChanges)
				.set({ status: 'cancelled', decidedBy: actor.id ?? null, decidedAt: sql`now()` })
				.where(and(eq(expertInstitutionChanges.expertId, id), eq(expertInstitutionChanges.status, 'pending')));
			await tx.insert(expertInstitutionChanges).values({
				expertId: id,
				oldInstitution: before.institution,
				newInstitution: input.institution,
				status: 'approved',
				requestedBy: actor.id ?? null,
				decidedBy: actor.id ?? null,
				decidedAt: sql`now()`
			});
			await endConflictedAssignments(tx, actor, id);
		}
		return moved ? 'moved' : true;
	});
	if (done === 'moved') emit('conflicts.changed', {});
	return !!done;
}

export type ProfileInput = Pick<ExpertInput, 'institution' | 'title' | 'primaryField' | 'secondaryFields' | 'email' | 'phone'>;

/**
 * The expert's own edit of their profile: not their kind, name or place in the pool. A new
 * institution is not applied: it becomes a request for staff ('requested'); giving the
 * current one back withdraws a pending request ('withdrawn').
 */
export async function updateOwnProfile(db: Db, actor: AuditActor, expertId: string, input: ProfileInput): Promise<false | { institution: 'unchanged' | 'requested' | 'withdrawn' }> {
	const result = await db.transaction(async (tx) => {
		const [before] = await tx.select().from(experts).where(eq(experts.id, expertId)).for('update');
		if (!before) return false as const;
		const { institution, ...rest } = input;
		await tx
			.update(experts)
			.set({ ...rest, secondaryFields: input.secondaryFields.filter((f) => f !== input.primaryField), updatedAt: sql`now()` })
			.where(eq(experts.id, expertId));
		const [pending] = await tx
			.select()
			.from(expertInstitutionChanges)
			.where(and(eq(expertInstitutionChanges.expertId, expertId), eq(expertInstitutionChanges.status, 'pending')));
		let outcome: 'unchanged' | 'requested' | 'withdrawn' = 'unchanged';
		if (institution !== before.institution && pending?.newInstitution !== institution) {
			if (pending) await tx.update(expertInstitutionChanges).set({ status: 'cancelled', decidedBy: actor.id ?? null, decidedAt: sql`now()` }).where(eq(expertInstitutionChanges.id, pending.id));
			await tx.insert(expertInstitutionChanges).values({ expertId, oldInstitution: before.institution, newInstitution: institution, requestedBy: actor.id ?? null });
			await audit(tx, actor, 'expert.institution_requested', { type: 'expert', id: expertId }, { from: before.institution, to: institution });
			outcome = 'requested';
		} else if (institution === before.institution && pending) {
			await tx.update(expertInstitutionChanges).set({ status: 'cancelled', decidedBy: actor.id ?? null, decidedAt: sql`now()` }).where(eq(expertInstitutionChanges.id, pending.id));
			await audit(tx, actor, 'expert.institution_request_withdrawn', { type: 'expert', id: expertId }, { requested: pending.newInstitution });
			outcome = 'withdrawn';
		} else if (pending) {
			outcome = 'requested';
		}
		await audit(tx, actor, 'expert.profile_updated', { type: 'expert', id: expertId }, {});
		// The requested institution counts at once: assignments it forbids end now.
		if (outcome === 'requested') await endConflictedAssignments(tx, actor, expertId);
		return { institution: outcome };
	});
	if (result && result.institution !== 'unchanged') emit('conflicts.changed', {});
	return result;
}

/** The expert's pending change of institution, if any. */
export async function pendingInstitutionChange(db: Db, expertId: string) {
	const [row] = await db
		.select()
		.from(expertInstitutionChanges)
		.where(and(eq(expertInstitutionChanges.expertId, expertId), eq(expertInstitutionChanges.status, 'pending')));
	return row ?? null;
}

/** Every change of institution of the expert, newest first, with who decided. */
export async function institutionChanges(db: Db, expertId: string) {
	return db
		.select({
			id: expertInstitutionChanges.id,
			oldInstitution: expertInstitutionChanges.oldInstitution,
			newInstitution: expertInstitutionChanges.newInstitution,
			status: expertInstitutionChanges.status,
			requestedAt: expertInstitutionChanges.requestedAt,
			decidedAt: expertInstitutionChanges.decidedAt,
			decidedByName: users.name,
			decisionNote: expertInstitutionChanges.decisionNote
		})
		.from(expertInstitutionChanges)
		.leftJoin(users, eq(users.id, expertInstitutionChanges.decidedBy))
		.where(eq(expertInstitutionChanges.expertId, expertId))
		.orderBy(desc(expertInstitutionChanges.requestedAt));
}

/**
 * Staff decide an expert's pending change of institution. Approving establishes the expert's
 * recusals in meetings not yet closed first (there the old institution still counts), then
 * applies the new one. False when there is no such pending request.
 */
export async function decideInstitutionChange(db: Db, actor: AuditActor, input: { expertId: string; changeId: string; approve: boolean; note: string }): Promise<boolean> {
	const done = await db.transaction(async (tx) => {
		const [change] = await tx
			.select()
			.from(expertInstitutionChanges)
			.where(and(eq(expertInstitutionChanges.id, input.changeId), eq(expertInstitutionChanges.expertId, input.expertId), eq(expertInstitutionChanges.status, 'pending')))
			.for('update');
		if (!change) return false;
		if (input.approve) {
			await establishRecusalsOfExpert(tx, input.expertId);
			await tx.update(experts).set({ institution: change.newInstitution, updatedAt: sql`now()` }).where(eq(experts.id, input.expertId));
		}
		await tx
			.update(expertInstitutionChanges)
			.set({ status: input.approve ? 'approved' : 'rejected', decidedBy: actor.id ?? null, decidedAt: sql`now()`, decisionNote: input.note })
			.where(eq(expertInstitutionChanges.id, change.id));
		await audit(tx, actor, input.approve ? 'expert.institution_approved' : 'expert.institution_rejected', { type: 'expert', id: input.expertId }, {
			changeId: change.id,
			from: change.oldInstitution,
			to: change.newInstitution,
			note: input.note || undefined
		});
		if (input.approve) await endConflictedAssignments(tx, actor, input.expertId);
		return true;
	});
	if (done) emit('conflicts.changed', {});
	return done;
}
