// Review deadlines: the call's deadline, or a later one the division granted an expert for one
// assignment (an extension, audited); reminders 3 days and 1 day before it to experts whose
// sheet is not submitted; and staff's one-click reminder from the progress page, once per
// expert per call per Beijing day. Reminders carry a dedupe key, so two nodes running the loop,
// or a restart, still give one reminder.
import { and, desc, eq, ne, or, isNull, sql } from 'drizzle-orm';
import { applications, assignments, calls, experts, reviewExtensions, reviewReminders, reviews } from '$db/schema';
import type { Db, DbOrTx } from '../db';
import { audit, type AuditActor } from '../audit';
import type { Principal } from '../auth/principal';
import { managesCall } from '../calls/access';
import { notify } from './index';
import { beijing } from './mail';

const DAY = 86400_000;

/** The newest extension of an assignment, if any. */
export async function extensionOf(db: DbOrTx, assignmentId: string) {
	const [row] = await db.select().from(reviewExtensions).where(eq(reviewExtensions.assignmentId, assignmentId)).orderBy(desc(reviewExtensions.createdAt)).limit(1);
	return row ?? null;
}

/** When the sheet of an assignment is due: the extension's date, else the call's (null: none). */
export async function effectiveDeadline(db: DbOrTx, assignmentId: string, callDeadline: Date | null): Promise<Date | null> {
	if (!callDeadline) return null;
	const ext = await extensionOf(db, assignmentId);
	return ext && ext.until > callDeadline ? ext.until : callDeadline;
}

export type ExtensionResult = { ok: true; until: Date; name: string } | { ok: false; code: 'notFound' | 'forbidden' | 'invalid' };

/** Division staff of the call (or an admin) extend one expert's deadline on one assignment. */
export async function grantExtension(db: Db, p: Principal, actor: AuditActor, assignmentId: string, until: Date, reason: string, now = new Date()): Promise<ExtensionResult> {
	return db.transaction(async (tx) => {
		const [a] = await tx
			.select({ id: assignments.id, callId: assignments.callId, status: assignments.status, deadline: calls.reviewDeadline, number: applications.number, title: applications.title, expertUserId: experts.userId, expertName: experts.name })
			.from(assignments)
			.innerJoin(calls, eq(calls.id, assignments.callId))
			.innerJoin(applications, eq(applications.id, assignments.applicationId))
			.innerJoin(experts, eq(experts.id, assignments.expertId))
			.where(eq(assignments.id, assignmentId))
			.for('update', { of: assignments });
		if (!a || a.status !== 'active') return { ok: false, code: 'notFound' } as const;
		if (!(await managesCall(tx, p, a.callId))) return { ok: false, code: 'forbidden' } as const;
		const current = await effectiveDeadline(tx, assignmentId, a.deadline);
		const text = reason.trim();
		if (!text || text.length > 500 || Number.isNaN(until.getTime()) || until <= now || (current && until <= current)) return { ok: false, code: 'invalid' } as const;
		await tx.insert(reviewExtensions).values({ assignmentId, until, reason: text, grantedBy: p.user.id, grantedByName: p.user.name });
		await audit(tx, actor, 'review.extended', { type: 'assignment', id: assignmentId }, { until: until.toISOString(), previous: current?.toISOString() ?? null, reason: text, expertName: a.expertName, number: a.number });
		if (a.expertUserId)
			await notify(tx, { userIds: [a.expertUserId], kind: 'review_extended', params: { number: a.number, title: a.title, until: until.toISOString(), reason: text }, link: `/reviews/${assignmentId}` });
		return { ok: true, until, name: a.expertName } as const;
	});
}

/** Active assignments whose sheet is not submitted, with their deadline (extension counted). */
async function unfinished(db: DbOrTx, where: ReturnType<typeof and>) {
	return db
		.select({
			assignmentId: assignments.id,
			callId: assignments.callId,
			expertId: assignments.expertId,
			expertUserId: experts.userId,
			expertName: experts.name,
			number: applications.number,
			title: applications.title,
			callDeadline: calls.reviewDeadline,
			callTitle: calls.title,
			callTitleEn: calls.titleEn,
			extendedUntil: sql<Date | string | null>`(SELECT max(${reviewExtensions.until}) FROM ${reviewExtensions} WHERE ${reviewExtensions.assignmentId} = ${assignments.id})`
		})
		.from(assignments)
		.innerJoin(calls, eq(calls.id, assignments.callId))
		.innerJoin(applications, eq(applications.id, assignments.applicationId))
		.innerJoin(experts, eq(experts.id, assignments.expertId))
		.leftJoin(reviews, eq(reviews.assignmentId, assignments.id))
		.where(and(eq(assignments.status, 'active'), or(isNull(reviews.status), ne(reviews.status, 'submitted')), where));
}

const asDate = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));
function deadlineOf(r: { callDeadline: Date | null; extendedUntil: Date | string | null }): Date | null {
	const ext = asDate(r.extendedUntil);
	if (!r.callDeadline) return null;
	return ext && ext > r.callDeadline ? ext : r.callDeadline;
}

/**
 * One pass of the deadline loop: each unfinished sheet due within 3 days (or 1 day) gets its
 * reminder once. Returns how many notifications were made.
 */
export async function deadlineReminders(db: Db, now = new Date()): Promise<number> {
	const soon = new Date(now.getTime() + 3 * DAY);
	const due = await unfinished(db, and(sql`${calls.reviewDeadline} IS NOT NULL`, sql`(${calls.reviewDeadline} > ${now.toISOString()}::timestamptz OR EXISTS (SELECT 1 FROM ${reviewExtensions} WHERE ${reviewExtensions.assignmentId} = ${assignments.id} AND ${reviewExtensions.until} > ${now.toISOString()}::timestamptz))`));
	let made = 0;
	for (const r of due) {
		const deadline = deadlineOf(r);
		if (!deadline || deadline <= now || deadline > soon || !r.expertUserId) continue;
		const kind = deadline.getTime() - now.getTime() <= DAY ? ('review_deadline_1d' as const) : ('review_deadline_3d' as const);
		const ids = await db.transaction((tx) =>
			notify(tx, {
				userIds: [r.expertUserId!],
				kind,
				params: { number: r.number, title: r.title, deadline: deadline.toISOString() },
				link: `/reviews/${r.assignmentId}`,
				// A new deadline (an extension) reminds again; the same one never twice.
				dedupeKey: `${kind}:${r.assignmentId}:${deadline.toISOString()}`
			})
		);
		made += ids.length;
	}
	return made;
}

/** Experts of a call with unfinished sheets, and whether staff reminded them today. */
export async function reminderState(db: DbOrTx, callId: string, now = new Date()) {
	const rows = await unfinished(db, eq(assignments.callId, callId));
	const { day } = beijing(now);
	const reminded = new Set(
		(await db.select({ u: reviewReminders.expertUserId }).from(reviewReminders).where(and(eq(reviewReminders.callId, callId), eq(reviewReminders.day, day)))).map((r) => r.u)
	);
	const byExpert = new Map<string, { expertId: string; pending: number; remindedToday: boolean }>();
	for (const r of rows) {
		const e = byExpert.get(r.expertId) ?? { expertId: r.expertId, pending: 0, remindedToday: !!r.expertUserId && reminded.has(r.expertUserId) };
		e.pending++;
		byExpert.set(r.expertId, e);
	}
	return byExpert;
}

/** Unfinished assignments of a call with their deadlines, for the extensions page. */
export async function unfinishedForCall(db: DbOrTx, callId: string) {
	const rows = await unfinished(db, eq(assignments.callId, callId));
	return rows
		.map((r) => ({ assignmentId: r.assignmentId, expertId: r.expertId, expertName: r.expertName, number: r.number, title: r.title, callDeadline: r.callDeadline, deadline: deadlineOf(r), extended: asDate(r.extendedUntil) }))
		.sort((a, b) => a.number.localeCompare(b.number) || a.expertName.localeCompare(b.expertName, 'zh-CN'));
}

export type ReminderResult = { ok: true; name: string } | { ok: false; code: 'forbidden' | 'nothing' | 'limited'; name?: string };

/** Staff remind one expert of their unfinished sheets in a call: at most once a Beijing day. */
export async function remindExpert(db: Db, p: Principal, actor: AuditActor, callId: string, expertId: string, now = new Date()): Promise<ReminderResult> {
	if (!(await managesCall(db, p, callId))) return { ok: false, code: 'forbidden' };
	return db.transaction(async (tx) => {
		const rows = await unfinished(tx, and(eq(assignments.callId, callId), eq(assignments.expertId, expertId)));
		const first = rows[0];
		if (!first || !first.expertUserId) return { ok: false, code: 'nothing' } as const;
		const { day } = beijing(now);
		const [slot] = await tx.insert(reviewReminders).values({ expertUserId: first.expertUserId, callId, day, sentBy: p.user.id }).onConflictDoNothing().returning({ day: reviewReminders.day });
		if (!slot) return { ok: false, code: 'limited', name: first.expertName } as const;
		const deadlines = rows.map(deadlineOf).filter((d): d is Date => d !== null);
		const earliest = deadlines.length ? new Date(Math.min(...deadlines.map((d) => d.getTime()))) : null;
		await notify(tx, {
			userIds: [first.expertUserId],
			kind: 'review_reminder',
			params: { callTitle: first.callTitle, callTitleEn: first.callTitleEn, pending: rows.length, deadline: earliest?.toISOString() ?? null, from: p.user.name },
			link: '/reviews',
			dedupeKey: `review_reminder:${callId}:${day}`
		});
		await audit(tx, actor, 'review.reminded', { type: 'call', id: callId }, { expertId, expertName: first.expertName, pending: rows.length });
		return { ok: true, name: first.expertName } as const;
	});
}

