// The realtime core: attaches Socket.IO (/socket.io) and the upgrade router (/collab/...)
// to the app's HTTP server, in production (app-server.ts) and in development (Vite plugin).
// Domain modules register their Socket.IO handlers and upgrade routes here.
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server as IoServer } from 'socket.io';
import { config } from '../config';
import { db, ensureDatabase } from '../db';
import { touchSession } from '../auth/session';
import { baseHeaders } from '../http/security';
import { logger } from '../log';
import { on } from '../events';
import { slot } from '../runtime';
import { createUpgradeRouter } from './upgrade';
import { localeFromRequest, originAllowed, principalFromRequest } from './auth';
import { MODULES } from './modules';
import { onSavingState, savingState } from '../db/health';
import type { Closer, Realtime, SocketData } from './types';

export type { Closer, Realtime, RealtimeModule, SocketData } from './types';

const current = slot<Realtime>('realtime');

export function realtime(): Realtime | undefined {
	return current.get();
}

export async function attachRealtime(httpServer: HttpServer, opts: { dev?: boolean } = {}): Promise<Realtime> {
	await ensureDatabase();
	const cfg = config();
	const io = new IoServer(httpServer, {
		path: '/socket.io',
		serveClient: false,
		destroyUpgrade: false,
		maxHttpBufferSize: cfg.maxMessageBytes,
		allowRequest: (req, callback) => callback(null, originAllowed(req)),
		connectionStateRecovery: undefined
	});

	// Socket.IO answers its polling requests itself, before the app's handler sees them.
	io.engine.on('headers', (headers: Record<string, string>, req: IncomingMessage) => {
		const https = !!cfg.origin?.startsWith('https:') || !!(req.socket as { encrypted?: boolean }).encrypted;
		Object.assign(headers, baseHeaders(https), { 'content-security-policy': "frame-ancestors 'none'" });
	});

	io.use(async (socket, next) => {
		try {
			const principal = await principalFromRequest(socket.request);
			if (!principal) return next(Object.assign(new Error('unauthorized'), { data: { status: 401 } }));
			socket.data.principal = principal;
			socket.data.locale = localeFromRequest(socket.request);
			// What someone does in a room counts as using the session (idle time).
			socket.use((_packet, nextPacket) => {
				const p = (socket.data as SocketData).principal;
				if (p) touchSession(db(), p.sessionId, new Date(), (err) => logger().warn({ err }, 'session touch failed'));
				nextPacket();
			});
			next();
		} catch (err) {
			logger().error({ err }, 'socket auth failed');
			next(new Error('server error'));
		}
	});

	const upgrades = createUpgradeRouter(httpServer, { dev: !!opts.dev });
	const closers: Closer[] = [];
	// Closed after Socket.IO itself: closing the server unsubscribes its Redis adapter.
	const afterIo: Closer[] = [];

	const rt: Realtime = {
		io,
		upgrades,
		async close() {
			for (const close of closers.reverse()) await close();
			await new Promise<void>((resolve) => io.close(() => resolve()));
			for (const close of afterIo) await close();
			current.set(undefined);
		}
	};

	// A revoked session (sign-out everywhere, deactivation, password reset) ends its sockets.
	closers.push(
		on('sessions.revoked', ({ userId, exceptSessionId }) => {
			for (const [, socket] of io.of('/').sockets) {
				const p = (socket.data as SocketData).principal;
				if (p?.user.id === userId && p.sessionId !== exceptSessionId) socket.disconnect(true);
			}
		})
	);

	// Everyone connected learns when saving pauses (the database is gone) and resumes; a socket
	// that connects during a pause is told at once.
	closers.push(onSavingState((saving) => io.emit('server:status', { saving })));
	io.on('connection', (socket) => {
		if (savingState() !== 'ok') socket.emit('server:status', { saving: savingState() });
	});

	if (cfg.redisUrl) {
		const { attachRedisAdapter } = await import('./redis');
		afterIo.push(await attachRedisAdapter(io, cfg.redisUrl));
	}

	for (const mod of MODULES) {
		const close = await mod.attach(rt);
		if (close) closers.push(close);
	}
	current.set(rt);
	logger().info({ modules: MODULES.map((m) => m.name) }, 'realtime attached');
	return rt;
}
