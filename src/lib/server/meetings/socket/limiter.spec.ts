// The room's event limits as rate-limiter-flexible counts them: a burst of BURST passes, the next
// event is refused, a second later RATE more pass, and a key forgotten starts afresh.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BURST, BURST_WINDOW_S, RATE, eventLimiter } from './limiter';

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
		// The burst allowance comes back after its window.
		vi.advanceTimersByTime(BURST_WINDOW_S * 1000);
		expect(await takeMany(limiter, 'a', 100)).toBe(BURST);
	});

	it('holds a client that sends without pause near RATE a second', async () => {
		const limiter = eventLimiter();
		let passed = 0;
		// Five events every 100 ms (50 a second) for two minutes.
		for (let t = 0; t < 1200; t++) {
			passed += await takeMany(limiter, 'a', 5);
			vi.advanceTimersByTime(100);
		}
		expect(passed / 120).toBeLessThanOrEqual(RATE * 1.1);
		expect(passed / 120).toBeGreaterThanOrEqual(RATE);
	});

	it('forgets a socket that is gone', async () => {
		const limiter = eventLimiter();
		expect(await takeMany(limiter, 'a', 40)).toBe(BURST);
		limiter.forget('a');
		expect(await limiter.take('a')).toBe(true);
	});
});
