// What the application page shows each kind of reader. The applicant gets their application,
// its files and status (and the rejection reason), never who reviews it or how; staff get
// intake, assignments, reviews and the status history.
import { and, asc, eq } from 'drizzle-orm';
import { assignments, auditLog, calls, experts, reviews } from '$db/schema';
import type { DbOrTx } from '../db';
import type { Principal } from '../auth/principal';
import { roles } from '../auth/principal';
import { getVisibleApplication } from './queries';
import { listAttachments } from './drafts';
import { intakeContext } from '../intake';
import { isOpen } from '../calls/queries';

export async function applicationPage(db: DbOrTx, p: Principal, id: string) {
	const found = await getVisibleApplication(db, p, id);
	if (!found) return null;
	const app = found.application;
	const [call] = await db.select().from(calls).where(eq(calls.id, app.callId));
	const attachments = await listAttachments(db, app.id);
	const base = {
		application: app,
		callTitle: found.callTitle,
		callTitleEn: found.callTitleEn,
		programName: found.programName,
		programNameEn: found.programNameEn,
		attachments,
		call: {
			id: call.id,
			code: call.code,
			fields: call.fields,
			fundingModes: call.fundingModes,
			ceiling: Number(call.ceiling),
			majorCeiling: Number(call.majorCeiling),
			closesAt: call.closesAt,
			open: isOpen(call)
		}
	};
	if (p.enterpriseId && app.enterpriseId === p.enterpriseId) return { ...base, view: 'applicant' as const };
	if (!roles.isInternal(p)) return null;
	const intake = await intakeContext(db, p, id);
	const team = await db
		.select({
			id: assignments.id,
			expertId: assignments.expertId,
			expertName: experts.name,
			institution: experts.institution,
			form: assignments.form,
			status: assignments.status,
			source: assignments.source,
			reason: assignments.reason,
			endReason: assignments.endReason,
			reviewId: reviews.id,
			reviewStatus: reviews.status,
			total: reviews.total,
			passed: reviews.passed,
			veto: reviews.veto,
			opinion: reviews.opinion,
			recommendation: reviews.recommendation,
			suggestedAmount: reviews.suggestedAmount
		})
		.from(assignments)
		.innerJoin(experts, eq(experts.id, assignments.expertId))
		.leftJoin(reviews, eq(reviews.assignmentId, assignments.id))
		.where(eq(assignments.applicationId, id))
		.orderBy(asc(assignments.form), asc(assignments.createdAt));
	const history = await db
		.select({ at: auditLog.at, actorName: auditLog.actorName, details: auditLog.details })
		.from(auditLog)
		.where(and(eq(auditLog.entityType, 'application'), eq(auditLog.entityId, id), eq(auditLog.action, 'application.status')))
		.orderBy(asc(auditLog.seq));
	return {
		...base,
		view: 'staff' as const,
		checklist: call.intakeChecklist,
		checks: intake?.checks ?? [],
		findings: intake?.findings ?? [],
		team,
		history: history.map((h) => ({ at: h.at, actorName: h.actorName, from: String(h.details?.from ?? ''), to: String(h.details?.to ?? ''), reason: (h.details?.reason as string | undefined) ?? null }))
	};
}
