// The realtime core: attaches Socket.IO (/socket.io) and the upgrade router (/collab/...)
// to the app's HTTP server, in production and in development (Vite plugin). It knows no
// domain: start-up (app/) passes the modules to attach and the authentication hook.
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server as IoServer } from 'socket.io';
import { config } from '../config';
import { baseHeaders } from '../http/security';
import { logger } from '../log';
import { slot } from '../runtime';
import { createUpgradeRouter } from './upgrade';
import { originAllowed } from './auth';
import { onSavingState, savingState } from '../db/health';
import type { Closer, Realtime, RealtimeOptions, SocketData } from './types';

export type { Closer, Realtime, RealtimeModule, RealtimeOptions, SocketData } from './types';

const current = slot<Realtime>('realtime');

export function realtime(): Realtime | undefined {
	return current.get();
}

export async function attachRealtime<P>(httpServer: HttpServer, opts: RealtimeOptions<P>): Promise<Realtime<P>> {
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
			const principal = await opts.authenticate(socket.request);
			if (!principal) return next(Object.assign(new Error('unauthorized'), { data: { status: 401 } }));
			const data: SocketData<P> = { principal, locale: opts.locale(socket.request) };
			socket.data = data;
			// What someone does in a room counts as using the session (idle time).
			socket.use((_packet, nextPacket) => {
				opts.onActivity?.((socket.data as SocketData<P>).principal);
				nextPacket();
			});
			next();
		} catch (err) {
			logger().error({ err }, 'socket auth failed');
			next(new Error('server error'));
		}
	});

	const upgrades = createUpgradeRouter(httpServer, { dev: !!opts.dev });
	const modules = opts.modules;
	const closers: Closer[] = [];
	// Closed after Socket.IO itself: closing the server unsubscribes its Redis adapter.
	const afterIo: Closer[] = [];

	const rt: Realtime<P> = {
		io,
		upgrades,
		authenticate: opts.authenticate,
		disconnect(match) {
			for (const [, socket] of io.of('/').sockets) {
				const data = socket.data as SocketData<P> | undefined;
				if (data?.principal && match(data.principal)) socket.disconnect(true);
			}
		},
		async close() {
			for (const close of closers.reverse()) await close();
			await new Promise<void>((resolve) => io.close(() => resolve()));
			for (const close of afterIo) await close();
			current.set(undefined);
		}
	};

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

	for (const mod of modules) {
		const close = await mod.attach(rt);
		if (close) closers.push(close);
	}
	current.set(rt as Realtime);
	logger().info({ modules: modules.map((m) => m.name) }, 'realtime attached');
	return rt;
}
