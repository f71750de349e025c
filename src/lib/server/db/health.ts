// Whether the database takes writes, as the app last saw it. A failed write that says "the
// database is not there" (a dropped or refused connection, a server shutting down, a full
// disk) turns saving to 'paused'; a probe every second turns it back to 'ok' once a query
// answers. The realtime servers tell their clients on each change ("saving paused"), and
// /healthz answers 503 meanwhile, so nobody is told something was saved when it was not.
import { slot } from '../runtime';

export type SavingState = 'ok' | 'paused';

interface Health {
	state: SavingState;
	listeners: Set<(state: SavingState) => void>;
	probe: (() => Promise<unknown>) | null;
	timer: NodeJS.Timeout | null;
}

const holder = slot<Health>('databaseHealth');

function health(): Health {
	let h = holder.get();
	if (!h) {
		h = { state: 'ok', listeners: new Set(), probe: null, timer: null };
		holder.set(h);
	}
	return h;
}

// postgres.js and Node network errors, and Postgres's own codes for a server that is going
// away or cannot write: class 08 (connection), 57P01–57P03 (shutdown, crash, starting up),
// 53100 (disk full), 58030 (I/O error). PGlite reports a full disk as ENOSPC.
const CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOSPC', '57P01', '57P02', '57P03', '53100', '58030']);

/** Whether an error (or any error it wraps) means the database is unavailable, not that the query was wrong. */
export function isDatabaseUnavailable(err: unknown): boolean {
	for (let e = err as { code?: unknown; cause?: unknown; message?: unknown } | undefined, depth = 0; e && depth < 6; e = e.cause as typeof e, depth++) {
		const code = typeof e.code === 'string' ? e.code : '';
		if (CODES.has(code) || code.startsWith('08')) return true;
		if (typeof e.message === 'string' && /ENOSPC|no space left on device/i.test(e.message)) return true;
	}
	return false;
}

export function savingState(): SavingState {
	return health().state;
}

/** Called on every change of state; returns the unsubscribe. */
export function onSavingState(listener: (state: SavingState) => void): () => void {
	health().listeners.add(listener);
	return () => health().listeners.delete(listener);
}

function set(state: SavingState): void {
	const h = health();
	if (h.state === state) return;
	h.state = state;
	for (const l of h.listeners) l(state);
}

/** Sets how to ask the database whether it is back (a `SELECT 1`), at start-up. */
export function setDatabaseProbe(probe: (() => Promise<unknown>) | null): void {
	health().probe = probe;
}

/**
 * Reports a failed database call. Returns whether it was the database being unavailable; if so,
 * saving is paused until the probe answers again.
 */
export function reportDatabaseError(err: unknown): boolean {
	if (!isDatabaseUnavailable(err)) return false;
	set('paused');
	const h = health();
	if (!h.timer && h.probe) {
		const probe = h.probe;
		const tick = async () => {
			try {
				await probe();
				h.timer = null;
				set('ok');
			} catch {
				h.timer = setTimeout(tick, 1000);
				h.timer.unref();
			}
		};
		h.timer = setTimeout(tick, 1000);
		h.timer.unref();
	}
	return true;
}

/**
 * Asks the database whether it takes writes (for /healthz): throws if not, and keeps the state
 * in step either way.
 */
export async function checkDatabase(): Promise<void> {
	const probe = health().probe;
	if (!probe) throw new Error('database not open');
	try {
		await probe();
		set('ok');
	} catch (err) {
		reportDatabaseError(err);
		throw err;
	}
}
