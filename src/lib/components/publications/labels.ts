// Labels of the publication pages, shared by the public and the staff views.
import { m } from '$lib/paraglide/messages';

export function beijing(at: string | Date | null | undefined): string {
	if (!at) return '';
	const d = new Date(new Date(at).getTime() + 8 * 3_600_000).toISOString();
	return `${d.slice(0, 10)} ${d.slice(11, 16)}`;
}

export function publicationState(p: { status: string; accepting: boolean }): { label: string; tone: 'green' | 'amber' | 'gray' } {
	if (p.status === 'final') return { label: m.pub_final(), tone: 'gray' };
	return p.accepting ? { label: m.pub_open(), tone: 'green' } : { label: m.pub_ended(), tone: 'amber' };
}

export const unitLabel = (unit: string) => (unit === 'days' ? m.pub_unit_days() : m.pub_unit_workingDays());
export const outcomeLabel = (o: string) => (o === 'accredited' ? m.pub_outcome_accredited() : m.pub_outcome_fund());
export const kindLabel = (k: string) => (k === 'accreditation' ? m.pub_kind_accreditation() : m.pub_kind_funding());

export function objectionStatusLabel(s: string): string {
	return ({ received: m.pub_status_received, acknowledged: m.pub_status_acknowledged, upheld: m.pub_status_upheld, dismissed: m.pub_status_dismissed } as Record<string, () => string>)[s]?.() ?? s;
}
export function objectionTone(s: string): 'blue' | 'amber' | 'red' | 'green' {
	return s === 'upheld' ? 'red' : s === 'dismissed' ? 'green' : s === 'acknowledged' ? 'amber' : 'blue';
}
