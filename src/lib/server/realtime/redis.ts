// Scale-out: with REDIS_URL, Socket.IO rooms span every app process through Redis.
import type { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { logger } from '../log';

export async function attachRedisAdapter(io: Server, url: string): Promise<() => Promise<void>> {
	const pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
	const sub = pub.duplicate();
	// ioredis reconnects by itself; an error event without a listener would be thrown.
	for (const client of [pub, sub]) client.on('error', (err) => logger().warn({ err: err.message }, 'redis adapter connection error'));
	await Promise.all([pub.connect(), sub.connect()]);
	io.adapter(createAdapter(pub, sub));
	return async () => {
		await Promise.allSettled([pub.quit(), sub.quit()]);
	};
}
