// The background loops of notifications, started by start-up on every node: deadline
// reminders, daily digests, and the mail outbox (only with SMTP_URL). Each pass is safe to run
// on several nodes at once (dedupe keys, the digests table's key, the outbox's leases), and a
// pass never overlaps the previous one on the same node.
import nodemailer from 'nodemailer';
import type { Db } from '../db';
import { on } from '../events';
import { deadlineReminders } from './deadlines';
import { queueDigests, workOutbox, type MailOptions, type MailTransport } from './mail';

export interface LoopOptions extends MailOptions {
	smtpUrl?: string;
	/** A transport to use instead of SMTP_URL (tests). */
	transport?: MailTransport;
	digestHour: number;
	tickSeconds: number;
	warn(err: unknown, what: string): void;
}

export interface Loops {
	/** Runs one pass now (and waits for it). */
	tick(): Promise<void>;
	stop(): Promise<void>;
}

export function startNotificationLoops(db: Db, opts: LoopOptions): Loops {
	const transport: MailTransport | undefined = opts.transport ?? (opts.smtpUrl ? nodemailer.createTransport(opts.smtpUrl) : undefined);
	let running: Promise<void> | null = null;
	let again = false;
	let stopped = false;

	async function pass(): Promise<void> {
		const now = new Date();
		await deadlineReminders(db, now).catch((err) => opts.warn(err, 'deadline reminders'));
		if (!transport) return;
		await queueDigests(db, opts.digestHour, now).catch((err) => opts.warn(err, 'digests'));
		// Drain what is due, a batch at a time.
		for (let i = 0; i < 10 && !stopped; i++) {
			const r = await workOutbox(db, transport, opts, new Date()).catch((err) => (opts.warn(err, 'outbox'), { sent: 0, failed: 0 }));
			if (r.sent + r.failed === 0) break;
		}
	}

	function tick(): Promise<void> {
		if (stopped) return Promise.resolve();
		if (running) {
			again = true;
			return running;
		}
		running = pass().finally(() => {
			running = null;
			if (again && !stopped) {
				again = false;
				void tick();
			}
		});
		return running;
	}

	const timer = setInterval(() => void tick(), opts.tickSeconds * 1000);
	timer.unref();
	// New mail goes out within moments rather than at the next tick (after its commit).
	const off = on('notifications.created', () => {
		if (transport) setTimeout(() => void tick(), 300).unref();
	});
	setTimeout(() => void tick(), 1000).unref();

	return {
		tick,
		async stop() {
			stopped = true;
			clearInterval(timer);
			off();
			await running;
			transport?.close?.();
		}
	};
}
