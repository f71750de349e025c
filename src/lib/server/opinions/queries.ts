// Reading opinions: the panel of one item for the people working on it, and what an applicant
// has been released. The panel names the members (they sign in each other's sight); the
// applicant's side is only ever the frozen view the division released.
import { and, asc, eq } from 'drizzle-orm';
import { applications, meetingItems, meetings, panelOpinionReleases, panelOpinions } from '$db/schema';
import type { DbOrTx } from '../db';
import type { Principal } from '../auth/principal';
import { opinionContext, pendingSigners, rolesOf, submittedCurrent, validSignature } from './context';
import type { ApplicantOpinionView } from './view';

export async function opinionPanel(db: DbOrTx, p: Principal, itemId: string) {
	const ctx = await opinionContext(db, itemId);
	if (!ctx) return null;
	const r = await rolesOf(db, p, ctx);
	if (!r.viewer) return null;
	const name = (id: string) => ctx.members.find((m) => m.userId === id)?.name ?? '';
	const pending = new Set(pendingSigners(ctx).map((m) => m.userId));
	return {
		itemId: ctx.item.id,
		meeting: ctx.meeting,
		application: ctx.application,
		decision: ctx.decision,
		roles: r,
		signers: ctx.signers.map((m) => {
			const s = ctx.signatures.find((x) => x.userId === m.userId);
			const excusal = ctx.excusals.find((e) => e.userId === m.userId);
			return {
				userId: m.userId,
				name: m.name,
				role: m.role,
				signature: s ? { kind: s.kind, dissent: s.dissent, signedAt: s.signedAt, sha256: s.sha256, valid: validSignature(ctx, s) } : null,
				excusal: excusal ? { reason: excusal.reason, recordedAt: excusal.recordedAt } : null,
				pending: pending.has(m.userId)
			};
		}),
		recusedCount: ctx.recused.size,
		opinion: ctx.opinion
			? {
					id: ctx.opinion.id,
					documentId: ctx.opinion.documentId,
					leadUserId: ctx.opinion.leadUserId,
					leadName: name(ctx.opinion.leadUserId),
					submittedAt: ctx.opinion.submittedAt,
					submittedCurrent: submittedCurrent(ctx),
					currentSha256: ctx.currentSha256
				}
			: null,
		lock: ctx.lock ? { sha256: ctx.lock.sha256, lockedAt: ctx.lock.lockedAt, auditAnchor: ctx.lock.auditAnchor } : null,
		ready: !!ctx.opinion && !ctx.lock && submittedCurrent(ctx) && pending.size === 0,
		release: ctx.release ? { options: ctx.release.options, view: ctx.release.view as unknown as ApplicantOpinionView, releasedAt: ctx.release.releasedAt } : null
	};
}

export type OpinionPanel = NonNullable<Awaited<ReturnType<typeof opinionPanel>>>;

/**
 * The released opinions of an application, for its applicant: the frozen views only. Anyone
 * else (staff included) gets an empty list here; they read the panel.
 */
export async function releasedForApplicant(db: DbOrTx, p: Principal, applicationId: string): Promise<{ view: ApplicantOpinionView; releasedAt: Date }[]> {
	if (!p.enterpriseId) return [];
	const rows = await db
		.select({ view: panelOpinionReleases.view, releasedAt: panelOpinionReleases.releasedAt })
		.from(panelOpinionReleases)
		.innerJoin(panelOpinions, eq(panelOpinions.id, panelOpinionReleases.opinionId))
		.innerJoin(applications, eq(applications.id, panelOpinions.applicationId))
		.where(and(eq(applications.id, applicationId), eq(applications.enterpriseId, p.enterpriseId)))
		.orderBy(asc(panelOpinionReleases.releasedAt));
	return rows.map((r) => ({ view: r.view as unknown as ApplicantOpinionView, releasedAt: r.releasedAt }));
}

/** Items of a meeting with their opinion's state, for the meeting page's opinion links. */
export async function meetingOpinionStates(db: DbOrTx, meetingId: string) {
	const rows = await db
		.select({ itemId: meetingItems.id, opinionId: panelOpinions.id, released: panelOpinionReleases.opinionId })
		.from(meetingItems)
		.innerJoin(meetings, eq(meetings.id, meetingItems.meetingId))
		.leftJoin(panelOpinions, eq(panelOpinions.itemId, meetingItems.id))
		.leftJoin(panelOpinionReleases, eq(panelOpinionReleases.opinionId, panelOpinions.id))
		.where(eq(meetingItems.meetingId, meetingId));
	return new Map(rows.map((r) => [r.itemId, { opinionId: r.opinionId, released: !!r.released }]));
}
