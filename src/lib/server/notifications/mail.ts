// The outbox: mail written by notify (or by the daily digest) in the action's transaction and
// sent here, outside it, so an SMTP server that is slow, down or refusing never blocks or fails
// the action. A row is claimed with a lease (locked_until) so two nodes never send it twice;
// a failed send is retried after mailRetrySeconds × 2^(attempts−1), and after MAX_ATTEMPTS it
// is marked failed for an admin to look at and retry.
import { and, asc, desc, eq, gte, inArray, lte, or, sql, isNull, lt, count } from 'drizzle-orm';
import { mailOutbox, notificationDigests, notifications, users } from '$db/schema';
import type { Db, DbOrTx } from '../db';
import { rows } from '../db';
import { m } from '$lib/paraglide/messages';
import { asLocale, renderText } from './render';

export const MAX_ATTEMPTS = 6;
const LEASE_MS = 2 * 60_000;

/** What the outbox needs from a mail library (nodemailer's transporter fits). */
export interface MailTransport {
	sendMail(mail: { from: string; to: string; subject: string; text: string; html: string }): Promise<unknown>;
	close?(): void;
}

export interface MailOptions {
	from: string;
	/** The public address links in mail point to (ORIGIN); unset: links are left out. */
	origin?: string;
	retrySeconds: number;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface ComposedMail {
	subject: string;
	text: string;
	html: string;
}

/** One notification's mail, or a digest of several, in the recipient's language. */
export function composeMail(
	person: { name: string; locale: string | null },
	items: { kind: string; params: Record<string, unknown>; link: string | null }[],
	digest: boolean,
	origin?: string
): ComposedMail {
	const o = { locale: asLocale(person.locale) };
	const abs = (link: string | null) => (link && origin ? new URL(link, origin).toString() : null);
	const texts = items.map((i) => ({ ...renderText(i.kind, i.params, o.locale), link: abs(i.link) }));
	const settings = abs('/account/notifications');
	const subject = digest ? m.notif_digest_subject({ count: items.length }, o) : m.notif_mail_subject({ title: texts[0]?.title ?? '' }, o);
	const greeting = m.notif_mail_greeting({ name: person.name }, o);
	const footer = m.notif_mail_footer({ link: settings ?? '' }, o);
	const textLines = [greeting, ''];
	const html: string[] = [`<p>${escapeHtml(greeting)}</p>`];
	if (digest) {
		textLines.push(m.notif_digest_intro({ count: items.length }, o), '');
		html.push(`<p>${escapeHtml(m.notif_digest_intro({ count: items.length }, o))}</p><ol>`);
	}
	for (const t of texts) {
		const open = t.link ? m.notif_mail_open({ link: t.link }, o) : '';
		if (digest) {
			textLines.push(`• ${t.title}`, `  ${t.body}`, ...(open ? [`  ${open}`] : []), '');
			html.push(`<li><p><strong>${escapeHtml(t.title)}</strong></p><p>${escapeHtml(t.body)}</p>${t.link ? `<p><a href="${escapeHtml(t.link)}">${escapeHtml(t.link)}</a></p>` : ''}</li>`);
		} else {
			textLines.push(t.body, ...(open ? ['', open] : []), '');
			html.push(`<p>${escapeHtml(t.body)}</p>${t.link ? `<p><a href="${escapeHtml(t.link)}">${escapeHtml(open)}</a></p>` : ''}`);
		}
	}
	if (digest) html.push('</ol>');
	textLines.push('—', footer);
	html.push(`<hr><p style="color:#64748b;font-size:12px">${escapeHtml(footer)}</p>`);
	return { subject, text: textLines.join('\n'), html: `<!doctype html><html lang="${o.locale}"><body style="font-family:sans-serif">${html.join('')}</body></html>` };
}

/** Sends what is due, at most `limit` mails; returns how many were sent and failed. */
// Raw SQL takes ISO strings: postgres.js does not serialize a Date inside sql``.
export async function workOutbox(db: Db, transport: MailTransport, opts: MailOptions, now = new Date(), limit = 20): Promise<{ sent: number; failed: number }> {
	const claimed = await rows<{ id: string }>(
		db,
		sql`UPDATE mail_outbox SET locked_until = ${new Date(now.getTime() + LEASE_MS).toISOString()}::timestamptz
			WHERE id IN (SELECT id FROM mail_outbox
				WHERE status = 'pending' AND next_attempt_at <= ${now.toISOString()}::timestamptz AND (locked_until IS NULL OR locked_until < ${now.toISOString()}::timestamptz)
				ORDER BY next_attempt_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
			RETURNING id`
	);
	let sent = 0;
	let failed = 0;
	for (const { id } of claimed) {
		const [row] = await db.select().from(mailOutbox).where(eq(mailOutbox.id, id));
		if (!row) continue;
		const [person] = await db.select({ name: users.name, email: users.email, locale: users.locale, active: users.active }).from(users).where(eq(users.id, row.userId));
		const items = row.notificationIds.length ? await db.select().from(notifications).where(inArray(notifications.id, row.notificationIds)).orderBy(asc(notifications.createdAt)) : [];
		if (!person?.email || !person.active || items.length === 0) {
			await db.update(mailOutbox).set({ status: 'failed', lastError: !person?.email ? 'no email address' : 'nothing to send', lockedUntil: null }).where(eq(mailOutbox.id, id));
			failed++;
			continue;
		}
		const mail = composeMail(person, items, row.digest, opts.origin);
		try {
			await transport.sendMail({ from: opts.from, to: person.email, ...mail });
			await db.update(mailOutbox).set({ status: 'sent', sentAt: new Date(), attempts: row.attempts + 1, subject: mail.subject, recipient: person.email, lockedUntil: null, lastError: null }).where(eq(mailOutbox.id, id));
			sent++;
		} catch (err) {
			const attempts = row.attempts + 1;
			const giveUp = attempts >= MAX_ATTEMPTS;
			const delay = Math.min(opts.retrySeconds * 2 ** (attempts - 1), 6 * 3600) * 1000;
			await db
				.update(mailOutbox)
				.set({
					attempts,
					status: giveUp ? 'failed' : 'pending',
					nextAttemptAt: new Date(now.getTime() + delay),
					lastError: String((err as Error)?.message ?? err).slice(0, 500),
					subject: mail.subject,
					recipient: person.email,
					lockedUntil: null
				})
				.where(eq(mailOutbox.id, id));
			failed++;
		}
	}
	return { sent, failed };
}

/** The Beijing calendar day and hour of a moment. */
export function beijing(now: Date): { day: string; hour: number } {
	const b = new Date(now.getTime() + 8 * 3600_000);
	return { day: b.toISOString().slice(0, 10), hour: b.getUTCHours() };
}

/**
 * At or after the digest hour, once per person per Beijing day (also across nodes: the
 * digests table's key), gathers their digest-mode notifications into one mail.
 */
export async function queueDigests(db: Db, digestHour: number, now = new Date()): Promise<number> {
	const { day, hour } = beijing(now);
	if (hour < digestHour) return 0;
	const waiting = await db.selectDistinct({ userId: notifications.userId }).from(notifications).where(eq(notifications.digestPending, true));
	let queued = 0;
	for (const { userId } of waiting) {
		queued += await db.transaction(async (tx) => {
			const [mine] = await tx.insert(notificationDigests).values({ userId, day }).onConflictDoNothing().returning({ userId: notificationDigests.userId });
			if (!mine) return 0;
			const items = await tx
				.update(notifications)
				.set({ digestPending: false })
				.where(and(eq(notifications.userId, userId), eq(notifications.digestPending, true)))
				.returning({ id: notifications.id });
			if (items.length === 0) return 0;
			await tx.insert(mailOutbox).values({ userId, notificationIds: items.map((i) => i.id), digest: true });
			return 1;
		});
	}
	return queued;
}

/** For admins: mail still pending or given up on (newest first), and the week's figures. */
export async function outboxStatus(db: DbOrTx, now = new Date(), limit = 200) {
	const list = await db
		.select({
			id: mailOutbox.id,
			status: mailOutbox.status,
			digest: mailOutbox.digest,
			attempts: mailOutbox.attempts,
			nextAttemptAt: mailOutbox.nextAttemptAt,
			lastError: mailOutbox.lastError,
			subject: mailOutbox.subject,
			recipient: sql<string | null>`coalesce(${mailOutbox.recipient}, ${users.email})`,
			name: users.name,
			locale: users.locale,
			notificationIds: mailOutbox.notificationIds,
			createdAt: mailOutbox.createdAt
		})
		.from(mailOutbox)
		.innerJoin(users, eq(users.id, mailOutbox.userId))
		.where(or(eq(mailOutbox.status, 'failed'), eq(mailOutbox.status, 'pending')))
		.orderBy(desc(mailOutbox.createdAt))
		.limit(limit);
	const weekAgo = new Date(now.getTime() - 7 * 86400_000);
	const counts = await db
		.select({ status: mailOutbox.status, n: count() })
		.from(mailOutbox)
		.where(or(inArray(mailOutbox.status, ['pending', 'failed']), gte(mailOutbox.sentAt, weekAgo)))
		.groupBy(mailOutbox.status);
	const by = Object.fromEntries(counts.map((c) => [c.status, c.n]));
	// A mail not tried yet has no subject stored: render it now, in the recipient's language.
	const firstIds = list.filter((r) => !r.subject && !r.digest && r.notificationIds[0]).map((r) => r.notificationIds[0]);
	const first = new Map(firstIds.length ? (await db.select().from(notifications).where(inArray(notifications.id, firstIds))).map((n) => [n.id, n]) : []);
	const rows = list.map(({ notificationIds, locale, ...r }) => {
		if (r.subject) return r;
		const o = { locale: asLocale(locale) };
		const n = first.get(notificationIds[0]);
		const subject = r.digest ? m.notif_digest_subject({ count: notificationIds.length }, o) : n ? m.notif_mail_subject({ title: renderText(n.kind, n.params, o.locale).title }, o) : null;
		return { ...r, subject };
	});
	return { list: rows, pending: by.pending ?? 0, failed: by.failed ?? 0, sent: by.sent ?? 0 };
}

/** An admin sends a failed (or waiting) mail again now. */
export async function retryMail(db: DbOrTx, id: string): Promise<{ ok: true } | { ok: false; code: 'notFound' }> {
	const done = await db
		.update(mailOutbox)
		.set({ status: 'pending', attempts: 0, nextAttemptAt: new Date(), lockedUntil: null })
		.where(and(eq(mailOutbox.id, id), inArray(mailOutbox.status, ['failed', 'pending'])))
		.returning({ id: mailOutbox.id });
	return done.length ? { ok: true } : { ok: false, code: 'notFound' };
}

// Kept for callers that check whether anything is due without claiming it.
export async function dueCount(db: DbOrTx, now = new Date()): Promise<number> {
	const [r] = await db
		.select({ n: count() })
		.from(mailOutbox)
		.where(and(eq(mailOutbox.status, 'pending'), lte(mailOutbox.nextAttemptAt, now), or(isNull(mailOutbox.lockedUntil), lt(mailOutbox.lockedUntil, now))));
	return r?.n ?? 0;
}
