// An applicant's side of an application: start a draft for an open call, save it as often as
// the page autosaves, attach PDFs, and submit it before the call closes. Once submitted,
// nothing is added (the database refuses it too); the applicant may withdraw before review.
import { createHash } from 'node:crypto';
import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm';
import { applicationAttachments, applications, calls, enterprises } from '$db/schema';
import type { Db, DbOrTx } from '../db';
import { rows } from '../db';
import { audit, type AuditActor } from '../audit';
import type { Principal } from '../auth/principal';
import { isOpen } from '../calls/queries';
import { transition } from './status';
import { checkPdf, type PdfProblem } from './pdf';
import { submitProblems, type DraftInput, type SubmitProblem } from './schemas';

export const MAX_ATTACHMENTS = 20;

/** The next number in a call (IF2026-0021): under a per-call lock, so two drafts never share one. */
export async function nextNumber(tx: DbOrTx, callId: string, code: string): Promise<string> {
	await tx.execute(sql`SELECT pg_advisory_xact_lock(72610100, hashtext(${callId}))`);
	const [row] = await rows<{ n: number | null }>(
		tx,
		sql`SELECT max(substring(number FROM '([0-9]+)$')::int) AS n FROM applications WHERE call_id = ${callId}`
	);
	return `${code}-${String((row?.n ?? 0) + 1).padStart(4, '0')}`;
}

export type CreateResult = { ok: true; id: string; existing: boolean } | { ok: false; problem: 'notApplicant' | 'callClosed' | 'notFound' };

/** Starts a draft, or returns the enterprise's application already in this call. */
export async function createDraft(db: Db, p: Principal, actor: AuditActor, input: { callId: string; title: string; field: string; fundingMode: string }): Promise<CreateResult> {
	if (!p.enterpriseId) return { ok: false, problem: 'notApplicant' };
	const enterpriseId = p.enterpriseId;
	return db.transaction(async (tx) => {
		const [call] = await tx.select().from(calls).where(eq(calls.id, input.callId));
		if (!call) return { ok: false, problem: 'notFound' } as const;
		const [existing] = await tx
			.select({ id: applications.id })
			.from(applications)
			.where(and(eq(applications.callId, call.id), eq(applications.enterpriseId, enterpriseId), ne(applications.status, 'withdrawn')));
		if (existing) return { ok: true, id: existing.id, existing: true } as const;
		if (!isOpen(call)) return { ok: false, problem: 'callClosed' } as const;
		const [ent] = await tx.select().from(enterprises).where(eq(enterprises.id, enterpriseId));
		const number = await nextNumber(tx, call.id, call.code);
		const [app] = await tx
			.insert(applications)
			.values({
				number,
				callId: call.id,
				enterpriseId,
				enterpriseName: ent.name,
				creditCode: ent.creditCode ?? '',
				contactName: ent.contactName,
				contactPhone: ent.contactPhone,
				contactEmail: ent.contactEmail,
				title: input.title,
				field: input.field as DraftInput['field'],
				fundingMode: input.fundingMode as DraftInput['fundingMode'],
				requestedAmount: '0',
				status: 'draft'
			})
			.returning({ id: applications.id });
		await audit(tx, actor, 'application.created', { type: 'application', id: app.id }, { number, callId: call.id });
		return { ok: true, id: app.id, existing: false } as const;
	});
}

/** The applicant's own draft (for update), or null: not theirs, not a draft, or gone. */
async function ownDraft(tx: DbOrTx, p: Principal, id: string) {
	if (!p.enterpriseId) return null;
	const [app] = await tx
		.select()
		.from(applications)
		.where(and(eq(applications.id, id), eq(applications.enterpriseId, p.enterpriseId)))
		.for('update');
	return app ?? null;
}

export type SaveResult = { ok: true; savedAt: Date } | { ok: false; problem: 'notFound' | 'notDraft' };

export async function saveDraft(db: Db, p: Principal, id: string, input: DraftInput): Promise<SaveResult> {
	return db.transaction(async (tx) => {
		const app = await ownDraft(tx, p, id);
		if (!app) return { ok: false, problem: 'notFound' } as const;
		if (app.status !== 'draft') return { ok: false, problem: 'notDraft' } as const;
		const [row] = await tx
			.update(applications)
			.set({
				enterpriseName: input.enterpriseName,
				creditCode: input.creditCode,
				contactName: input.contactName,
				contactPhone: input.contactPhone,
				contactEmail: input.contactEmail || null,
				title: input.title,
				field: input.field,
				fundingMode: input.fundingMode,
				requestedAmount: String(input.requestedAmount),
				isMajor: input.isMajor,
				summary: input.summary,
				team: input.team.filter((t) => t.name || t.role || t.title),
				budget: input.budget.filter((b) => b.item || b.amount || b.note),
				updatedAt: sql`now()`
			})
			.where(eq(applications.id, id))
			.returning({ updatedAt: applications.updatedAt });
		return { ok: true, savedAt: row.updatedAt } as const;
	});
}

export type SubmitResult =
	| { ok: true }
	| { ok: false; problem: 'notFound' | 'notDraft' | 'callClosed' | 'duplicate' }
	| { ok: false; problem: 'invalid'; errors: Record<string, SubmitProblem> };

/** Saves the draft as sent, then submits it if it meets every rule; all in one transaction. */
export async function submitApplication(db: Db, p: Principal, actor: AuditActor, id: string, input: DraftInput, now = new Date()): Promise<SubmitResult> {
	const saved = await saveDraft(db, p, id, input);
	if (!saved.ok) return saved;
	return db.transaction(async (tx) => {
		const app = await ownDraft(tx, p, id);
		if (!app) return { ok: false, problem: 'notFound' } as const;
		if (app.status !== 'draft') return { ok: false, problem: 'notDraft' } as const;
		const [call] = await tx.select().from(calls).where(eq(calls.id, app.callId));
		if (!isOpen(call, now)) return { ok: false, problem: 'callClosed' } as const;
		const kinds = (await tx.selectDistinct({ kind: applicationAttachments.kind }).from(applicationAttachments).where(eq(applicationAttachments.applicationId, id))).map((r) => r.kind);
		const errors = submitProblems(input, {
			fields: call.fields,
			fundingModes: call.fundingModes,
			ceiling: Number(call.ceiling),
			majorCeiling: Number(call.majorCeiling),
			attachmentKinds: kinds
		});
		if (Object.keys(errors).length) return { ok: false, problem: 'invalid', errors } as const;
		// One application per enterprise per call, whichever account it came from.
		const [twin] = await tx
			.select({ id: applications.id })
			.from(applications)
			.where(and(eq(applications.callId, call.id), eq(applications.creditCode, input.creditCode), ne(applications.id, id), ne(applications.status, 'withdrawn'), ne(applications.status, 'draft')));
		if (twin) return { ok: false, problem: 'duplicate' } as const;
		await transition(tx, actor, app, 'submitted', { set: { submittedAt: now }, details: { callId: call.id } });
		// The enterprise learns its credit code from its first submission, if no one else holds it.
		await tx
			.update(enterprises)
			.set({ creditCode: input.creditCode })
			.where(
				and(
					eq(enterprises.id, app.enterpriseId!),
					isNull(enterprises.creditCode),
					sql`NOT EXISTS (SELECT 1 FROM ${enterprises} e2 WHERE e2.credit_code = ${input.creditCode})`
				)
			);
		return { ok: true } as const;
	});
}

/** The applicant withdraws an application that no expert has reviewed yet. */
export async function withdrawApplication(db: Db, p: Principal, actor: AuditActor, id: string): Promise<{ ok: boolean }> {
	return db.transaction(async (tx) => {
		if (!p.enterpriseId) return { ok: false };
		const [app] = await tx
			.select()
			.from(applications)
			.where(and(eq(applications.id, id), eq(applications.enterpriseId, p.enterpriseId)))
			.for('update');
		if (!app || !['draft', 'submitted', 'accepted'].includes(app.status)) return { ok: false };
		await transition(tx, actor, app, 'withdrawn');
		return { ok: true };
	});
}

// ---- Attachments ---------------------------------------------------------------------------

export type AttachResult = { ok: true; id: string } | { ok: false; problem: 'notFound' | 'notDraft' | 'tooMany' | PdfProblem };

export async function addAttachment(
	db: Db,
	p: Principal,
	actor: AuditActor,
	applicationId: string,
	file: { kind: 'proposal' | 'financials' | 'other'; name: string; bytes: Uint8Array }
): Promise<AttachResult> {
	const checked = checkPdf(file.bytes);
	if (!checked.ok) return { ok: false, problem: checked.problem };
	return db.transaction(async (tx) => {
		const app = await ownDraft(tx, p, applicationId);
		if (!app) return { ok: false, problem: 'notFound' } as const;
		if (app.status !== 'draft') return { ok: false, problem: 'notDraft' } as const;
		const [{ n }] = await rows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM application_attachments WHERE application_id = ${applicationId}`);
		if (n >= MAX_ATTACHMENTS) return { ok: false, problem: 'tooMany' } as const;
		const sha256 = createHash('sha256').update(file.bytes).digest('hex');
		const name = sanitizeFileName(file.name);
		const [row] = await tx
			.insert(applicationAttachments)
			.values({ applicationId, kind: file.kind, fileName: name, size: file.bytes.byteLength, sha256, pages: checked.info.pages, data: file.bytes, uploadedBy: actor.id ?? null })
			.returning({ id: applicationAttachments.id });
		await audit(tx, actor, 'application.attachment_added', { type: 'application', id: applicationId }, { attachmentId: row.id, kind: file.kind, name, size: file.bytes.byteLength, sha256 });
		return { ok: true, id: row.id } as const;
	});
}

export async function removeAttachment(db: Db, p: Principal, actor: AuditActor, applicationId: string, attachmentId: string): Promise<{ ok: boolean }> {
	return db.transaction(async (tx) => {
		const app = await ownDraft(tx, p, applicationId);
		if (!app || app.status !== 'draft') return { ok: false };
		const gone = await tx
			.delete(applicationAttachments)
			.where(and(eq(applicationAttachments.id, attachmentId), eq(applicationAttachments.applicationId, applicationId)))
			.returning({ name: applicationAttachments.fileName });
		if (gone.length === 0) return { ok: false };
		await audit(tx, actor, 'application.attachment_removed', { type: 'application', id: applicationId }, { attachmentId, name: gone[0].name });
		return { ok: true };
	});
}

/** A file name safe to store and to send back: no paths, no control characters, a .pdf ending. */
export function sanitizeFileName(name: string): string {
	const base = name.split(/[\\/]/).pop() ?? '';
	// eslint-disable-next-line no-control-regex
	const clean = base.replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '').trim().slice(0, 120);
	const withName = clean || 'attachment.pdf';
	return /\.pdf$/i.test(withName) ? withName : `${withName}.pdf`;
}

/** Attachments of an application, without their content. */
export async function listAttachments(db: DbOrTx, applicationId: string) {
	return db
		.select({
			id: applicationAttachments.id,
			kind: applicationAttachments.kind,
			fileName: applicationAttachments.fileName,
			size: applicationAttachments.size,
			sha256: applicationAttachments.sha256,
			pages: applicationAttachments.pages,
			createdAt: applicationAttachments.createdAt
		})
		.from(applicationAttachments)
		.where(eq(applicationAttachments.applicationId, applicationId))
		.orderBy(asc(applicationAttachments.createdAt));
}
