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
import { registerMeetingDocuments } from '../meetings/documents';
import { registerGuidelineReaders } from '../calls/guideline-readers';
import { registerOpinionDocuments } from '../opinions/resolver';
import { realtimeModules } from './modules';

const purge = slot<() => void>('app.sessionPurge');

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
	return database;
}

/** Attaches Socket.IO and /collab to an HTTP server, with every domain's realtime module. */
export async function attachApp(httpServer: HttpServer, opts: { dev?: boolean } = {}): Promise<Realtime<Principal>> {
	await ensureApp();
	registerAccessResolvers();
	return attachRealtime<Principal>(httpServer, {
		modules: realtimeModules(),
		authenticate: (req) => principalFromCookieHeader(db(), req.headers.cookie),
		locale: (req) => cookieLocale(req.headers.cookie) ?? baseLocale,
		onActivity: (p) => touchSession(db(), p.sessionId, new Date(), (err) => logger().warn({ err }, 'session touch failed')),
		dev: opts.dev
	});
}

/** Stops what ensureApp started and closes the database. */
export async function stopApp(): Promise<void> {
	purge.get()?.();
	purge.set(undefined);
	await stopAnchoring();
	await closeDatabase();
}
