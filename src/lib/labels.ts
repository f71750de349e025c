// Localized labels for the codes the domain uses (GLOSSARY.md), for pages and exports.
import { m } from '$lib/paraglide/messages';

export const FIELDS = [
	'electronicInformation',
	'biomedicine',
	'newMaterials',
	'optoMechatronics',
	'resourcesEnvironment',
	'newEnergy',
	'highTechServices'
] as const;
export type Field = (typeof FIELDS)[number];

const fieldLabels: Record<Field, () => string> = {
	electronicInformation: m.field_electronicInformation,
	biomedicine: m.field_biomedicine,
	newMaterials: m.field_newMaterials,
	optoMechatronics: m.field_optoMechatronics,
	resourcesEnvironment: m.field_resourcesEnvironment,
	newEnergy: m.field_newEnergy,
	highTechServices: m.field_highTechServices
};
export const fieldLabel = (f: string) => fieldLabels[f as Field]?.() ?? f;

export const FUNDING_MODES = ['grant', 'interestSubsidy', 'equity'] as const;
const modeLabels: Record<string, () => string> = { grant: m.mode_grant, interestSubsidy: m.mode_interestSubsidy, equity: m.mode_equity };
export const modeLabel = (mode: string) => modeLabels[mode]?.() ?? mode;

export const APPLICATION_STATUSES = ['draft', 'submitted', 'accepted', 'rejected', 'assigned', 'reviewed', 'decided', 'withdrawn'] as const;
const statusLabels: Record<string, () => string> = {
	draft: m.status_draft,
	submitted: m.status_submitted,
	accepted: m.status_accepted,
	rejected: m.status_rejected,
	assigned: m.status_assigned,
	reviewed: m.status_reviewed,
	decided: m.status_decided,
	withdrawn: m.status_withdrawn
};
export const statusLabel = (s: string) => statusLabels[s]?.() ?? s;

export type Tone = 'gray' | 'blue' | 'green' | 'amber' | 'red' | 'violet';
const statusTones: Record<string, Tone> = {
	draft: 'gray',
	submitted: 'blue',
	accepted: 'green',
	rejected: 'red',
	assigned: 'violet',
	reviewed: 'violet',
	decided: 'amber',
	withdrawn: 'gray'
};
export const statusTone = (s: string): Tone => statusTones[s] ?? 'gray';

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
