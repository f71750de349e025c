import { describe, expect, it } from 'vitest';
import { TRANSITIONS, canTransition } from './status';

describe('application status machine', () => {
	it('allows the path of an application to the meeting', () => {
		const path = ['draft', 'submitted', 'accepted', 'assigned', 'reviewed', 'decided'] as const;
		for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1], path[i]), `${path[i - 1]} → ${path[i]}`).toBe(true);
		expect(canTransition('submitted', 'rejected')).toBe(true);
	});

	it('refuses skipping intake, going back to draft, and leaving a final state', () => {
		expect(canTransition('draft', 'accepted')).toBe(false);
		expect(canTransition('submitted', 'assigned')).toBe(false);
		expect(canTransition('submitted', 'draft')).toBe(false);
		expect(canTransition('accepted', 'submitted')).toBe(false);
		expect(canTransition('rejected', 'accepted')).toBe(false);
		expect(canTransition('rejected', 'submitted')).toBe(false);
		expect(canTransition('withdrawn', 'draft')).toBe(false);
		expect(canTransition('draft', 'draft')).toBe(false);
		expect(TRANSITIONS.rejected).toEqual([]);
		expect(TRANSITIONS.withdrawn).toEqual([]);
	});
});
