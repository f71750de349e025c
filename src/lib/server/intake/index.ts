// Intake (受理) and formal review (形式审查): staff run the call's checklist on a submitted
// application — eligibility, formal completeness, content — with automatic findings to help,
// then accept it, or reject it with a reason the applicant reads as the notice of
// non-acceptance. Bulk acceptance passes every item for applications with no finding against
// them. Every decision is an audit entry; the status moves only through the state machine.
import { and, eq, inArray, ne } from 'drizzle-orm';
import { applicationAttachments, applications, calls, intakeChecks, type IntakeCheck } from '$db/schema';
import type { Db, DbOrTx } from '../db';
import { audit, type AuditActor } from '../audit';
import type { Principal } from '../auth/principal';
import { managedProgramIds } from '../calls/access';
import { transition, IllegalTransition, StaleStatus } from '../applications/status';
import { isValidCreditCode } from '$lib/credit-code';
import { REQUIRED_ATTACHMENTS } from '../applications/schemas';
import { tellIntakeOutcome } from '../notifications/tell';

export type Stage = IntakeCheck['stage'];

/** Something the system noticed about an application, tied to a checklist stage. */
export interface Finding {
	stage: Stage;
	code: 'fieldScope' | 'modeScope' | 'ceiling' | 'duplicate' | 'creditCode' | 'attachments' | 'team' | 'budget' | 'budgetTotal';
	ok: boolean;
	/** Values for the message: the ceiling, the duplicate's number, the missing kinds. */
	detail?: Record<string, string | number>;
}

type App = typeof applications.$inferSelect;
type Call = typeof calls.$inferSelect;

/** What can be checked by machine; staff still decide. */
export async function automaticFindings(db: DbOrTx, app: App, call: Call): Promise<Finding[]> {
	const out: Finding[] = [];
	out.push({ stage: 'eligibility', code: 'fieldScope', ok: call.fields.includes(app.field) });
	out.push({ stage: 'eligibility', code: 'modeScope', ok: call.fundingModes.includes(app.fundingMode) });
	out.push({ stage: 'eligibility', code: 'creditCode', ok: isValidCreditCode(app.creditCode) });
	const twins = await db
		.select({ number: applications.number })
		.from(applications)
		.where(and(eq(applications.callId, app.callId), eq(applications.creditCode, app.creditCode), ne(applications.id, app.id), ne(applications.status, 'draft'), ne(applications.status, 'withdrawn')));
	out.push({ stage: 'eligibility', code: 'duplicate', ok: twins.length === 0, detail: twins.length ? { numbers: twins.map((t) => t.number).join(', ') } : undefined });
	const kinds = new Set(
		(await db.selectDistinct({ kind: applicationAttachments.kind }).from(applicationAttachments).where(eq(applicationAttachments.applicationId, app.id))).map((r) => r.kind)
	);
	const missing = REQUIRED_ATTACHMENTS.filter((k) => !kinds.has(k));
	out.push({ stage: 'formal', code: 'attachments', ok: missing.length === 0, detail: missing.length ? { missing: missing.join(',') } : undefined });
	out.push({ stage: 'formal', code: 'team', ok: app.team.length > 0 });
	const budgetTotal = app.budget.reduce((s, b) => s + Number(b.amount || 0), 0);
	out.push({ stage: 'formal', code: 'budget', ok: app.budget.length > 0 });
	const ceiling = Number(app.isMajor ? call.majorCeiling : call.ceiling);
	out.push({ stage: 'formal', code: 'ceiling', ok: Number(app.requestedAmount) <= ceiling, detail: { ceiling } });
	out.push({ stage: 'formal', code: 'budgetTotal', ok: Number(app.requestedAmount) <= budgetTotal + 1e-9, detail: { total: budgetTotal } });
	return out;
}

/** An application staff may work on at intake, with its call; null if not theirs to see. */
export async function intakeContext(db: DbOrTx, p: Principal, applicationId: string) {
	const managed = await managedProgramIds(db, p);
	if (managed !== 'all' && managed.length === 0) return null;
	const [row] = await db.select({ app: applications, call: calls }).from(applications).innerJoin(calls, eq(calls.id, applications.callId)).where(eq(applications.id, applicationId));
	if (!row || row.app.status === 'draft') return null;
	if (managed !== 'all' && !managed.includes(row.call.programId)) return null;
	const checks = await db.select().from(intakeChecks).where(eq(intakeChecks.applicationId, applicationId));
	return { ...row, checks, findings: await automaticFindings(db, row.app, row.call) };
}

export interface CheckInput {
	key: string;
	passed: boolean;
	note: string;
}

export type IntakeResult = { ok: true } | { ok: false; problem: 'notFound' | 'notSubmitted' | 'incomplete' | 'failedChecks' | 'unknownCheck' };

async function lockedContext(tx: DbOrTx, p: Principal, applicationId: string) {
	const ctx = await intakeContext(tx, p, applicationId);
	if (!ctx) return null;
	await tx.select({ id: applications.id }).from(applications).where(eq(applications.id, applicationId)).for('update');
	return ctx;
}

async function writeChecks(tx: DbOrTx, actor: AuditActor, applicationId: string, checklist: IntakeCheck[], checks: CheckInput[]): Promise<void> {
	for (const c of checks) {
		const item = checklist.find((i) => i.key === c.key)!;
		const values = { stage: item.stage, passed: c.passed, note: c.note, checkedBy: actor.id ?? null, checkedByName: actor.name ?? null, checkedAt: new Date() };
		await tx
			.insert(intakeChecks)
			.values({ applicationId, key: c.key, ...values })
			.onConflictDoUpdate({ target: [intakeChecks.applicationId, intakeChecks.key], set: values });
	}
}

/** Records checklist outcomes (while the application waits for intake). */
export async function saveChecks(db: Db, p: Principal, actor: AuditActor, applicationId: string, checks: CheckInput[]): Promise<IntakeResult> {
	return db.transaction(async (tx) => {
		const ctx = await lockedContext(tx, p, applicationId);
		if (!ctx) return { ok: false, problem: 'notFound' } as const;
		if (ctx.app.status !== 'submitted') return { ok: false, problem: 'notSubmitted' } as const;
		if (checks.some((c) => !ctx.call.intakeChecklist.some((i) => i.key === c.key))) return { ok: false, problem: 'unknownCheck' } as const;
		await writeChecks(tx, actor, applicationId, ctx.call.intakeChecklist, checks);
		await audit(tx, actor, 'intake.checked', { type: 'application', id: applicationId }, { number: ctx.app.number, checks: checks.map((c) => ({ key: c.key, passed: c.passed })) });
		return { ok: true } as const;
	});
}

/** Accepts: the checks sent are saved first; every checklist item must then have passed. */
export async function acceptApplication(db: Db, p: Principal, actor: AuditActor, applicationId: string, checks: CheckInput[] = []): Promise<IntakeResult> {
	return db.transaction(async (tx) => {
		const ctx = await lockedContext(tx, p, applicationId);
		if (!ctx) return { ok: false, problem: 'notFound' } as const;
		if (ctx.app.status !== 'submitted') return { ok: false, problem: 'notSubmitted' } as const;
		if (checks.some((c) => !ctx.call.intakeChecklist.some((i) => i.key === c.key))) return { ok: false, problem: 'unknownCheck' } as const;
		await writeChecks(tx, actor, applicationId, ctx.call.intakeChecklist, checks);
		const outcome = new Map((await tx.select().from(intakeChecks).where(eq(intakeChecks.applicationId, applicationId))).map((c) => [c.key, c.passed]));
		const items = ctx.call.intakeChecklist;
		if (items.some((i) => !outcome.has(i.key))) return { ok: false, problem: 'incomplete' } as const;
		if (items.some((i) => outcome.get(i.key) === false)) return { ok: false, problem: 'failedChecks' } as const;
		await transition(tx, actor, ctx.app, 'accepted', { details: { checks: items.length } });
		await tellIntakeOutcome(tx, applicationId, 'accepted');
		return { ok: true } as const;
	});
}

/** Rejects with the reason the applicant will read; the checks sent are kept for the record. */
export async function rejectApplication(db: Db, p: Principal, actor: AuditActor, applicationId: string, reason: string, checks: CheckInput[] = []): Promise<IntakeResult> {
	return db.transaction(async (tx) => {
		const ctx = await lockedContext(tx, p, applicationId);
		if (!ctx) return { ok: false, problem: 'notFound' } as const;
		if (ctx.app.status !== 'submitted') return { ok: false, problem: 'notSubmitted' } as const;
		if (checks.some((c) => !ctx.call.intakeChecklist.some((i) => i.key === c.key))) return { ok: false, problem: 'unknownCheck' } as const;
		await writeChecks(tx, actor, applicationId, ctx.call.intakeChecklist, checks);
		await transition(tx, actor, ctx.app, 'rejected', { set: { rejectionReason: reason }, details: { reason } });
		await tellIntakeOutcome(tx, applicationId, 'rejected', reason);
		return { ok: true } as const;
	});
}

export interface BulkResult {
	accepted: string[];
	/** Applications left alone, with why: not submitted (any more), or a finding against it. */
	skipped: { id: string; number: string; reason: 'notSubmitted' | 'findings' | 'notFound' }[];
}

/**
 * Accepts several submitted applications at once, marking every checklist item passed by the
 * actor. An application with an automatic finding against it is skipped, to be looked at.
 */
export async function bulkAccept(db: Db, p: Principal, actor: AuditActor, applicationIds: string[]): Promise<BulkResult> {
	const result: BulkResult = { accepted: [], skipped: [] };
	const ids = [...new Set(applicationIds)];
	if (ids.length === 0) return result;
	const numbers = new Map((await db.select({ id: applications.id, number: applications.number }).from(applications).where(inArray(applications.id, ids))).map((r) => [r.id, r.number]));
	for (const id of ids) {
		const outcome = await db.transaction(async (tx) => {
			const ctx = await lockedContext(tx, p, id);
			if (!ctx) return 'notFound' as const;
			if (ctx.app.status !== 'submitted') return 'notSubmitted' as const;
			if (ctx.findings.some((f) => !f.ok)) return 'findings' as const;
			const checks = ctx.call.intakeChecklist.map((i) => ({ key: i.key, passed: true, note: '' }));
			await writeChecks(tx, actor, id, ctx.call.intakeChecklist, checks);
			try {
				await transition(tx, actor, ctx.app, 'accepted', { details: { bulk: true } });
				await tellIntakeOutcome(tx, id, 'accepted');
			} catch (e) {
				if (e instanceof IllegalTransition || e instanceof StaleStatus) return 'notSubmitted' as const;
				throw e;
			}
			return 'accepted' as const;
		});
		if (outcome === 'accepted') result.accepted.push(id);
		else result.skipped.push({ id, number: numbers.get(id) ?? '', reason: outcome });
	}
	return result;
}
