// The collaboration module of the realtime core: y-websocket at /collab/<document id>,
// persisted to Postgres, relayed through Redis when REDIS_URL is set. The documents domain
// reaches the running server through collabServer() (restoring versions, locking).
import { config } from '../config';
import { db } from '../db';
import { logger } from '../log';
import { slot } from '../runtime';
import type { RealtimeModule } from '../realtime/types';
import { textOf } from '../documents/content';
import { autoVersion } from '../documents/versions';
import { LocalRelay, type Relay } from './relay';
import { CollabServer, type CollabOptions } from './server';

export { CollabServer } from './server';
export type { CollabHooks } from './room';

const current = slot<CollabServer>('collab');

/** The collaboration server of this process, when one is running. */
export function collabServer(): CollabServer | undefined {
	return current.get();
}

export async function startCollab(options: { relay?: Relay; options?: Partial<CollabOptions> } = {}): Promise<CollabServer> {
	const cfg = config();
	let relay = options.relay;
	if (!relay && cfg.redisUrl) {
		const { RedisRelay } = await import('./redis-relay');
		relay = await RedisRelay.connect(cfg.redisUrl);
	}
	relay ??= new LocalRelay();
	const server = new CollabServer({
		db,
		relay,
		log: logger(),
		hooks: {
			textOf,
			autoVersion: async (documentId, doc, seq) => {
				await autoVersion(db(), documentId, doc, seq);
			}
		},
		options: { maxMessageBytes: cfg.maxMessageBytes, writeConcurrency: cfg.databaseUrl ? 4 : 1, ...options.options }
	});
	current.set(server);
	return server;
}

/** Shuts a server down (writing everything pending) and forgets it. */
export async function stopCollab(server: CollabServer): Promise<void> {
	await server.close();
	if (current.get() === server) current.set(undefined);
}

export const collabModule: RealtimeModule = {
	name: 'collab',
	async attach(rt) {
		const server = await startCollab();
		rt.upgrades.register('/collab/', server.handleUpgrade);
		return () => stopCollab(server);
	}
};
