// Creating and changing calls and their rubrics. Staff of the program's divisions do this;
// every change is audited. A rubric is frozen once an application has been submitted (the
// database refuses the change too).
import { eq, sql } from 'drizzle-orm';
import { calls, rubricGroups, rubricItems, rubricRules, rubrics } from '$db/schema';
import type { Db, DbOrTx } from '../db';
import { audit, type AuditActor } from '../audit';
import type { RubricInput } from '$lib/rubric';
import type { CallSettings } from './schemas';
import { rubricLocked } from './queries';

function settingsRow(s: CallSettings) {
	return {
		code: s.code,
		year: s.year,
		title: s.title,
		titleEn: s.titleEn || s.title,
		description: s.description,
		status: s.status,
		opensAt: s.opensAt,
		closesAt: s.closesAt,
		reviewDeadline: s.reviewDeadline,
		fields: s.fields as (typeof calls.$inferInsert)['fields'],
		fundingModes: s.fundingModes as (typeof calls.$inferInsert)['fundingModes'],
		ceiling: String(s.ceiling),
		majorCeiling: String(s.majorCeiling),
		reviewersPerApplication: s.reviewersPerApplication,
		financeReviewers: s.financeReviewers,
		maxPerExpert: s.maxPerExpert,
		selection: s.selection,
		minTechnicalShare: String(s.minTechnicalShare),
		poolFactor: s.poolFactor,
		aggregation: s.aggregation,
		discrepancyThreshold: String(s.discrepancyThreshold),
		discrepancyRule: s.discrepancyRule,
		requiresBallot: s.requiresBallot,
		intakeChecklist: s.checklist
	};
}

export type SaveResult = { ok: true; id: string } | { ok: false; problem: 'codeTaken' | 'rubricLocked' };

async function codeTaken(db: DbOrTx, code: string, exceptId?: string): Promise<boolean> {
	const [row] = await db.select({ id: calls.id }).from(calls).where(eq(calls.code, code));
	return !!row && row.id !== exceptId;
}

export async function createCall(db: Db, actor: AuditActor, programId: string, settings: CallSettings, rubricSet: RubricInput[]): Promise<SaveResult> {
	return db.transaction(async (tx) => {
		if (await codeTaken(tx, settings.code)) return { ok: false, problem: 'codeTaken' } as const;
		const [call] = await tx
			.insert(calls)
			.values({ programId, createdBy: actor.id ?? null, ...settingsRow(settings) })
			.returning({ id: calls.id });
		await replaceRubrics(tx, call.id, rubricSet);
		await audit(tx, actor, 'call.created', { type: 'call', id: call.id }, { code: settings.code, title: settings.title });
		return { ok: true, id: call.id } as const;
	});
}

/** Saves a call's settings and, unless null, its rubrics. */
export async function updateCall(db: Db, actor: AuditActor, callId: string, settings: CallSettings, rubricSet: RubricInput[] | null): Promise<SaveResult> {
	return db.transaction(async (tx) => {
		if (await codeTaken(tx, settings.code, callId)) return { ok: false, problem: 'codeTaken' } as const;
		if (rubricSet && (await rubricLocked(tx, callId))) return { ok: false, problem: 'rubricLocked' } as const;
		await tx
			.update(calls)
			.set({ ...settingsRow(settings), updatedAt: sql`now()` })
			.where(eq(calls.id, callId));
		if (rubricSet) await replaceRubrics(tx, callId, rubricSet);
		await audit(tx, actor, 'call.updated', { type: 'call', id: callId }, { code: settings.code, status: settings.status, rubric: !!rubricSet });
		return { ok: true, id: callId } as const;
	});
}

/** Replaces a call's rubrics with the given forms (the caller checked they are valid). */
export async function replaceRubrics(tx: DbOrTx, callId: string, rubricSet: RubricInput[]): Promise<void> {
	await tx.delete(rubrics).where(eq(rubrics.callId, callId));
	for (const r of rubricSet) {
		const [rubric] = await tx
			.insert(rubrics)
			.values({ callId, form: r.form, name: r.name, nameEn: r.nameEn || r.name, passMark: r.passMark === null ? null : String(r.passMark) })
			.returning({ id: rubrics.id });
		for (const [gi, g] of r.groups.entries()) {
			const [group] = await tx
				.insert(rubricGroups)
				.values({ rubricId: rubric.id, key: g.key, name: g.name, nameEn: g.nameEn || g.name, sort: gi })
				.returning({ id: rubricGroups.id });
			if (g.items.length) {
				await tx.insert(rubricItems).values(
					g.items.map((item, ii) => ({ groupId: group.id, key: item.key, name: item.name, nameEn: item.nameEn || item.name, weight: item.weight, guidance: item.guidance, sort: ii }))
				);
			}
		}
		const rules = [
			...r.deductions.map((d, i) => ({ rubricId: rubric.id, kind: 'deduction' as const, key: d.key, name: d.name, nameEn: d.nameEn || d.name, maxPoints: d.maxPoints ?? null, sort: i })),
			...r.vetoes.map((v, i) => ({ rubricId: rubric.id, kind: 'veto' as const, key: v.key, name: v.name, nameEn: v.nameEn || v.name, maxPoints: null, sort: i }))
		];
		if (rules.length) await tx.insert(rubricRules).values(rules);
	}
}

/**
 * Links a call to its guideline (a shared document of kind 'guideline') or unlinks it. The
 * caller checked that the principal may open the document.
 */
export async function setGuideline(db: Db, actor: AuditActor, callId: string, documentId: string | null): Promise<void> {
	await db.transaction(async (tx) => {
		await tx.update(calls).set({ guidelineDocumentId: documentId, updatedAt: sql`now()` }).where(eq(calls.id, callId));
		await audit(tx, actor, 'call.guideline_linked', { type: 'call', id: callId }, { documentId });
	});
}
