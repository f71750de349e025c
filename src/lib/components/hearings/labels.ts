// The hearing's words in the browser: phases, ID documents, and a time box reading (m:ss).
import { m } from '$lib/paraglide/messages';
import type { HearingPhase } from '$lib/hearings/protocol';

export const phaseLabel = (p: HearingPhase): string =>
	({ pending: m.hrg_phase_pending, presentation: m.hrg_phase_presentation, questions: m.hrg_phase_questions, ended: m.hrg_phase_ended })[p]();

const TONES = { pending: 'gray', presentation: 'blue', questions: 'violet', ended: 'green' } as const;
export const phaseTone = (p: HearingPhase) => TONES[p];

export const ID_TYPES = ['idCard', 'passport', 'hkMacauPass', 'other'] as const;
const ID_LABELS: Record<string, () => string> = { idCard: m.hrg_id_idCard, passport: m.hrg_id_passport, hkMacauPass: m.hrg_id_hkMacauPass, other: m.hrg_id_other };
export const idTypeLabel = (t: string | null): string => ID_LABELS[t ?? 'other']?.() ?? t ?? '';

/** Seconds as m:ss (the sign is the caller's: remaining or over). */
export function clockText(seconds: number): string {
	const s = Math.max(0, Math.floor(Math.abs(seconds)));
	return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
