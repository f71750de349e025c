// Start-up: the one place that wires Panelroom together. It opens and migrates the database
// (db/), seeds the demo in demo mode, starts the audit anchors and the session purge,
// registers the domains' access resolvers, and attaches the realtime modules to the realtime
// core. server.js (through ./server.ts), hooks.server.ts and the Vite plugin all call it;
// nothing below imports it (dependency-cruiser checks).
import type { Server as HttpServer } from 'node:http';
import { baseLocale } from '$lib/paraglide/runtime';
import { config } from '../config';
import { closeDatabase, db, ensureDatabase, type Database } from '../db';
import { logger } from '../log';
import { slot } from '../runtime';
import { attachRealtime, type Realtime } from '../realtime';
import { startAnchoring, stopAnchoring } from '../audit/anchors';
import { scheduleSessionPurge, touchSession } from '../auth/session';
import { principalFromCookieHeader } from '../auth/connection';
import type { Principal } from '../auth/principal';
import { cookieLocale } from '../http/locale';
import { registerMeetingDocuments, writePendingAddenda } from '../meetings/documents';
import { registerGuidelineReaders } from '../calls/guideline-readers';
import { startFinalizer } from '../publications/finalize';
import { registerOpinionDocuments } from '../opinions/resolver';
import { realtimeModules } from './modules';
import { startNotificationLoops, type Loops } from '../notifications/loops';
import { queueMailWhen } from '../notifications';

const purge = slot<() => void>('app.sessionPurge');
const notificationLoops = slot<Loops>('app.notificationLoops');
const finalizer = slot<() => void>('app.publicationFinalizer');

/**
 * Access rules other domains add to the documents domain: who may open a meeting's documents
 * (and an item's panel opinion), and who reads a published call's guideline.
 */
function registerAccessResolvers(): void {
	registerMeetingDocuments();
	// After the meetings' resolver: it answers for opinion documents and defers to it for the rest.
	registerOpinionDocuments();
	registerGuidelineReaders();
}

/**
 * Opens, migrates and (in demo mode) seeds the database, once per process; then the audit
 * anchors, the session purge and the access resolvers. Safe to call from every entry point.
 */
export async function ensureApp(): Promise<Database> {
	// Without SMTP_URL notifications reach the inbox only; no mail piles up unsent.
	queueMailWhen(!!config().smtpUrl);
	const database = await ensureDatabase(async ({ db }) => {
		if (config().demo) {
			const { seedDemo } = await import('../demo/seed');
			await seedDemo(db);
		}
		// The audit key is made on first start, and the chain head anchored outside the database.
		await startAnchoring(db);
	});
	registerAccessResolvers();
	// Sessions past their lifetime or idle time are removed now and every ten minutes.
	if (!purge.get()) purge.set(scheduleSessionPurge(db, 10 * 60_000, (err) => logger().warn({ err }, 'session purge failed')));
	// Review-deadline reminders, daily digests and the mail outbox (with SMTP_URL).
	if (!notificationLoops.get()) {
		const c = config();
		notificationLoops.set(
			startNotificationLoops(database.db, {
				smtpUrl: c.smtpUrl,
				from: c.mailFrom,
				origin: c.origin,
				retrySeconds: c.mailRetrySeconds,
				digestHour: c.digestHour,
				tickSeconds: c.notifyTickSeconds,
				warn: (err, what) => logger().warn({ err }, `notifications: ${what} failed`)
			})
		);
	}
	// Publications whose period ended with nothing pending become final now and every ten minutes.
	if (!finalizer.get()) finalizer.set(startFinalizer(db));
	return database;
}

/** Attaches Socket.IO and /collab to an HTTP server, with every domain's realtime module. */
export async function attachApp(httpServer: HttpServer, opts: { dev?: boolean } = {}): Promise<Realtime<Principal>> {
	await ensureApp();
	registerAccessResolvers();
	const rt = await attachRealtime<Principal>(httpServer, {
		modules: realtimeModules(),
		authenticate: (req) => principalFromCookieHeader(db(), req.headers.cookie),
		locale: (req) => cookieLocale(req.headers.cookie) ?? baseLocale,
		onActivity: (p) => touchSession(db(), p.sessionId, new Date(), (err) => logger().warn({ err }, 'session touch failed')),
		dev: opts.dev
	});
	// Minutes addenda a crash left unwritten go in now, through the collaboration server just attached.
	writePendingAddenda(db()).then(
		(n) => n > 0 && logger().info({ written: n }, 'pending minutes addenda written'),
		(err) => logger().warn({ err }, 'pending minutes addenda not written')
	);
	return rt;
}

/** Stops what ensureApp started and closes the database. */
export async function stopApp(): Promise<void> {
	purge.get()?.();
	purge.set(undefined);
	await notificationLoops.get()?.stop();
	notificationLoops.set(undefined);
	finalizer.get()?.();
	finalizer.set(undefined);
	await stopAnchoring();
	await closeDatabase();
}
