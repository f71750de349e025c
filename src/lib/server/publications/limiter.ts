// How often one address may use the public objection form: a handful of objections and form
// tokens per window, counted by rate-limiter-flexible in memory (per node; a cluster moves it
// to Redis with the room's limiter, issue 13). A person objects once or twice; a script that
// floods is refused here before it reaches the database.
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { slot } from '../runtime';

function num(name: string, fallback: number): number {
	const v = Number.parseInt(process.env[name] ?? '', 10);
	return Number.isFinite(v) && v > 0 ? v : fallback;
}

interface Limiters {
	submit: RateLimiterMemory;
	token: RateLimiterMemory;
}

const holder = slot<Limiters>('publication-limiters');

function limiters(): Limiters {
	let l = holder.get();
	if (!l) {
		l = {
			// Objections per address per 10 minutes; tokens (page loads, script fetches) are cheaper.
			submit: new RateLimiterMemory({ keyPrefix: 'obj', points: num('PANELROOM_OBJECTION_RATE', 5), duration: 600 }),
			token: new RateLimiterMemory({ keyPrefix: 'obj-token', points: num('PANELROOM_OBJECTION_TOKEN_RATE', 60), duration: 600 })
		};
		holder.set(l);
	}
	return l;
}

/** Counts one use; false when the address is over its limit. */
export async function takeObjectionSlot(kind: 'submit' | 'token', ip: string | null): Promise<boolean> {
	try {
		await limiters()[kind].consume(ip ?? 'unknown');
		return true;
	} catch (err) {
		if (err instanceof RateLimiterRes) return false;
		throw err;
	}
}
