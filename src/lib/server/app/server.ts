// The production server: one HTTP server on one port serving the SvelteKit handler,
// Socket.IO and the collaboration endpoint. server.js at the repository root starts it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { config } from '../config';
import { logger } from '../log';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../demo/organization';
import { baseHeaders } from '../http/security';
import { handleControl, removeControlFile, writeControlFile, type ControlInfo } from './control';
import { attachApp, ensureApp, stopApp } from '.';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, next?: () => void) => void;

export interface Started {
	server: http.Server;
	url: string;
	stop(): Promise<void>;
}

export interface StartOptions {
	handler: Handler;
	/** Stamp each request with the protocol its connection used (x-panelroom-proto). */
	connectionProtocol?: boolean;
}

export async function startServer({ handler, connectionProtocol = false }: StartOptions): Promise<Started> {
	const cfg = config();
	const log = logger();
	const startedAt = Date.now();
	const database = await ensureApp();

	const servedOverHttps = cfg.origin?.startsWith('https:') ?? false;
	let control: ControlInfo | null = null;
	const server = http.createServer((req, res) => {
		if (handleControl(req, res, control)) return;
		const encrypted = 'encrypted' in req.socket && !!req.socket.encrypted;
		// Always overwritten, so a client cannot claim https.
		if (connectionProtocol) req.headers['x-panelroom-proto'] = encrypted ? 'https' : 'http';
		// For what SvelteKit's hooks never see (static files, Socket.IO's polling answers);
		// SvelteKit's own answers set these again (hooks.server.ts) and win.
		for (const [k, v] of Object.entries(baseHeaders(servedOverHttps || encrypted))) res.setHeader(k, v);
		res.setHeader('content-security-policy', "frame-ancestors 'none'");
		// A body refused 413 before it was all sent: read and drop the rest for a moment
		// (never keeping it) before closing, so the client, still sending, gets to read the
		// answer instead of a reset connection.
		res.once('finish', () => {
			if (res.statusCode !== 413 || req.complete) return;
			req.removeAllListeners('data');
			req.resume();
			const linger = setTimeout(() => req.socket.destroy(), 2000);
			linger.unref();
			req.once('end', () => clearTimeout(linger));
		});
		handler(req, res, () => {
			res.statusCode = 404;
			res.end('Not Found');
		});
	});
	server.keepAliveTimeout = 65_000;
	const rt = await attachApp(server);

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(cfg.port, cfg.host, () => resolve());
	});
	const address = server.address() as AddressInfo;
	const shownHost = cfg.host === '0.0.0.0' || cfg.host === '::' ? 'localhost' : cfg.host;
	const url = cfg.origin ?? `http://${shownHost}:${address.port}`;
	log.info({ url, port: address.port, db: database.kind, ms: Date.now() - startedAt }, 'panelroom listening');
	// For `npm run backup` and `npm run audit:verify` while the app holds the database.
	const loopbackHost = cfg.host === '0.0.0.0' || cfg.host === '::' ? '127.0.0.1' : cfg.host;
	control = writeControlFile(cfg.dataDir, `http://${loopbackHost.includes(':') ? `[${loopbackHost}]` : loopbackHost}:${address.port}`);

	if (cfg.demo && process.env.PANELROOM_QUIET !== '1') {
		const lines = [
			'',
			`  Panelroom 已启动 / is running:  ${url}`,
			`  数据库 / database: ${database.kind === 'pglite' ? `PGlite (${cfg.dataDir})` : 'PostgreSQL'}`,
			'',
			`  演示账号 / demo accounts (密码 / password: ${DEMO_PASSWORD})`,
			...DEMO_ACCOUNTS.map((a) => `    ${a.username.padEnd(12)} ${a.role}`),
			''
		];
		process.stdout.write(lines.join('\n') + '\n');
	}

	let stopping: Promise<void> | undefined;
	const stop = () =>
		(stopping ??= (async () => {
			log.info('shutting down');
			if (control) removeControlFile(cfg.dataDir, control);
			server.close();
			await rt.close();
			server.closeAllConnections();
			await stopApp();
		})());
	return { server, url, stop };
}
