// Routes HTTP upgrades by path: Socket.IO takes /socket.io (it registers its own listener
// with destroyUpgrade off), domains register prefixes such as /collab/, and Vite's HMR socket
// is left to Vite in development. Anything else is refused in production.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { logger } from '../log';

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface UpgradeRouter {
	register(prefix: string, handler: UpgradeHandler): void;
}

export function createUpgradeRouter(server: Server, opts: { dev: boolean }): UpgradeRouter {
	const routes: [string, UpgradeHandler][] = [];
	server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
		const path = (req.url ?? '/').split('?')[0];
		if (path.startsWith('/socket.io/')) return; // engine.io's own listener
		if (req.headers['sec-websocket-protocol'] === 'vite-hmr') return; // Vite's
		const route = routes.find(([prefix]) => path.startsWith(prefix));
		if (route) {
			try {
				route[1](req, socket, head);
			} catch (err) {
				logger().error({ err, path }, 'upgrade handler failed');
				refuseUpgrade(socket, 500, 'Internal Server Error');
			}
			return;
		}
		if (!opts.dev) refuseUpgrade(socket, 404, 'Not Found');
	});
	return {
		register(prefix, handler) {
			routes.push([prefix, handler]);
		}
	};
}

/** Answers an upgrade with an HTTP error and closes the socket: no WebSocket is opened. */
export function refuseUpgrade(socket: Duplex, status: number, reason: string, body = reason): void {
	if (!socket.writable) {
		socket.destroy();
		return;
	}
	const payload = Buffer.from(body, 'utf8');
	socket.end(
		`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${payload.length}\r\n\r\n` +
			payload.toString('utf8')
	);
}
