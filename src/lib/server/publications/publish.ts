// Publishing a call's proposed list (公示): the funded items of the call's locked decisions in
// force, frozen as rows of a publication with its objection period. The division's staff (of
// the call's program) and admins publish; a preview shows exactly the rows that will be frozen.
// One list of a call is open at a time.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { applications, meetingDecisionReopens, meetingDecisions, meetingItems, meetings, publicationRows, publications } from '$db/schema';
import type { DbOrTx } from '../db';
import type { Principal } from '../auth/principal';
import { audit, type AuditActor } from '../audit';
import { managesCall } from '../calls/access';
import { loadExceptions, periodEnd } from './calendar';
import { tellPublished } from '../notifications/tell';

export type PublicationKind = 'funding' | 'accreditation';
export type PeriodUnit = 'workingDays' | 'days';

/**
 * Default periods: 10 working days for accreditations (high-tech enterprises, DOMAIN.md); for
 * a funding list the Innovation Fund's rules name none, so 7 working days — the "7 days" of
 * the formal-review publication counted as working days, which never gives the public less.
 */
export const DEFAULT_PERIOD: Record<PublicationKind, { length: number; unit: PeriodUnit }> = {
	funding: { length: 7, unit: 'workingDays' },
	accreditation: { length: 10, unit: 'workingDays' }
};

export interface ProposedRow {
	applicationId: string;
	decisionId: string;
	label: string;
	title: string;
	organization: string;
	amount: string | null;
	fundingMode: string | null;
	outcome: 'fund';
}

/** The funded items of a call: each item's latest locked decision, when it is 'fund' and not reopened. */
export async function proposedRows(db: DbOrTx, callId: string): Promise<ProposedRow[]> {
	const found = await db
		.select({
			applicationId: applications.id,
			decisionId: meetingDecisions.id,
			label: applications.number,
			title: applications.title,
			organization: applications.enterpriseName,
			amount: meetingDecisions.amount,
			fundingMode: meetingDecisions.fundingMode,
			outcome: meetingDecisions.outcome,
			reopened: meetingDecisionReopens.decisionId
		})
		.from(meetingDecisions)
		.innerJoin(meetingItems, eq(meetingItems.id, meetingDecisions.itemId))
		.innerJoin(meetings, eq(meetings.id, meetingItems.meetingId))
		.innerJoin(applications, eq(applications.id, meetingDecisions.applicationId))
		.leftJoin(meetingDecisionReopens, eq(meetingDecisionReopens.decisionId, meetingDecisions.id))
		.where(and(eq(meetings.callId, callId), eq(applications.status, 'decided'), sql`NOT EXISTS (SELECT 1 FROM meeting_decisions later WHERE later.item_id = ${meetingDecisions.itemId} AND later.version > ${meetingDecisions.version})`))
		.orderBy(asc(applications.number));
	return found
		.filter((r) => r.outcome === 'fund' && !r.reopened)
		.map((r) => ({ applicationId: r.applicationId, decisionId: r.decisionId, label: r.label, title: r.title, organization: r.organization, amount: r.amount, fundingMode: r.fundingMode, outcome: 'fund' as const }));
}

export interface PublishInput {
	kind: PublicationKind;
	title: string;
	notice: string;
	periodLength: number;
	periodUnit: PeriodUnit;
}

export type PublishProblem = 'forbidden' | 'empty' | 'alreadyOpen';

export interface Preview {
	rows: ProposedRow[];
	startsAt: Date;
	endsAt: Date;
}

/** What publishing now would freeze, and when its period would end. */
export async function previewPublication(db: DbOrTx, p: Principal, callId: string, input: Pick<PublishInput, 'periodLength' | 'periodUnit'>, now = new Date()): Promise<{ ok: true; preview: Preview } | { ok: false; code: 'forbidden' }> {
	if (!(await managesCall(db, p, callId))) return { ok: false, code: 'forbidden' };
	const rows = await proposedRows(db, callId);
	const endsAt = periodEnd(now, input.periodLength, input.periodUnit, await loadExceptions(db, now));
	return { ok: true, preview: { rows, startsAt: now, endsAt } };
}

export async function publish(db: DbOrTx, p: Principal, actor: AuditActor, callId: string, input: PublishInput, now = new Date()): Promise<{ ok: true; id: string; endsAt: Date } | { ok: false; code: PublishProblem }> {
	if (!(await managesCall(db, p, callId))) return { ok: false, code: 'forbidden' };
	return db.transaction(async (tx) => {
		// Two staff publishing at once: the second waits here and then sees the first's list.
		await tx.execute(sql`SELECT pg_advisory_xact_lock(72610011, hashtext(${callId}))`);
		const [open] = await tx.select({ id: publications.id }).from(publications).where(and(eq(publications.callId, callId), eq(publications.status, 'open'))).limit(1);
		if (open) return { ok: false as const, code: 'alreadyOpen' as const };
		const rows = await proposedRows(tx, callId);
		if (rows.length === 0) return { ok: false as const, code: 'empty' as const };
		const endsAt = periodEnd(now, input.periodLength, input.periodUnit, await loadExceptions(tx, now));
		const [pub] = await tx
			.insert(publications)
			.values({ callId, kind: input.kind, title: input.title, notice: input.notice, periodLength: input.periodLength, periodUnit: input.periodUnit, startsAt: now, endsAt, publishedBy: p.user.id, publishedAt: now })
			.returning({ id: publications.id });
		await tx.insert(publicationRows).values(rows.map((r, i) => ({ publicationId: pub.id, position: i + 1, applicationId: r.applicationId, decisionId: r.decisionId, label: r.label, title: r.title, organization: r.organization, amount: r.amount, fundingMode: r.fundingMode as never, outcome: r.outcome })));
		await audit(tx, actor, 'publication.published', { type: 'publication', id: pub.id }, { callId, title: input.title, rows: rows.map((r) => r.label), periodLength: input.periodLength, periodUnit: input.periodUnit, endsAt: endsAt.toISOString() });
		await tellPublished(tx, pub.id);
		return { ok: true as const, id: pub.id, endsAt };
	});
}

/** A call's publications, newest first (staff). */
export async function callPublications(db: DbOrTx, callId: string) {
	return db.select().from(publications).where(eq(publications.callId, callId)).orderBy(desc(publications.publishedAt));
}

export async function rowsOf(db: DbOrTx, publicationIds: string[]) {
	if (publicationIds.length === 0) return [];
	return db.select().from(publicationRows).where(inArray(publicationRows.publicationId, publicationIds)).orderBy(asc(publicationRows.position));
}
