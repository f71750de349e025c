// The room's event limits as rate-limiter-flexible counts them: a burst of BURST passes, the next
// event is refused, a second later RATE more pass, and a key forgotten starts afresh.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BURST, RATE, eventLimiter } from './limiter';

async function takeMany(limiter: ReturnType<typeof eventLimiter>, key: string, n: number): Promise<number> {
	let passed = 0;
	for (let i = 0; i < n; i++) if (await limiter.take(key)) passed++;
	return passed;
}

describe('event limiter', () => {
	beforeEach(() => {
		vi.useFakeTimers();
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it('lets a burst through, refuses the flood, and serves again a second later', async () => {
		const limiter = eventLimiter();
		expect(await takeMany(limiter, 'a', 100)).toBe(BURST);
		// Another socket is counted apart.
		expect(await limiter.take('b')).toBe(true);
		vi.advanceTimersByTime(1100);
		expect(await takeMany(limiter, 'a', 100)).toBe(RATE);
		// The burst allowance comes back after BURST / RATE seconds, as the bucket refilled.
		vi.advanceTimersByTime((BURST / RATE) * 1000);
		expect(await takeMany(limiter, 'a', 100)).toBe(BURST);
	});

	it('forgets a socket that is gone', async () => {
		const limiter = eventLimiter();
		expect(await takeMany(limiter, 'a', 40)).toBe(BURST);
		limiter.forget('a');
		expect(await limiter.take('a')).toBe(true);
	});
});
