// Localized labels for document kinds, rights, templates and versions (pages and components).
import { m } from '$lib/paraglide/messages';
import type { Tone } from '$lib/labels';

export const KINDS = ['plan', 'guideline', 'minutes', 'notes', 'other'] as const;
export type Kind = (typeof KINDS)[number];

const kinds: Record<string, () => string> = {
	plan: m.doc_kind_plan,
	guideline: m.doc_kind_guideline,
	minutes: m.doc_kind_minutes,
	notes: m.doc_kind_notes,
	other: m.doc_kind_other
};
export const kindLabel = (k: string) => kinds[k]?.() ?? k;
const kindTones: Record<string, Tone> = { plan: 'blue', guideline: 'violet', minutes: 'amber', notes: 'green', other: 'gray' };
export const kindTone = (k: string): Tone => kindTones[k] ?? 'gray';

const access: Record<string, () => string> = { edit: m.doc_access_edit, comment: m.doc_access_comment, view: m.doc_access_view };
export const accessLabel = (a: string) => access[a]?.() ?? a;

export const TEMPLATE_KEYS = ['blank', 'annualPlan', 'callGuideline'] as const;
const templates: Record<string, () => string> = {
	blank: m.doc_template_blank,
	annualPlan: m.doc_template_annualPlan,
	callGuideline: m.doc_template_callGuideline
};
export const templateLabel = (t: string) => templates[t]?.() ?? t;

/** What a version is called in lists: its name, or what made it. */
export function versionLabel(v: { kind: string; name: string | null; number: number }): string {
	switch (v.kind) {
		case 'initial':
			return m.doc_version_kind_initial();
		case 'auto':
			return m.doc_version_kind_auto();
		case 'restore':
			return m.doc_version_kind_restore({ number: v.name ?? '?' });
		case 'lock':
			return m.doc_version_kind_lock();
		case 'reopen':
			return m.doc_version_kind_reopen({ reason: v.name ?? '' });
		default:
			return v.name || m.doc_version_kind_manual();
	}
}
