// Reading calls: the ones a staff member manages, the open ones applicants may apply to,
// one call with its rubrics, and whether its rubric is frozen yet.
import { and, asc, desc, eq, gte, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import { applications, calls, programs, rubricGroups, rubricItems, rubricRules, rubrics } from '$db/schema';
import type { DbOrTx } from '../db';
import type { Principal } from '../auth/principal';
import { managedProgramIds } from './access';
import type { RubricGroupInput, RubricInput, RubricItemInput, RubricRuleInput } from '$lib/rubric';

export type Call = typeof calls.$inferSelect;

/** Calls of the programs the principal manages, newest first, with application counts. */
export async function listManagedCalls(db: DbOrTx, p: Principal) {
	const managed = await managedProgramIds(db, p);
	if (managed !== 'all' && managed.length === 0) return [];
	return db
		.select({
			id: calls.id,
			code: calls.code,
			year: calls.year,
			title: calls.title,
			titleEn: calls.titleEn,
			status: calls.status,
			opensAt: calls.opensAt,
			closesAt: calls.closesAt,
			selection: calls.selection,
			programId: programs.id,
			programName: programs.name,
			programNameEn: programs.nameEn,
			submitted: sql<number>`(SELECT count(*)::int FROM ${applications} a WHERE a.call_id = ${calls.id} AND a.submitted_at IS NOT NULL)`,
			waiting: sql<number>`(SELECT count(*)::int FROM ${applications} a WHERE a.call_id = ${calls.id} AND a.status = 'submitted')`
		})
		.from(calls)
		.innerJoin(programs, eq(programs.id, calls.programId))
		.where(managed === 'all' ? undefined : inArray(calls.programId, managed))
		.orderBy(desc(calls.year), asc(calls.code));
}

/** The programs a principal may create calls for. */
export async function managedPrograms(db: DbOrTx, p: Principal) {
	const managed = await managedProgramIds(db, p);
	if (managed !== 'all' && managed.length === 0) return [];
	return db
		.select({ id: programs.id, code: programs.code, name: programs.name, nameEn: programs.nameEn })
		.from(programs)
		.where(managed === 'all' ? undefined : inArray(programs.id, managed))
		.orderBy(asc(programs.code));
}

export async function getCall(db: DbOrTx, id: string) {
	const [row] = await db
		.select({ call: calls, programName: programs.name, programNameEn: programs.nameEn })
		.from(calls)
		.innerJoin(programs, eq(programs.id, calls.programId))
		.where(eq(calls.id, id));
	return row ?? null;
}

/** The call if the principal manages it, else null (pages answer 404). */
export async function getManagedCall(db: DbOrTx, p: Principal, id: string) {
	const row = await getCall(db, id);
	if (!row) return null;
	const managed = await managedProgramIds(db, p);
	return managed === 'all' || managed.includes(row.call.programId) ? row : null;
}

/** Calls open for applications now. */
export async function openCalls(db: DbOrTx, now = new Date()) {
	return db
		.select({
			id: calls.id,
			code: calls.code,
			title: calls.title,
			titleEn: calls.titleEn,
			description: calls.description,
			opensAt: calls.opensAt,
			closesAt: calls.closesAt,
			fields: calls.fields,
			fundingModes: calls.fundingModes,
			ceiling: calls.ceiling,
			majorCeiling: calls.majorCeiling,
			guidelineDocumentId: calls.guidelineDocumentId,
			programName: programs.name,
			programNameEn: programs.nameEn
		})
		.from(calls)
		.innerJoin(programs, eq(programs.id, calls.programId))
		.where(and(eq(calls.status, 'open'), lte(calls.opensAt, now), gte(calls.closesAt, now)))
		.orderBy(asc(calls.closesAt));
}

/** True when the call takes submissions at this moment. */
export function isOpen(call: Pick<Call, 'status' | 'opensAt' | 'closesAt'>, now = new Date()): boolean {
	return call.status === 'open' && call.opensAt <= now && now <= call.closesAt;
}

/** Whether any application to the call has been submitted: then its rubric is frozen. */
export async function rubricLocked(db: DbOrTx, callId: string): Promise<boolean> {
	const [row] = await db
		.select({ id: applications.id })
		.from(applications)
		.where(and(eq(applications.callId, callId), isNotNull(applications.submittedAt)))
		.limit(1);
	return !!row;
}

type WithId<T> = Omit<T, 'id'> & { id: string };

/** A stored rubric: the editor's shape, with every part's id. */
export interface LoadedRubric extends Omit<RubricInput, 'groups' | 'deductions' | 'vetoes'> {
	id: string;
	groups: (Omit<WithId<RubricGroupInput>, 'items'> & { items: WithId<RubricItemInput>[] })[];
	deductions: WithId<RubricRuleInput>[];
	vetoes: WithId<RubricRuleInput>[];
}

/** The call's rubrics (technical first), with ids, in their display order. */
export async function loadRubrics(db: DbOrTx, callId: string): Promise<LoadedRubric[]> {
	const forms = await db.select().from(rubrics).where(eq(rubrics.callId, callId)).orderBy(asc(rubrics.form));
	if (forms.length === 0) return [];
	const ids = forms.map((r) => r.id);
	const groups = await db.select().from(rubricGroups).where(inArray(rubricGroups.rubricId, ids)).orderBy(asc(rubricGroups.sort));
	const items = groups.length
		? await db
				.select()
				.from(rubricItems)
				.where(
					inArray(
						rubricItems.groupId,
						groups.map((g) => g.id)
					)
				)
				.orderBy(asc(rubricItems.sort))
		: [];
	const rules = await db.select().from(rubricRules).where(inArray(rubricRules.rubricId, ids)).orderBy(asc(rubricRules.sort));
	return forms.map((r) => ({
		id: r.id,
		form: r.form,
		name: r.name,
		nameEn: r.nameEn,
		passMark: r.passMark === null ? null : Number(r.passMark),
		groups: groups
			.filter((g) => g.rubricId === r.id)
			.map((g) => ({
				id: g.id,
				key: g.key,
				name: g.name,
				nameEn: g.nameEn,
				items: items.filter((i) => i.groupId === g.id).map((i) => ({ id: i.id, key: i.key, name: i.name, nameEn: i.nameEn, weight: i.weight, guidance: i.guidance }))
			})),
		deductions: rules.filter((x) => x.rubricId === r.id && x.kind === 'deduction').map((x) => ({ id: x.id, key: x.key, name: x.name, nameEn: x.nameEn, maxPoints: x.maxPoints })),
		vetoes: rules.filter((x) => x.rubricId === r.id && x.kind === 'veto').map((x) => ({ id: x.id, key: x.key, name: x.name, nameEn: x.nameEn }))
	}));
}

/** The calls a staff member may filter a list by: those of the programs they manage, oldest year first. */
export async function callFilterOptions(db: DbOrTx, p: Principal) {
	const managed = await managedProgramIds(db, p);
	if (managed !== 'all' && !managed.length) return [];
	const all = await db.select({ id: calls.id, title: calls.title, titleEn: calls.titleEn, code: calls.code, programId: calls.programId }).from(calls).orderBy(asc(calls.year));
	return all.filter((c) => managed === 'all' || managed.includes(c.programId));
}
