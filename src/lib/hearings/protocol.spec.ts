import { describe, expect, it } from 'vitest';
import { phaseRemaining, type HearingClock } from './protocol';

const clock = (c: Partial<HearingClock>): HearingClock => ({
	phase: 'pending',
	presentationMinutes: 12,
	questionMinutes: 13,
	presentationStartedAt: null,
	questionsStartedAt: null,
	endedAt: null,
	...c
});

describe('the hearing time box', () => {
	const t0 = Date.parse('2026-12-20T01:00:00Z');
	it('counts the running phase down, and past zero when it overruns', () => {
		const presenting = clock({ phase: 'presentation', presentationStartedAt: new Date(t0).toISOString() });
		expect(phaseRemaining(presenting, t0 + 60_000)).toBe(11 * 60);
		expect(phaseRemaining(presenting, t0 + 13 * 60_000)).toBe(-60);
		const asking = clock({ phase: 'questions', presentationStartedAt: new Date(t0).toISOString(), questionsStartedAt: new Date(t0 + 12 * 60_000).toISOString() });
		expect(phaseRemaining(asking, t0 + 25 * 60_000)).toBe(0);
		expect(phaseRemaining(asking, t0 + 26 * 60_000)).toBe(-60);
	});
	it('has nothing to count before it starts and after it ends', () => {
		expect(phaseRemaining(clock({}), t0)).toBeNull();
		expect(phaseRemaining(clock({ phase: 'ended', presentationStartedAt: new Date(t0).toISOString(), endedAt: new Date(t0).toISOString() }), t0)).toBeNull();
	});
});
