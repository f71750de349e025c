// Types shared by the realtime core and the domain modules that plug into it.
import type { Server as IoServer, Socket } from 'socket.io';
import type { Principal } from '../auth/principal';
import type { UpgradeRouter } from './upgrade';

export interface SocketData {
	principal: Principal;
	locale: 'zh-CN' | 'en';
}

export interface Realtime {
	io: IoServer;
	upgrades: UpgradeRouter;
	close(): Promise<void>;
}

/** Runs at shutdown, after the server stops accepting connections. */
export type Closer = () => Promise<void> | void;

/** A domain's realtime part (collaboration, meetings, ...), attached at start. */
export interface RealtimeModule {
	name: string;
	attach(rt: Realtime): Closer | void | Promise<Closer | void>;
}

export type { IoServer, Socket };
