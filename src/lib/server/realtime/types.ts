// Types shared by the realtime core and the domain modules that plug into it. The core knows
// no domain: who a connection belongs to (the principal) is whatever start-up's
// `authenticate` hook returns, typed by the module that reads it.
import type { IncomingMessage } from 'node:http';
import type { Server as IoServer, Socket } from 'socket.io';
import type { Locale } from '$lib/paraglide/runtime';
import type { UpgradeRouter } from './upgrade';

export interface SocketData<P = unknown> {
	principal: P;
	locale: Locale;
}

export interface Realtime<P = unknown> {
	io: IoServer;
	upgrades: UpgradeRouter;
	/** The principal a request's session belongs to (upgrade handlers use it), or null. */
	authenticate(req: IncomingMessage): Promise<P | null>;
	/** Ends every Socket.IO connection whose principal matches (sessions revoked). */
	disconnect(match: (principal: P) => boolean): void;
	close(): Promise<void>;
}

/** Runs at shutdown, after the server stops accepting connections. */
export type Closer = () => Promise<void> | void;

/** A domain's realtime part (collaboration, meetings, ...), attached at start. */
export interface RealtimeModule<P = unknown> {
	name: string;
	attach(rt: Realtime<P>): Closer | void | Promise<Closer | void>;
}

/** What start-up passes to the core: the modules, and how a connection is authenticated. */
export interface RealtimeOptions<P> {
	modules: RealtimeModule<P>[];
	authenticate(req: IncomingMessage): Promise<P | null>;
	locale(req: IncomingMessage): Locale;
	/** Each event a socket sends (idle time of its session). */
	onActivity?(principal: P): void;
	/** Attached to Vite's dev server: other upgrades belong to Vite. */
	dev?: boolean;
}

export type { IoServer, Socket };
