// The hearing's Socket.IO protocol (答辩), apart from the meeting room's: an applicant's socket
// speaks only this, and what it receives is built by its own minimal view
// (src/lib/server/meetings/hearings/view.ts) from its own item alone. Members watching the
// hearings of their meeting (the chair's time box, the secretary's check-in) get a control view.
import { z } from 'zod';

if (typeof window !== 'undefined') z.config({ jitless: true });

export const HEARING_PHASES = ['pending', 'presentation', 'questions', 'ended'] as const;
export type HearingPhase = (typeof HEARING_PHASES)[number];

const id = z.uuid();

export const hearingClientEvents = {
	/** The applicant enters the hearing of their item (checked in first). */
	'hearing:join': z.object({ itemId: id }),
	'hearing:leave': z.object({ itemId: id }),
	/** A member follows the hearings of the meeting (time boxes, check-ins). */
	'hearing:watch': z.object({ meetingId: id }),
	/** The chair moves the hearing on: presentation, questions, end. */
	'hearing:phase': z.object({ meetingId: id, itemId: id, phase: z.enum(['presentation', 'questions', 'ended']) })
} as const;

export type HearingEventName = keyof typeof hearingClientEvents;
export type HearingEvent<K extends HearingEventName> = z.input<(typeof hearingClientEvents)[K]>;
export const hearingEventNames = Object.keys(hearingClientEvents) as HearingEventName[];

export type HearingErrorCode =
	| 'invalid'
	| 'rateLimited'
	| 'notFound'
	| 'forbidden'
	| 'notCheckedIn'
	| 'tooMany'
	| 'notOpen'
	| 'notCurrent'
	| 'badPhase'
	| 'unavailable'
	| 'server';

export type HearingAck<T = undefined> =
	| ({ ok: true } & (T extends undefined ? object : { data: T }))
	| { ok: false; error: HearingErrorCode; message: string };

/** The time box: what the applicant and the chair both count down. */
export interface HearingClock {
	phase: HearingPhase;
	presentationMinutes: number;
	questionMinutes: number;
	presentationStartedAt: string | null;
	questionsStartedAt: string | null;
	endedAt: string | null;
}

export interface HearingQuestionView {
	id: string;
	body: string;
	/** The expert's name, unless the hearing hides authors. */
	author: string | null;
}

/**
 * What an applicant's socket receives: their own item while it is the room's current one, or
 * only that they are waiting. Never another item, a score, a ballot, a decision, or (unless
 * the hearing allows it) who sits on the panel.
 */
export type ApplicantHearingView =
	| { status: 'waiting'; itemId: string; number: string; projectTitle: string; scheduledAt: string; serverTime: string }
	| {
			status: 'live';
			itemId: string;
			number: string;
			projectTitle: string;
			enterpriseName: string;
			scheduledAt: string;
			serverTime: string;
			clock: HearingClock;
			questions: HearingQuestionView[];
			/** Only when the hearing allows the applicant to see the panel. */
			members: { name: string; role: 'chair' | 'secretary' | 'expert' | 'observer' }[] | null;
			representatives: { name: string; position: string }[];
	  };

/** One hearing as the meeting's members follow it (items they are recused from are left out). */
export interface HearingControlItem {
	itemId: string;
	clock: HearingClock;
	scheduledAt: string;
	maxRepresentatives: number;
	representatives: { id: string; name: string; position: string; checkedInAt: string | null }[];
	questionCount: number;
	/** The applicant's sockets in the hearing now. */
	applicantsConnected: number;
}

export interface HearingControlView {
	meetingId: string;
	serverTime: string;
	hearings: HearingControlItem[];
}

export interface HearingServerEvents {
	'hearing:state': (view: ApplicantHearingView) => void;
	'hearing:control': (view: HearingControlView) => void;
}

/** Seconds left in the current phase (negative: overrun), or null when no phase runs. */
export function phaseRemaining(clock: HearingClock, now: number): number | null {
	if (clock.phase === 'presentation' && clock.presentationStartedAt) return clock.presentationMinutes * 60 - (now - Date.parse(clock.presentationStartedAt)) / 1000;
	if (clock.phase === 'questions' && clock.questionsStartedAt) return clock.questionMinutes * 60 - (now - Date.parse(clock.questionsStartedAt)) / 1000;
	return null;
}
