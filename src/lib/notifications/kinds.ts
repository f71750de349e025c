// The kinds of notification and what each carries. Shared by the server (notify, render,
// mail) and the pages (preferences). A new kind: add it here with its params, and its
// notif_<kind>_title / _body / _label messages in messages/notifications/.

/** Dates travel as ISO strings; names come in both languages where Panelroom has both. */
export interface NotificationParams {
	/** An expert was assigned an application to review. */
	assignment_made: { number: string; title: string; form: 'technical' | 'finance'; callTitle: string; callTitleEn: string; deadline?: string | null };
	/** An assignment was taken off the expert (by staff). */
	assignment_withdrawn: { number: string; title: string; reason: string };
	/** The review deadline (or the expert's extension) is 3 days / 1 day away, sheet unfinished. */
	review_deadline_3d: { number: string; title: string; deadline: string };
	review_deadline_1d: { number: string; title: string; deadline: string };
	/** Staff pressed "remind" on the call's progress page. */
	review_reminder: { callTitle: string; callTitleEn: string; pending: number; deadline?: string | null; from: string };
	/** The division extended the expert's review deadline. */
	review_extended: { number: string; title: string; until: string; reason: string };
	/** The person became a member of a meeting. */
	meeting_scheduled: { meetingId: string; title: string; startsAt: string; place: string };
	/** A meeting the person is a member of moved or changed. */
	meeting_changed: { meetingId: string; title: string; startsAt: string; place: string };
	/** Hearings (答辩): the applicant is invited to defend their project. */
	hearing_invitation: { number: string; title: string; meetingTitle: string; startsAt: string; place: string };
	/** Intake accepted / rejected the application. */
	application_accepted: { number: string; title: string };
	application_rejected: { number: string; title: string; reason: string };
	/** The proposed list with the application on it was published (公示). */
	decision_published: { number: string; title: string; callTitle: string; callTitleEn: string; until?: string | null };
	/** Staff: an objection was lodged; the objector: it was received. */
	objection_received: { number: string; title: string; objector: string };
	/** The objector: the objection was decided, upheld or dismissed, with the reason. */
	objection_answered: { number: string; title: string; outcome: 'upheld' | 'dismissed'; reason: string };
	/** A member: the lead submitted the panel's opinion for co-signing (again, if it changed). */
	opinion_to_sign: { number: string; title: string; itemId: string };
	/** The applicant: the division released the panel's opinion and the decision. */
	opinion_released: { number: string; title: string };
	/** A document was shared with the person. */
	document_shared: { title: string; by: string; access: 'view' | 'comment' | 'edit' };
	/** Someone commented on a document the person owns or shares. */
	document_commented: { title: string; by: string; excerpt: string };
}

export type NotificationKind = keyof NotificationParams;

export const NOTIFICATION_KINDS = [
	'assignment_made',
	'assignment_withdrawn',
	'review_deadline_3d',
	'review_deadline_1d',
	'review_reminder',
	'review_extended',
	'meeting_scheduled',
	'meeting_changed',
	'hearing_invitation',
	'application_accepted',
	'application_rejected',
	'decision_published',
	'objection_received',
	'objection_answered',
	'opinion_to_sign',
	'opinion_released',
	'document_shared',
	'document_commented'
] as const satisfies readonly NotificationKind[];

export const NOTIFICATION_MODES = ['on', 'off', 'digest'] as const;
export type NotificationMode = (typeof NOTIFICATION_MODES)[number];

/** What a kind's mail does when the person chose nothing. */
export const DEFAULT_MODE: NotificationMode = 'on';

export function isKind(k: string): k is NotificationKind {
	return (NOTIFICATION_KINDS as readonly string[]).includes(k);
}

/** One notification as the inbox and the bell show it, text already in the reader's language. */
export interface InboxItem {
	id: string;
	kind: string;
	title: string;
	body: string;
	link: string | null;
	read: boolean;
	createdAt: string;
}

/** Socket.IO event to the user's own room: their unread count changed. */
export const UNREAD_EVENT = 'notifications:unread';
export interface UnreadPayload {
	unread: number;
	/** The newest notification, when one just arrived. */
	latest?: InboxItem;
}
