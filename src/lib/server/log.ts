// Structured logs (pino). One root logger per process; requests and sockets log
// through children carrying their request id or socket id.
import pino, { type Logger } from 'pino';
import { config } from './config';
import { slot } from './runtime';

const root = slot<Logger>('logger');

export function logger(): Logger {
	let l = root.get();
	if (!l) {
		l = pino({
			level: config().logLevel,
			base: { app: 'panelroom' },
			redact: ['req.headers.cookie', 'password', '*.password', 'token']
		});
		root.set(l);
	}
	return l;
}

export type { Logger };
