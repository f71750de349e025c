// A notification's words, in one language: the inbox, the bell and the mail all read them
// from here. Params are what notify stored; anything missing renders as an empty string
// rather than failing (an old row after a kind's params grew).
import { m } from '$lib/paraglide/messages';
import { locales, baseLocale, type Locale } from '$lib/paraglide/runtime';
import { formatDateTime, localized } from '$lib/labels';
import { isKind, type InboxItem, type NotificationKind } from '$lib/notifications/kinds';

type O = { locale: Locale };
type P = Record<string, unknown>;
type Text = { title: string; body: string; label: string };

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const when = (v: unknown, o: O): string => (v ? formatDateTime(str(v), o.locale) : m.notif_no_deadline({}, o));
const call = (p: P, o: O): string => localized(o.locale, str(p.callTitle), str(p.callTitleEn));

const texts: { [K in NotificationKind]: (p: P, o: O) => Text } = {
	assignment_made: (p, o) => ({
		label: m.notif_assignment_made_label({}, o),
		title: m.notif_assignment_made_title({ number: str(p.number) }, o),
		body: m.notif_assignment_made_body(
			{ title: str(p.title), number: str(p.number), form: p.form === 'finance' ? m.notif_form_finance({}, o) : m.notif_form_technical({}, o), call: call(p, o), deadline: when(p.deadline, o) },
			o
		)
	}),
	assignment_withdrawn: (p, o) => ({
		label: m.notif_assignment_withdrawn_label({}, o),
		title: m.notif_assignment_withdrawn_title({ number: str(p.number) }, o),
		body: m.notif_assignment_withdrawn_body({ title: str(p.title), number: str(p.number), reason: str(p.reason) }, o)
	}),
	review_deadline_3d: (p, o) => ({
		label: m.notif_review_deadline_3d_label({}, o),
		title: m.notif_review_deadline_3d_title({ number: str(p.number) }, o),
		body: m.notif_review_deadline_3d_body({ title: str(p.title), number: str(p.number), deadline: when(p.deadline, o) }, o)
	}),
	review_deadline_1d: (p, o) => ({
		label: m.notif_review_deadline_1d_label({}, o),
		title: m.notif_review_deadline_1d_title({ number: str(p.number) }, o),
		body: m.notif_review_deadline_1d_body({ title: str(p.title), number: str(p.number), deadline: when(p.deadline, o) }, o)
	}),
	review_reminder: (p, o) => ({
		label: m.notif_review_reminder_label({}, o),
		title: m.notif_review_reminder_title({ call: call(p, o) }, o),
		body: m.notif_review_reminder_body({ from: str(p.from), call: call(p, o), pending: str(p.pending), deadline: when(p.deadline, o) }, o)
	}),
	review_extended: (p, o) => ({
		label: m.notif_review_extended_label({}, o),
		title: m.notif_review_extended_title({ number: str(p.number) }, o),
		body: m.notif_review_extended_body({ title: str(p.title), number: str(p.number), until: when(p.until, o), reason: str(p.reason) }, o)
	}),
	meeting_scheduled: (p, o) => ({
		label: m.notif_meeting_scheduled_label({}, o),
		title: m.notif_meeting_scheduled_title({ title: str(p.title) }, o),
		body: m.notif_meeting_scheduled_body({ title: str(p.title), startsAt: when(p.startsAt, o), place: str(p.place) || '—' }, o)
	}),
	meeting_changed: (p, o) => ({
		label: m.notif_meeting_changed_label({}, o),
		title: m.notif_meeting_changed_title({ title: str(p.title) }, o),
		body: m.notif_meeting_changed_body({ title: str(p.title), startsAt: when(p.startsAt, o), place: str(p.place) || '—' }, o)
	}),
	hearing_invitation: (p, o) => ({
		label: m.notif_hearing_invitation_label({}, o),
		title: m.notif_hearing_invitation_title({ number: str(p.number) }, o),
		body: m.notif_hearing_invitation_body({ meetingTitle: str(p.meetingTitle), startsAt: when(p.startsAt, o), title: str(p.title), number: str(p.number), place: str(p.place) || '—' }, o)
	}),
	application_accepted: (p, o) => ({
		label: m.notif_application_accepted_label({}, o),
		title: m.notif_application_accepted_title({ number: str(p.number) }, o),
		body: m.notif_application_accepted_body({ title: str(p.title), number: str(p.number) }, o)
	}),
	application_rejected: (p, o) => ({
		label: m.notif_application_rejected_label({}, o),
		title: m.notif_application_rejected_title({ number: str(p.number) }, o),
		body: m.notif_application_rejected_body({ title: str(p.title), number: str(p.number), reason: str(p.reason) }, o)
	}),
	decision_published: (p, o) => ({
		label: m.notif_decision_published_label({}, o),
		title: m.notif_decision_published_title({ number: str(p.number) }, o),
		body: m.notif_decision_published_body({ call: call(p, o), title: str(p.title), number: str(p.number), until: when(p.until, o) }, o)
	}),
	objection_received: (p, o) => ({
		label: m.notif_objection_received_label({}, o),
		title: m.notif_objection_received_title({ number: str(p.number) }, o),
		body: m.notif_objection_received_body({ objector: str(p.objector), title: str(p.title), number: str(p.number) }, o)
	}),
	objection_answered: (p, o) => ({
		label: m.notif_objection_answered_label({}, o),
		title: m.notif_objection_answered_title({ number: str(p.number) }, o),
		body: m.notif_objection_answered_body(
			{ title: str(p.title), number: str(p.number), outcome: p.outcome === 'upheld' ? m.notif_outcome_upheld({}, o) : m.notif_outcome_dismissed({}, o), reason: str(p.reason) },
			o
		)
	}),
	opinion_to_sign: (p, o) => ({
		label: m.notif_opinion_to_sign_label({}, o),
		title: m.notif_opinion_to_sign_title({ number: str(p.number) }, o),
		body: m.notif_opinion_to_sign_body({ title: str(p.title), number: str(p.number) }, o)
	}),
	opinion_released: (p, o) => ({
		label: m.notif_opinion_released_label({}, o),
		title: m.notif_opinion_released_title({ number: str(p.number) }, o),
		body: m.notif_opinion_released_body({ title: str(p.title), number: str(p.number) }, o)
	}),
	document_shared: (p, o) => ({
		label: m.notif_document_shared_label({}, o),
		title: m.notif_document_shared_title({ by: str(p.by), title: str(p.title) }, o),
		body: m.notif_document_shared_body(
			{ by: str(p.by), title: str(p.title), access: p.access === 'edit' ? m.notif_access_edit({}, o) : p.access === 'comment' ? m.notif_access_comment({}, o) : m.notif_access_read({}, o) },
			o
		)
	}),
	document_commented: (p, o) => ({
		label: m.notif_document_commented_label({}, o),
		title: m.notif_document_commented_title({ by: str(p.by), title: str(p.title) }, o),
		body: m.notif_document_commented_body({ by: str(p.by), title: str(p.title), excerpt: str(p.excerpt) }, o)
	})
};

export function asLocale(value: string | null | undefined): Locale {
	return (locales as readonly string[]).includes(value ?? '') ? (value as Locale) : baseLocale;
}

/** The words of one notification; an unknown kind (a newer node's) reads as its kind name. */
export function renderText(kind: string, params: P, locale: Locale): Text {
	if (!isKind(kind)) return { label: kind, title: kind, body: '' };
	return texts[kind](params ?? {}, { locale });
}

/** The kind's name for the preferences page. */
export function kindLabel(kind: NotificationKind, locale: Locale): string {
	return texts[kind]({}, { locale }).label;
}

export function toInboxItem(row: { id: string; kind: string; params: P; link: string | null; readAt: Date | null; createdAt: Date }, locale: Locale): InboxItem {
	const t = renderText(row.kind, row.params, locale);
	return { id: row.id, kind: row.kind, title: t.title, body: t.body, link: row.link, read: row.readAt !== null, createdAt: row.createdAt.toISOString() };
}
