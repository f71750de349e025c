// Labels and number formats of the meeting room, in the page's language.
import { m } from '$lib/paraglide/messages';
import type { BallotChoice, MeetingRole, MeetingView, Outcome, Presence, Spread } from '$lib/meetings/protocol';
import type { Tone } from '$lib/labels';

/** Scores and statistics always show two decimals, so columns line up and nobody reads 85 as 85.00 ≠ 85.4. */
export const score2 = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toFixed(2));

const roles: Record<MeetingRole, () => string> = {
	chair: m.room_role_chair,
	secretary: m.room_role_secretary,
	expert: m.room_role_expert,
	observer: m.room_role_observer
};
export const meetingRoleLabel = (r: MeetingRole | null) => (r ? roles[r]() : m.room_role_admin());

const presences: Record<Presence, () => string> = {
	present: m.room_presence_present,
	away: m.room_presence_away,
	dropped: m.room_presence_dropped,
	absent: m.room_presence_absent
};
export const presenceLabel = (p: Presence) => presences[p]();
export const presenceDot: Record<Presence, string> = {
	present: 'bg-emerald-500',
	away: 'bg-amber-400',
	dropped: 'bg-red-400',
	absent: 'bg-slate-300'
};

const outcomes: Record<Outcome, () => string> = { fund: m.room_outcome_fund, decline: m.room_outcome_decline, defer: m.room_outcome_defer };
export const outcomeLabel = (o: Outcome) => outcomes[o]();
export const outcomeTone = (o: Outcome): Tone => (o === 'fund' ? 'green' : o === 'decline' ? 'red' : 'amber');

const choices: Record<BallotChoice, () => string> = { fund: m.room_choice_fund, decline: m.room_choice_decline, abstain: m.room_choice_abstain };
export const choiceLabel = (c: BallotChoice) => choices[c]();

type Status = MeetingView['meeting']['status'];
const statuses: Record<Status, () => string> = { scheduled: m.room_status_scheduled, open: m.room_status_open, closed: m.room_status_closed };
export const meetingStatusLabel = (s: Status) => statuses[s]();
export const meetingStatusTone = (s: Status): Tone => (s === 'open' ? 'green' : s === 'closed' ? 'gray' : 'blue');

/** A share as people say it: 0.667 → 2/3, 0.6 → 3/5, otherwise a percentage. */
export function ratioLabel(r: number): string {
	for (const [n, d] of [
		[1, 2],
		[2, 3],
		[3, 4],
		[3, 5],
		[4, 5]
	]) {
		if (Math.abs(r - n / d) < 0.001) return `${n}/${d}`;
	}
	return `${Math.round(r * 1000) / 10}%`;
}

/** Two characters for an avatar: the given name of a Chinese name, initials of a Latin one. */
export function initials(name: string): string {
	const t = name.trim();
	if (/^[\x20-\x7e]+$/.test(t)) {
		const parts = t.split(/\s+/);
		return (parts.length > 1 ? parts[0][0] + parts[parts.length - 1][0] : t.slice(0, 2)).toUpperCase();
	}
	return t.length > 2 ? t.slice(-2) : t;
}

/** mm:ss, with hours folded into minutes (a time box is never that long). */
export function clock(ms: number): string {
	const s = Math.floor(Math.abs(ms) / 1000);
	return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** Mean, median, population standard deviation and range, to two decimals (as the server's stats). */
export function spread(values: number[]): Spread {
	if (values.length === 0) return { mean: null, median: null, stdev: null, min: null, max: null, range: null, discrepancy: false };
	const r2 = (x: number) => Math.round(x * 100) / 100;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	const mean = values.reduce((a, b) => a + b, 0) / values.length;
	const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
	const stdev = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
	const min = sorted[0];
	const max = sorted[sorted.length - 1];
	return { mean: r2(mean), median: r2(median), stdev: r2(stdev), min, max, range: r2(max - min), discrepancy: false };
}
