// The admin's user management: create accounts, assign division and role, mark experts,
// deactivate and reactivate, reset passwords. Every change is audited.
import { and, asc, eq, ilike, or, sql, type SQL } from 'drizzle-orm';
import { divisions, enterprises, experts, memberships, users } from '$db/schema';
import type { Db } from '../db';
import { audit, type AuditActor } from '../audit';
import { hashPassword } from '../auth/password';
import { invalidateUserSessions } from '../auth/session';
import { colorFor } from '../auth/colors';
import { emit } from '../events';
import type { DivisionRole } from '../auth/principal';
import type { TechnicalField } from '$lib/values';

export interface ExpertProfile {
	institution: string;
	title: string;
	kind: 'technical' | 'finance';
	primaryField: TechnicalField;
	secondaryFields: TechnicalField[];
}

export interface UserInput {
	username: string;
	name: string;
	email: string | null;
	phone: string | null;
	isAdmin: boolean;
	divisionId: string | null;
	role: DivisionRole;
	expert: ExpertProfile | null;
}

export interface UserRow {
	id: string;
	username: string;
	name: string;
	email: string | null;
	phone: string | null;
	isAdmin: boolean;
	active: boolean;
	lastLoginAt: Date | null;
	divisionId: string | null;
	divisionName: string | null;
	divisionNameEn: string | null;
	role: DivisionRole | null;
	expertId: string | null;
	enterpriseName: string | null;
}

export interface UserFilter {
	q?: string;
	kind?: 'admin' | 'staff' | 'expert' | 'applicant' | '';
	status?: 'active' | 'inactive' | '';
}

export async function listUsers(db: Db, filter: UserFilter = {}): Promise<UserRow[]> {
	const where: SQL[] = [];
	if (filter.q) {
		const like = `%${filter.q.replace(/[%_\\]/g, (c) => '\\' + c)}%`;
		where.push(or(ilike(users.username, like), ilike(users.name, like), ilike(users.email, like))!);
	}
	if (filter.status === 'active') where.push(eq(users.active, true));
	if (filter.status === 'inactive') where.push(eq(users.active, false));
	if (filter.kind === 'admin') where.push(eq(users.isAdmin, true));
	if (filter.kind === 'staff') where.push(sql`${memberships.divisionId} IS NOT NULL`);
	if (filter.kind === 'expert') where.push(sql`${experts.id} IS NOT NULL`);
	if (filter.kind === 'applicant') where.push(sql`${enterprises.id} IS NOT NULL`);
	return db
		.select({
			id: users.id,
			username: users.username,
			name: users.name,
			email: users.email,
			phone: users.phone,
			isAdmin: users.isAdmin,
			active: users.active,
			lastLoginAt: users.lastLoginAt,
			divisionId: divisions.id,
			divisionName: divisions.name,
			divisionNameEn: divisions.nameEn,
			role: memberships.role,
			expertId: experts.id,
			enterpriseName: enterprises.name
		})
		.from(users)
		.leftJoin(memberships, eq(memberships.userId, users.id))
		.leftJoin(divisions, eq(divisions.id, memberships.divisionId))
		.leftJoin(experts, eq(experts.userId, users.id))
		.leftJoin(enterprises, eq(enterprises.userId, users.id))
		.where(where.length ? and(...where) : undefined)
		.orderBy(asc(divisions.sort), asc(users.username));
}

export async function getUser(db: Db, id: string) {
	const [row] = await db
		.select({
			user: users,
			divisionId: memberships.divisionId,
			role: memberships.role,
			expert: experts
		})
		.from(users)
		.leftJoin(memberships, eq(memberships.userId, users.id))
		.leftJoin(experts, eq(experts.userId, users.id))
		.where(eq(users.id, id))
		.limit(1);
	return row ?? null;
}

export type SaveUserResult = { ok: true; id: string } | { ok: false; field: string; reason: 'taken' | 'not_found' };

export async function createUser(db: Db, actor: AuditActor, input: UserInput, password: string): Promise<SaveUserResult> {
	const passwordHash = await hashPassword(password);
	return db.transaction(async (tx) => {
		const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.username, input.username));
		if (taken) return { ok: false as const, field: 'username', reason: 'taken' as const };
		const [user] = await tx
			.insert(users)
			.values({
				username: input.username,
				name: input.name,
				email: input.email,
				phone: input.phone,
				isAdmin: input.isAdmin,
				passwordHash,
				color: colorFor(input.username)
			})
			.returning({ id: users.id });
		await applyRoles(tx as unknown as Db, user.id, input);
		await audit(tx, actor, 'user.created', { type: 'user', id: user.id }, describe(input));
		return { ok: true as const, id: user.id };
	});
}

export async function updateUser(db: Db, actor: AuditActor, id: string, input: Omit<UserInput, 'username'>): Promise<SaveUserResult> {
	const result = await db.transaction(async (tx) => {
		const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.id, id));
		if (!existing) return { ok: false as const, field: 'id', reason: 'not_found' as const };
		await tx
			.update(users)
			.set({ name: input.name, email: input.email, phone: input.phone, isAdmin: input.isAdmin, updatedAt: new Date() })
			.where(eq(users.id, id));
		await applyRoles(tx as unknown as Db, id, input);
		await audit(tx, actor, 'user.updated', { type: 'user', id }, describe(input));
		return { ok: true as const, id };
	});
	if (result.ok) emit('rights.changed', { userIds: [id] });
	return result;
}

function describe(input: Omit<UserInput, 'username'> & { username?: string }) {
	return {
		username: input.username,
		name: input.name,
		isAdmin: input.isAdmin,
		divisionId: input.divisionId,
		role: input.divisionId ? input.role : null,
		expert: input.expert ? { institution: input.expert.institution, kind: input.expert.kind } : null
	};
}

async function applyRoles(tx: Db, userId: string, input: Omit<UserInput, 'username'>): Promise<void> {
	// One division per person in this screen; the schema allows more for later needs.
	await tx.delete(memberships).where(eq(memberships.userId, userId));
	if (input.divisionId) await tx.insert(memberships).values({ userId, divisionId: input.divisionId, role: input.role });

	const [expert] = await tx.select({ id: experts.id }).from(experts).where(eq(experts.userId, userId));
	if (input.expert) {
		const values = {
			name: input.name,
			institution: input.expert.institution,
			title: input.expert.title,
			kind: input.expert.kind,
			primaryField: input.expert.primaryField,
			secondaryFields: input.expert.secondaryFields,
			email: input.email,
			phone: input.phone,
			active: true,
			updatedAt: new Date()
		};
		if (expert) await tx.update(experts).set(values).where(eq(experts.id, expert.id));
		else await tx.insert(experts).values({ ...values, userId });
	} else if (expert) {
		// Unmarking keeps the expert's record (reviews point at it) but takes it out of the pool.
		await tx.update(experts).set({ active: false, updatedAt: new Date() }).where(eq(experts.id, expert.id));
	}
}

export async function setActive(db: Db, actor: AuditActor, id: string, active: boolean): Promise<boolean> {
	const done = await db.transaction(async (tx) => {
		const updated = await tx.update(users).set({ active, updatedAt: new Date() }).where(eq(users.id, id)).returning({ id: users.id });
		if (updated.length === 0) return false;
		if (!active) await invalidateUserSessions(tx, id);
		await audit(tx, actor, active ? 'user.reactivated' : 'user.deactivated', { type: 'user', id });
		return true;
	});
	if (done) {
		emit('rights.changed', { userIds: [id] });
		if (!active) emit('sessions.revoked', { userId: id });
	}
	return done;
}

export async function resetPassword(db: Db, actor: AuditActor, id: string, password: string): Promise<boolean> {
	const passwordHash = await hashPassword(password);
	const done = await db.transaction(async (tx) => {
		const updated = await tx
			.update(users)
			.set({ passwordHash, passwordChangedAt: new Date(), updatedAt: new Date() })
			.where(eq(users.id, id))
			.returning({ id: users.id });
		if (updated.length === 0) return false;
		await invalidateUserSessions(tx, id);
		await audit(tx, actor, 'user.password_reset', { type: 'user', id });
		return true;
	});
	if (done) emit('sessions.revoked', { userId: id });
	return done;
}

export async function listDivisions(db: Db) {
	return db.select().from(divisions).orderBy(asc(divisions.sort));
}
