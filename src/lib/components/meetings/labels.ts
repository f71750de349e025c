// Localized labels for scheduling meetings: states, roles, conflict reasons, vote shares.
import { m } from '$lib/paraglide/messages';
import type { Tone } from '$lib/labels';

const statusLabels: Record<string, () => string> = { scheduled: m.meetings_status_scheduled, open: m.meetings_status_open, closed: m.meetings_status_closed };
export const meetingStatusLabel = (s: string) => statusLabels[s]?.() ?? s;
export const meetingStatusTone = (s: string): Tone => (s === 'open' ? 'green' : s === 'scheduled' ? 'blue' : 'gray');

const roleLabels: Record<string, () => string> = { chair: m.meetings_role_chair, secretary: m.meetings_role_secretary, expert: m.meetings_role_expert, observer: m.meetings_role_observer };
export const meetingRoleLabel = (r: string) => roleLabels[r]?.() ?? r;

/** “同单位：清华大学”, “本人申明：…”. */
export function conflictLabel(kind: string, reason: string): string {
	if (kind === 'institution') return m.meetings_conflict_institution({ reason });
	if (kind === 'declared') return m.meetings_conflict_declared({ reason });
	return m.meetings_conflict_recorded({ reason });
}

/** The vote shares offered for quorum and ballot threshold (DOMAIN.md: 2/3 by default, 3/5 for some awards). */
export const SHARES = [
	{ value: '0.500', label: m.meetings_share_half },
	{ value: '0.600', label: m.meetings_share_three_fifths },
	{ value: '0.667', label: m.meetings_share_two_thirds },
	{ value: '0.750', label: m.meetings_share_three_quarters },
	{ value: '1.000', label: m.meetings_share_all }
];

/** “14:20” in Beijing time, when an agenda that starts at `start` reaches `minutes` later. */
export function beijingClock(start: Date | string, minutes: number): string {
	const d = new Date(new Date(start).getTime() + minutes * 60_000 + 8 * 3600_000);
	return d.toISOString().slice(11, 16);
}
