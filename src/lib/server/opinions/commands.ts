// What people do with a panel opinion: the chair or the division appoints a lead among the
// item's signers (which creates the shared document from the 专家组意见 template); the lead
// submits the draft for signing; each signer co-signs or writes a dissent (bound to the hash
// of the text); the chair finalizes (records who did not sign and why, then locks the document
// through the documents' lock path); the division releases a view it previewed. Every change
// is audited in its transaction.
import { and, eq } from 'drizzle-orm';
import { enterprises, panelOpinionExcusals, panelOpinionReleases, panelOpinionSignatures, panelOpinions } from '$db/schema';
import type { Db } from '../db';
import type { Principal } from '../auth/principal';
import { audit, type AuditActor } from '../audit';
import { insertDocument } from '../documents';
import { lockDocument, sha256Hex } from '../documents/lock';
import { canonicalJSON } from '../documents/content';
import { opinionContext, pendingSigners, rolesOf, submittedCurrent, validSignature, type OpinionContext } from './context';
import { opinionTemplate, OPINION_TEMPLATE } from './template';
import { applicantView, type ReleaseOptions } from './view';
import { notify } from '../notifications';

export type OpinionError =
	| 'not_found'
	| 'forbidden'
	| 'not_signer'
	| 'no_opinion'
	| 'exists'
	| 'finalized'
	| 'not_finalized'
	| 'not_submitted'
	| 'stale_submission'
	| 'pending_signatures'
	| 'no_decision'
	| 'released'
	| 'dissent_required';

type Result<T = object> = ({ ok: true } & T) | { ok: false; code: OpinionError; pending?: string[] };

async function load(db: Db, p: Principal, itemId: string) {
	const ctx = await opinionContext(db, itemId);
	if (!ctx) return null;
	const r = await rolesOf(db, p, ctx);
	// Who may not see the opinion at all learns nothing about it, not even that it exists.
	if (!r.viewer) return null;
	return { ctx, r };
}

/** The chair (among signers), the division's staff or an admin names the lead; the first naming creates the document. */
export async function appointLead(db: Db, p: Principal, actor: AuditActor, itemId: string, leadUserId: string): Promise<Result<{ opinionId: string; documentId: string }>> {
	const found = await load(db, p, itemId);
	if (!found) return { ok: false, code: 'not_found' };
	const { ctx, r } = found;
	if (!r.chair && !r.staff && !r.admin) return { ok: false, code: 'forbidden' };
	if (!ctx.signers.some((m) => m.userId === leadUserId)) return { ok: false, code: 'not_signer' };
	if (ctx.lock) return { ok: false, code: 'finalized' };
	if (ctx.opinion) {
		if (ctx.opinion.leadUserId === leadUserId) return { ok: true, opinionId: ctx.opinion.id, documentId: ctx.opinion.documentId };
		await db.transaction(async (tx) => {
			await tx.update(panelOpinions).set({ leadUserId, leadChosenBy: p.user.id, leadChosenAt: new Date(), submittedAt: null, submittedSha256: null }).where(eq(panelOpinions.id, ctx.opinion!.id));
			await audit(tx, actor, 'opinion.lead_changed', { type: 'panel_opinion', id: ctx.opinion!.id }, { itemId, from: ctx.opinion!.leadUserId, to: leadUserId });
		});
		return { ok: true, opinionId: ctx.opinion.id, documentId: ctx.opinion.documentId };
	}
	const out = await db.transaction(async (tx) => {
		const title = `专家组意见：${ctx.application.number} ${ctx.application.title}`;
		const documentId = await insertDocument(tx, {
			title,
			kind: 'other',
			owner: { kind: 'meeting', id: ctx.meeting.id, agendaItemId: ctx.item.id },
			content: opinionTemplate(ctx),
			template: OPINION_TEMPLATE,
			createdBy: p.user.id
		});
		const [o] = await tx
			.insert(panelOpinions)
			.values({ itemId, meetingId: ctx.meeting.id, applicationId: ctx.application.id, documentId, leadUserId, leadChosenBy: p.user.id })
			.returning({ id: panelOpinions.id });
		await audit(tx, actor, 'opinion.created', { type: 'panel_opinion', id: o.id }, { itemId, application: ctx.application.number, documentId, lead: leadUserId });
		return { opinionId: o.id, documentId };
	});
	return { ok: true, ...out };
}

/** The lead hands the draft as it stands to the members for signing. */
export async function submitDraft(db: Db, p: Principal, actor: AuditActor, itemId: string): Promise<Result<{ sha256: string }>> {
	const found = await load(db, p, itemId);
	if (!found) return { ok: false, code: 'not_found' };
	const { ctx, r } = found;
	if (!ctx.opinion) return { ok: false, code: 'no_opinion' };
	if (!r.lead) return { ok: false, code: 'forbidden' };
	if (ctx.lock) return { ok: false, code: 'finalized' };
	const sha256 = ctx.currentSha256!;
	await db.transaction(async (tx) => {
		await tx.update(panelOpinions).set({ submittedAt: new Date(), submittedSha256: sha256 }).where(eq(panelOpinions.id, ctx.opinion!.id));
		// Submitting is the lead's own signature of that text.
		await upsertSignature(tx, ctx.opinion!.id, p.user.id, 'sign', '', sha256);
		await audit(tx, actor, 'opinion.submitted', { type: 'panel_opinion', id: ctx.opinion!.id }, { itemId, sha256 });
		await notify(tx, {
			userIds: ctx.signers.map((s) => s.userId).filter((u) => u !== p.user.id),
			kind: 'opinion_to_sign',
			params: { number: ctx.application.number, title: ctx.application.title, itemId },
			link: `/opinions/${itemId}`,
			dedupeKey: `opinion_to_sign:${ctx.opinion!.id}:${sha256}`
		});
	});
	return { ok: true, sha256 };
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

async function upsertSignature(tx: Tx, opinionId: string, userId: string, kind: 'sign' | 'dissent', dissent: string, sha256: string) {
	await tx
		.insert(panelOpinionSignatures)
		.values({ opinionId, userId, kind, dissent, sha256, signedAt: new Date() })
		.onConflictDoUpdate({ target: [panelOpinionSignatures.opinionId, panelOpinionSignatures.userId], set: { kind, dissent, sha256, signedAt: new Date() } });
}

/**
 * A signer co-signs the text as it stands, or attaches a written dissent. Only once the lead
 * submitted exactly this text: a text changed since is not what the panel is asked to sign.
 */
export async function sign(
	db: Db,
	p: Principal,
	actor: AuditActor,
	itemId: string,
	input: { kind: 'sign' | 'dissent'; dissent?: string; sha256?: string }
): Promise<Result<{ sha256: string }>> {
	const found = await load(db, p, itemId);
	if (!found) return { ok: false, code: 'not_found' };
	const { ctx, r } = found;
	if (!ctx.opinion) return { ok: false, code: 'no_opinion' };
	if (!r.signer) return { ok: false, code: 'forbidden' };
	if (ctx.lock) return { ok: false, code: 'finalized' };
	if (!ctx.opinion.submittedSha256) return { ok: false, code: 'not_submitted' };
	if (!submittedCurrent(ctx)) return { ok: false, code: 'stale_submission' };
	// The client says which text it showed; if that is not the text now, nothing is signed.
	if (input.sha256 && input.sha256 !== ctx.currentSha256) return { ok: false, code: 'stale_submission' };
	const dissent = (input.dissent ?? '').trim();
	if (input.kind === 'dissent' && !dissent) return { ok: false, code: 'dissent_required' };
	const sha256 = ctx.currentSha256!;
	await db.transaction(async (tx) => {
		await upsertSignature(tx, ctx.opinion!.id, p.user.id, input.kind, input.kind === 'dissent' ? dissent : '', sha256);
		await audit(tx, actor, input.kind === 'sign' ? 'opinion.signed' : 'opinion.dissented', { type: 'panel_opinion', id: ctx.opinion!.id }, { itemId, sha256, ...(input.kind === 'dissent' ? { dissent } : {}) });
	});
	return { ok: true, sha256 };
}

/**
 * The chair finalizes: only when the lead submitted the text as it stands and every signer has
 * signed or dissented on it, or the chair records, for those who did not, the reason. The
 * document is then locked through the documents' lock path (content hashed, audit anchored).
 */
export async function finalize(db: Db, p: Principal, actor: AuditActor, itemId: string, excuse: Record<string, string> = {}): Promise<Result<{ sha256: string }>> {
	const found = await load(db, p, itemId);
	if (!found) return { ok: false, code: 'not_found' };
	const { ctx, r } = found;
	if (!ctx.opinion) return { ok: false, code: 'no_opinion' };
	if (!r.chair && !r.admin) return { ok: false, code: 'forbidden' };
	if (ctx.lock) return { ok: false, code: 'finalized' };
	if (!submittedCurrent(ctx)) return { ok: false, code: ctx.opinion.submittedSha256 ? 'stale_submission' : 'not_submitted' };
	const reasons = new Map<string, string>(Object.entries(excuse).flatMap(([k, v]): [string, string][] => (v.trim() ? [[k, v.trim().slice(0, 500)]] : [])));
	const excusable = new Set([...reasons.keys()].filter((id) => ctx.signers.some((m) => m.userId === id) && id !== ctx.opinion!.leadUserId));
	const pending = pendingSigners(ctx, excusable);
	if (pending.length) return { ok: false, code: 'pending_signatures', pending: pending.map((m) => m.userId) };
	const stillPending = pendingSigners(ctx);
	if (stillPending.length) {
		await db.transaction(async (tx) => {
			for (const m of stillPending) {
				const reason = reasons.get(m.userId)!;
				await tx.delete(panelOpinionExcusals).where(and(eq(panelOpinionExcusals.opinionId, ctx.opinion!.id), eq(panelOpinionExcusals.userId, m.userId)));
				await tx.insert(panelOpinionExcusals).values({ opinionId: ctx.opinion!.id, userId: m.userId, reason, recordedBy: p.user.id });
				await audit(tx, actor, 'opinion.not_signed_recorded', { type: 'panel_opinion', id: ctx.opinion!.id }, { itemId, userId: m.userId, reason });
			}
		});
	}
	// The documents' resolver lets the chair lock an opinion only when it is ready (resolver.ts).
	const locked = await lockDocument(db, p, ctx.opinion.documentId, actor);
	if (!locked.ok) return { ok: false, code: locked.reason === 'already_locked' ? 'finalized' : locked.reason === 'not_found' ? 'not_found' : 'pending_signatures' };
	await db.transaction(async (tx) => {
		await audit(tx, actor, 'opinion.finalized', { type: 'panel_opinion', id: ctx.opinion!.id }, { itemId, sha256: locked.sha256, signatures: ctx.signatures.length, excused: stillPending.map((m) => m.userId) });
	});
	return { ok: true, sha256: locked.sha256 };
}

/** Exactly what the applicant would see with these options (nothing is stored). */
export async function previewRelease(db: Db, p: Principal, itemId: string, options: ReleaseOptions): Promise<Result<{ view: ReturnType<typeof applicantView> }>> {
	const found = await load(db, p, itemId);
	if (!found) return { ok: false, code: 'not_found' };
	const { ctx, r } = found;
	const check = releasable(ctx, r);
	if (check) return { ok: false, code: check };
	return { ok: true, view: applicantView(ctx, options) };
}

function releasable(ctx: OpinionContext, r: { staff: boolean; admin: boolean }): OpinionError | null {
	if (!r.staff && !r.admin) return 'forbidden';
	if (!ctx.opinion) return 'no_opinion';
	if (!ctx.lock) return 'not_finalized';
	if (!ctx.decision) return 'no_decision';
	return null;
}

/** The division releases the view it previewed; the view is frozen as released. */
export async function release(db: Db, p: Principal, actor: AuditActor, itemId: string, options: ReleaseOptions): Promise<Result<{ view: ReturnType<typeof applicantView> }>> {
	const found = await load(db, p, itemId);
	if (!found) return { ok: false, code: 'not_found' };
	const { ctx, r } = found;
	const check = releasable(ctx, r);
	if (check) return { ok: false, code: check };
	if (ctx.release) return { ok: false, code: 'released' };
	const view = applicantView(ctx, options);
	const viewSha256 = sha256Hex(canonicalJSON(view));
	const inserted = await db.transaction(async (tx) => {
		const rows = await tx
			.insert(panelOpinionReleases)
			.values({ opinionId: ctx.opinion!.id, options: { ...options }, view: view as unknown as Record<string, unknown>, viewSha256, releasedBy: p.user.id })
			.onConflictDoNothing()
			.returning({ id: panelOpinionReleases.opinionId });
		if (rows.length === 0) return false;
		await audit(tx, actor, 'opinion.released', { type: 'panel_opinion', id: ctx.opinion!.id }, { itemId, application: ctx.application.number, options, viewSha256 });
		const [firm] = ctx.application.enterpriseId ? await tx.select({ userId: enterprises.userId }).from(enterprises).where(eq(enterprises.id, ctx.application.enterpriseId)) : [];
		if (firm?.userId)
			await notify(tx, { userIds: [firm.userId], kind: 'opinion_released', params: { number: ctx.application.number, title: ctx.application.title }, link: `/applications/${ctx.application.id}`, dedupeKey: `opinion_released:${ctx.opinion!.id}` });
		return true;
	});
	if (!inserted) return { ok: false, code: 'released' };
	return { ok: true, view };
}

export { validSignature };
