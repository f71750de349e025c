// The audit log in words: each action code, object type and detail as staff read them, in the
// user's language. Used by the audit page and its export; a code added elsewhere without a
// label here shows as its code, never as nothing.
import { m } from '$lib/paraglide/messages';
import { formLabel, modeLabel, recommendationLabel, statusLabel } from '$lib/labels';

const actions: Record<string, () => string> = {
	'auth.login': m.audit_a_auth_login,
	'auth.login_failed': m.audit_a_auth_login_failed,
	'auth.login_throttled': m.audit_a_auth_login_throttled,
	'auth.login_refused_inactive': m.audit_a_auth_login_refused_inactive,
	'auth.logout': m.audit_a_auth_logout,
	'auth.register': m.audit_a_auth_register,
	'auth.password_changed': m.audit_a_auth_password_changed,
	'auth.signed_out_others': m.audit_a_auth_signed_out_others,
	'user.created': m.audit_a_user_created,
	'user.updated': m.audit_a_user_updated,
	'user.deactivated': m.audit_a_user_deactivated,
	'user.reactivated': m.audit_a_user_reactivated,
	'user.password_reset': m.audit_a_user_password_reset,
	'call.created': m.audit_a_call_created,
	'call.updated': m.audit_a_call_updated,
	'call.guideline_linked': m.audit_a_call_guideline_linked,
	'application.created': m.audit_a_application_created,
	'application.imported': m.audit_a_application_imported,
	'application.status': m.audit_a_application_status,
	'application.attachment_added': m.audit_a_application_attachment_added,
	'application.attachment_removed': m.audit_a_application_attachment_removed,
	'attachment.downloaded': m.audit_a_attachment_downloaded,
	'intake.checked': m.audit_a_intake_checked,
	'import.applications': m.audit_a_import_applications,
	'import.experts': m.audit_a_import_experts,
	'expert.created': m.audit_a_expert_created,
	'expert.updated': m.audit_a_expert_updated,
	'expert.profile_updated': m.audit_a_expert_profile_updated,
	'conflict.declared': m.audit_a_conflict_declared,
	'conflict.recorded': m.audit_a_conflict_recorded,
	'conflict.withdrawn': m.audit_a_conflict_withdrawn,
	'assignment.matching': m.audit_a_assignment_matching,
	'assignment.draw': m.audit_a_assignment_draw,
	'assignment.added': m.audit_a_assignment_added,
	'assignment.removed': m.audit_a_assignment_removed,
	'assignment.declined': m.audit_a_assignment_declined,
	'review.submitted': m.audit_a_review_submitted,
	'review.returned': m.audit_a_review_returned,
	'meeting.created': m.audit_a_meeting_created,
	'meeting.updated': m.audit_a_meeting_updated,
	'meeting.deleted': m.audit_a_meeting_deleted,
	'meeting.members_set': m.audit_a_meeting_members_set,
	'meeting.agenda_set': m.audit_a_meeting_agenda_set,
	'meeting.started': m.audit_a_meeting_started,
	'meeting.closed': m.audit_a_meeting_closed,
	'meeting.round_revealed': m.audit_a_meeting_round_revealed,
	'meeting.round_opened': m.audit_a_meeting_round_opened,
	'meeting.ballot_opened': m.audit_a_meeting_ballot_opened,
	'meeting.ballot_closed': m.audit_a_meeting_ballot_closed,
	'meeting.summary_set': m.audit_a_meeting_summary_set,
	'meeting.sheet_signed': m.audit_a_meeting_sheet_signed,
	'meeting.summary_confirmed': m.audit_a_meeting_summary_confirmed,
	'meeting.decision_locked': m.audit_a_meeting_decision_locked,
	'meeting.decision_reopened': m.audit_a_meeting_decision_reopened,
	'document.created': m.audit_a_document_created,
	'document.shared': m.audit_a_document_shared,
	'document.restored': m.audit_a_document_restored,
	'document.locked': m.audit_a_document_locked,
	'document.reopened': m.audit_a_document_reopened,
	'audit.verified': m.audit_a_audit_verified,
	'audit.exported': m.audit_a_audit_exported,
	'backup.created': m.audit_a_backup_created,
	'backup.restored': m.audit_a_backup_restored,
	'demo.seeded': m.audit_a_demo_seeded,
};

export const AUDIT_ACTIONS = Object.keys(actions);

const groups: Record<string, () => string> = {
	auth: m.audit_g_auth,
	user: m.audit_g_user,
	call: m.audit_g_call,
	application: m.audit_g_application,
	attachment: m.audit_g_attachment,
	intake: m.audit_g_intake,
	import: m.audit_g_import,
	expert: m.audit_g_expert,
	conflict: m.audit_g_conflict,
	assignment: m.audit_g_assignment,
	review: m.audit_g_review,
	meeting: m.audit_g_meeting,
	document: m.audit_g_document,
	audit: m.audit_g_audit,
	backup: m.audit_g_backup,
	demo: m.audit_g_demo,
};

export const AUDIT_GROUPS = Object.keys(groups);

const entities: Record<string, () => string> = {
	user: m.audit_e_user,
	application: m.audit_e_application,
	call: m.audit_e_call,
	meeting: m.audit_e_meeting,
	meeting_item: m.audit_e_meeting_item,
	assignment: m.audit_e_assignment,
	expert: m.audit_e_expert,
	document: m.audit_e_document,
};

export const AUDIT_ENTITY_TYPES = Object.keys(entities);

const detailKeys: Record<string, () => string> = {
	number: m.audit_k_number,
	title: m.audit_k_title,
	from: m.audit_k_from,
	to: m.audit_k_to,
	reason: m.audit_k_reason,
	version: m.audit_k_version,
	sha256: m.audit_k_sha256,
	outcome: m.audit_k_outcome,
	amount: m.audit_k_amount,
	fundingMode: m.audit_k_fundingMode,
	username: m.audit_k_username,
	name: m.audit_k_name,
	kind: m.audit_k_kind,
	code: m.audit_k_code,
	status: m.audit_k_status,
	round: m.audit_k_round,
	submitted: m.audit_k_submitted,
	auto: m.audit_k_auto,
	eligible: m.audit_k_eligible,
	members: m.audit_k_members,
	checks: m.audit_k_checks,
	rows: m.audit_k_rows,
	line: m.audit_k_line,
	externalRef: m.audit_k_externalRef,
	form: m.audit_k_form,
	expertName: m.audit_k_expertName,
	expertId: m.audit_k_expertId,
	applicationId: m.audit_k_applicationId,
	application: m.audit_k_application,
	userId: m.audit_k_userId,
	access: m.audit_k_access,
	documentId: m.audit_k_documentId,
	decisionId: m.audit_k_decisionId,
	lockId: m.audit_k_lockId,
	attachmentId: m.audit_k_attachmentId,
	size: m.audit_k_size,
	minutesDocumentId: m.audit_k_minutesDocumentId,
	ballotId: m.audit_k_ballotId,
	callId: m.audit_k_callId,
	meetingId: m.audit_k_meetingId,
	startsAt: m.audit_k_startsAt,
	place: m.audit_k_place,
	videoLink: m.audit_k_videoLink,
	seq: m.audit_k_seq,
	template: m.audit_k_template,
	owner: m.audit_k_owner,
	institution: m.audit_k_institution,
	changed: m.audit_k_changed,
	rubric: m.audit_k_rubric,
	step: m.audit_k_step,
	dissent: m.audit_k_dissent,
	length: m.audit_k_length,
	count: m.audit_k_count,
	ok: m.audit_k_ok,
	file: m.audit_k_file,
	auditSeq: m.audit_k_auditSeq,
	source: m.audit_k_source,
	createdAt: m.audit_k_createdAt,
	carried: m.audit_k_carried,
	fund: m.audit_k_fund,
	decline: m.audit_k_decline,
	abstain: m.audit_k_abstain,
	threshold: m.audit_k_threshold,
	seed: m.audit_k_seed,
	assigned: m.audit_k_assigned,
	unstaffed: m.audit_k_unstaffed,
	runId: m.audit_k_runId,
	items: m.audit_k_items,
	added: m.audit_k_added,
	removed: m.audit_k_removed,
	enterprise: m.audit_k_enterprise,
	firstBad: m.audit_k_firstBad,
	brokenAt: m.audit_k_brokenAt,
	anchors: m.audit_k_anchors,
	reopened: m.audit_k_reopened,
	email: m.audit_k_email,
	isAdmin: m.audit_k_isAdmin,
	active: m.audit_k_active,
	memberships: m.audit_k_memberships,
	previousStatus: m.audit_k_previousStatus,
	total: m.audit_k_total,
	vetoed: m.audit_k_vetoed,
	passed: m.audit_k_passed,
	conflictId: m.audit_k_conflictId,
	recommendation: m.audit_k_recommendation,
	role: m.audit_k_role,
	actor: m.audit_k_actor,
	action: m.audit_k_action,
	format: m.audit_k_format,
	object: m.audit_k_object,
	entityType: m.audit_k_entityType,
};

export const actionLabel = (action: string) => actions[action]?.() ?? action;
export const groupLabel = (group: string) => groups[group]?.() ?? group;
export const entityTypeLabel = (type: string) => entities[type]?.() ?? type;
export const detailKeyLabel = (key: string) => detailKeys[key]?.() ?? key;

/** Names of the objects an entry mentions, by id (users, applications, meetings, documents…). */
export type Names = Record<string, string>;

export interface DetailItem {
	label: string;
	value: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: unknown): boolean => typeof v === 'string' && UUID.test(v);

const outcomes: Record<string, () => string> = { fund: m.audit_k_fund, decline: m.audit_k_decline, abstain: m.audit_k_abstain };
const meetingRoles: Record<string, () => string> = {
	chair: m.meetings_role_chair,
	secretary: m.meetings_role_secretary,
	expert: m.meetings_role_expert,
	observer: m.meetings_role_observer
};

/** Who did it: a person's name, or "system" for what the app did by itself. */
export const actorLabel = (name: string | null | undefined, id: string | null | undefined) => (!name || (name === 'system' && !id) ? m.audit_system() : name);

function text(value: unknown, names: Names, key?: string): string {
	if (value === null || value === undefined) return '—';
	if (typeof value === 'boolean') return value ? m.audit_yes() : m.audit_no();
	if (typeof value === 'number') return String(value);
	if (typeof value === 'string') {
		if (isUuid(value)) return names[value.toLowerCase()] ?? value.slice(0, 8);
		if (key === 'from' || key === 'to' || key === 'status' || key === 'previousStatus') return statusLabel(value);
		if (key === 'fundingMode') return modeLabel(value);
		if (key === 'outcome') return outcomes[value]?.() ?? value;
		if (key === 'form') return formLabel(value);
		if (key === 'recommendation') return recommendationLabel(value) || value;
		if (key === 'role') return meetingRoles[value]?.() ?? value;
		if (key === 'sha256' || key === 'seal') return value.slice(0, 16) + '…';
		return value;
	}
	if (Array.isArray(value)) return value.map((v) => text(v, names)).join('、');
	const obj = value as Record<string, unknown>;
	// Members and checks read best as "name: role" and "key ✓".
	if ('userId' in obj && 'role' in obj) return `${text(obj.userId, names)}（${text(obj.role, names, 'role')}）`;
	if ('key' in obj && 'passed' in obj) return `${String(obj.key)} ${obj.passed ? '✓' : '✗'}`;
	return Object.entries(obj)
		.filter(([, v]) => v !== undefined && v !== null)
		.map(([k, v]) => `${detailKeyLabel(k)} ${text(v, names, k)}`)
		.join('，');
}

/** The details of an entry as labelled values, ids replaced by names. */
export function detailItems(details: Record<string, unknown> | null | undefined, names: Names): DetailItem[] {
	if (!details) return [];
	return Object.entries(details)
		.filter(([, v]) => v !== undefined && v !== null && v !== '')
		.map(([key, value]) => ({ label: detailKeyLabel(key), value: text(value, names, key) }));
}

export function detailText(details: Record<string, unknown> | null | undefined, names: Names): string {
	return detailItems(details, names)
		.map((d) => `${d.label}：${d.value}`)
		.join('；');
}

const anchorReasons: Record<string, () => string> = {
	start: m.audit_anchor_reason_start,
	stop: m.audit_anchor_reason_stop,
	interval: m.audit_anchor_reason_interval,
	rows: m.audit_anchor_reason_rows,
	'lock:decision': m.audit_anchor_reason_lock_decision,
	'lock:document': m.audit_anchor_reason_lock_document,
	backup: m.audit_anchor_reason_backup,
	restore: m.audit_anchor_reason_restore
};
export const anchorReasonLabel = (reason: string) => anchorReasons[reason]?.() ?? reason;

export interface ProblemLike {
	kind: string;
	seq: number | null;
	line?: number;
	detail?: string;
}

/** One problem verification found, in words. */
export function problemText(p: ProblemLike): string {
	const a = { seq: p.seq ?? 0, line: p.line ?? 0, detail: p.detail ?? '' };
	switch (p.kind) {
		case 'seal':
			return m.audit_p_seal(a);
		case 'hash':
			return m.audit_p_hash(a);
		case 'link':
			return m.audit_p_link(a);
		case 'missing':
			return m.audit_p_missing(a);
		case 'unsealed':
			return m.audit_p_unsealed(a);
		case 'anchor_line':
			return m.audit_p_anchor_line(a);
		case 'anchor':
			return m.audit_p_anchor(a);
		case 'truncated':
			return m.audit_p_truncated(a);
		default:
			return m.audit_p_record(a);
	}
}
