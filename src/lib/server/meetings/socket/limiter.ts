// How many events a socket may send: RATE a second on average and bursts up to BURST, counted by
// rate-limiter-flexible so the count can move to Redis when the app runs in several processes
// (issue 13: swap RateLimiterMemory for RateLimiterRedis in `eventLimiter`, nothing else).
//
// The library counts in fixed windows, not in a token bucket: RATE points a second, and when
// those are spent, BURST - RATE more that come back every BURST_WINDOW_S seconds. A burst of
// BURST passes at once and a flooding client is served again a second later, as before; a
// client that sends without pause gets RATE + (BURST - RATE) / BURST_WINDOW_S ≈ 10.7 a second
// (a shorter burst window would let it send well above RATE).
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** Events a socket may send per second on average, and in a burst. */
export const RATE = 10;
export const BURST = 30;
/** A client that keeps flooding after this many refusals in a row is disconnected. */
export const FLOOD_LIMIT = 200;
/** The extra burst allowance comes back this often. */
export const BURST_WINDOW_S = 30;

export interface EventLimiter {
	/** Counts one event of the key; false when it is over the limit. */
	take(key: string): Promise<boolean>;
	/** Forgets the key (its socket is gone). */
	forget(key: string): void;
}

/** The limiter of the meeting room's events. The one place that picks the store. */
export function eventLimiter(): EventLimiter {
	const rate = new RateLimiterMemory({ keyPrefix: 'mtg', points: RATE, duration: 1 });
	const burst = new RateLimiterMemory({ keyPrefix: 'mtg-burst', points: BURST - RATE, duration: BURST_WINDOW_S });
	const limiter = new BurstyRateLimiter(rate, burst);
	return {
		async take(key) {
			try {
				await limiter.consume(key);
				return true;
			} catch (err) {
				// A refusal comes as the limiter's result; anything else is the store failing.
				if (err instanceof RateLimiterRes) return false;
				throw err;
			}
		},
		forget(key) {
			void rate.delete(key);
			void burst.delete(key);
		}
	};
}
