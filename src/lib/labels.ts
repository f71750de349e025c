// Localized labels for the codes the domain uses (GLOSSARY.md), for pages and exports.
// The lists of codes themselves are in $lib/values.
import { m } from '$lib/paraglide/messages';
import type { ApplicationStatus, FundingMode, TechnicalField } from '$lib/values';

const fieldLabels: Record<TechnicalField, () => string> = {
	electronicInformation: m.field_electronicInformation,
	biomedicine: m.field_biomedicine,
	newMaterials: m.field_newMaterials,
	optoMechatronics: m.field_optoMechatronics,
	resourcesEnvironment: m.field_resourcesEnvironment,
	newEnergy: m.field_newEnergy,
	highTechServices: m.field_highTechServices
};
export const fieldLabel = (f: string) => fieldLabels[f as TechnicalField]?.() ?? f;

const modeLabels: Record<FundingMode, () => string> = { grant: m.mode_grant, interestSubsidy: m.mode_interestSubsidy, equity: m.mode_equity };
export const modeLabel = (mode: string) => modeLabels[mode as FundingMode]?.() ?? mode;

const statusLabels: Record<ApplicationStatus, () => string> = {
	draft: m.status_draft,
	submitted: m.status_submitted,
	accepted: m.status_accepted,
	rejected: m.status_rejected,
	assigned: m.status_assigned,
	reviewed: m.status_reviewed,
	decided: m.status_decided,
	withdrawn: m.status_withdrawn
};
export const statusLabel = (s: string) => statusLabels[s as ApplicationStatus]?.() ?? s;

export type Tone = 'gray' | 'blue' | 'green' | 'amber' | 'red' | 'violet';
const statusTones: Record<ApplicationStatus, Tone> = {
	draft: 'gray',
	submitted: 'blue',
	accepted: 'green',
	rejected: 'red',
	assigned: 'violet',
	reviewed: 'violet',
	decided: 'amber',
	withdrawn: 'gray'
};
export const statusTone = (s: string): Tone => statusTones[s as ApplicationStatus] ?? 'gray';

const roleLabels: Record<string, () => string> = { head: m.role_head, deputy: m.role_deputy, staff: m.role_staff };
export const roleLabel = (r: string) => roleLabels[r]?.() ?? r;

export const expertKindLabel = (k: string) => (k === 'finance' ? m.expert_kind_finance() : m.expert_kind_technical());

/** A name in the current language, from a Chinese name and its English one. */
export function localized(locale: string, zh: string, en: string | null | undefined): string {
	return locale === 'en' && en ? en : zh;
}

/** Dates and times in Beijing time, as everyone at the center reads them. */
export function formatDateTime(value: Date | string | null | undefined, locale: string): string {
	if (!value) return '';
	const d = typeof value === 'string' ? new Date(value) : value;
	return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
		timeZone: 'Asia/Shanghai',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		hour12: false
	}).format(d);
}

export function formatDate(value: Date | string | null | undefined, locale: string): string {
	if (!value) return '';
	const d = typeof value === 'string' ? new Date(value) : value;
	return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

export function formatAmount(value: string | number, locale: string): string {
	const n = typeof value === 'string' ? Number(value) : value;
	return new Intl.NumberFormat(locale === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: 2 }).format(n);
}

const stageLabels: Record<string, () => string> = { eligibility: m.stage_eligibility, formal: m.stage_formal, content: m.stage_content };
export const stageLabel = (s: string) => stageLabels[s]?.() ?? s;

const attachmentKindLabels: Record<string, () => string> = { proposal: m.attachment_proposal, financials: m.attachment_financials, other: m.attachment_other };
export const attachmentKindLabel = (k: string) => attachmentKindLabels[k]?.() ?? k;

const callStatusLabels: Record<string, () => string> = { draft: m.call_status_draft, open: m.call_status_open, closed: m.call_status_closed };
export const callStatusLabel = (s: string) => callStatusLabels[s]?.() ?? s;
export const callStatusTone = (s: string): Tone => (s === 'open' ? 'green' : s === 'draft' ? 'gray' : 'amber');

export const selectionLabel = (s: string) => (s === 'draw' ? m.selection_draw() : m.selection_matching());
export const aggregationLabel = (s: string) => (s === 'trimmedMean' ? m.aggregation_trimmed() : m.aggregation_mean());
export const formLabel = (f: string) => (f === 'finance' ? m.form_finance() : m.form_technical());

const assignmentStatusLabels: Record<string, () => string> = { active: m.assignment_active, declined: m.assignment_declined, removed: m.assignment_removed };
export const assignmentStatusLabel = (s: string) => assignmentStatusLabels[s]?.() ?? s;
const sourceLabels: Record<string, () => string> = { matching: m.source_matching, draw: m.source_draw, manual: m.source_manual };
export const sourceLabel = (s: string) => sourceLabels[s]?.() ?? s;
const matchLabels: Record<string, () => string> = { primary: m.match_primary, secondary: m.match_secondary, none: m.match_none };
export const matchLabel = (s: string) => matchLabels[s]?.() ?? s;

export const reviewStatusLabel = (s: string | null | undefined) => (s === 'submitted' ? m.review_status_submitted() : s === 'draft' ? m.review_status_draft() : m.review_status_none());
export const reviewStatusTone = (s: string | null | undefined): Tone => (s === 'submitted' ? 'green' : s === 'draft' ? 'amber' : 'gray');
export const recommendationLabel = (s: string | null | undefined) => (s === 'fund' ? m.recommend_fund() : s === 'decline' ? m.recommend_decline() : '');

/** Punctuation by language: 、 and ： in Chinese, ", " and ": " in English. */
export const joinList = (items: string[]) => items.join(m.punct_list());
export const colon = () => m.punct_colon();
export const paren = (text: string | number) => m.punct_paren({ text: String(text) });

/** A file size in KB or MB. */
export function formatSize(bytes: number): string {
	return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
