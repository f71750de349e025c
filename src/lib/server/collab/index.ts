// The Yjs document engine as a module of the realtime core: y-websocket at /collab/<document
// id>, persisted to Postgres, relayed through Redis when REDIS_URL is set. It imports no
// domain: the application passes its hooks in (createCollabModule, types.ts), and reaches the
// running engine through collabServer() (restoring versions, locking).
import type { IncomingMessage } from 'node:http';
import { config } from '../config';
import { db } from '../db';
import { logger } from '../log';
import { slot } from '../runtime';
import type { RealtimeModule } from '../realtime/types';
import { LocalRelay, type Relay } from './relay';
import { CollabServer, type CollabOptions } from './server';
import type { CollabHooks } from './types';

export { CollabServer } from './server';
export type { CollabOptions } from './server';
export type { Relay } from './relay';
export type { Access, Authorization, CollabEngine, CollabHooks, DocumentEvent, Identity } from './types';

const current = slot<CollabServer>('collab');

/** The collaboration server of this process, when one is running. */
export function collabServer(): CollabServer | undefined {
	return current.get();
}

export interface StartOptions<P> {
	/** Who an upgrade request belongs to, or null (the realtime core's authenticate). */
	authenticate(req: IncomingMessage): Promise<P | null>;
	relay?: Relay;
	options?: Partial<CollabOptions>;
}

export async function startCollab<P>(hooks: CollabHooks<P>, start: StartOptions<P>): Promise<CollabServer<P>> {
	const cfg = config();
	let relay = start.relay;
	if (!relay && cfg.redisUrl) {
		const { RedisRelay } = await import('./redis-relay');
		relay = await RedisRelay.connect(cfg.redisUrl);
	}
	relay ??= new LocalRelay();
	const server = new CollabServer<P>({
		db,
		relay,
		log: logger(),
		hooks,
		authenticate: start.authenticate,
		options: { maxMessageBytes: cfg.maxMessageBytes, writeConcurrency: cfg.databaseUrl ? 4 : 1, ...start.options }
	});
	current.set(server as CollabServer);
	return server;
}

/** Shuts a server down (writing everything pending) and forgets it. */
export async function stopCollab<P>(server: CollabServer<P>): Promise<void> {
	await server.close();
	if (current.get() === (server as CollabServer)) current.set(undefined);
}

/** The engine as a realtime module, with the application's hooks; start-up attaches it. */
export function createCollabModule<P>(hooks: CollabHooks<P>): RealtimeModule<P> {
	return {
		name: 'collab',
		async attach(rt) {
			const server = await startCollab(hooks, { authenticate: (req) => rt.authenticate(req) });
			rt.upgrades.register('/collab/', server.handleUpgrade);
			return () => stopCollab(server);
		}
	};
}
