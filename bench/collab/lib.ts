// Shared pieces of the collaboration benchmark: starting the servers as child processes,
// sampling their memory, y-websocket clients, and statistics.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { freePort } from '../../tests/helpers/server';

export const root = path.resolve(import.meta.dirname, '../..');

export interface ServerProcess {
	name: string;
	url: string;
	pid: number;
	child: ChildProcess;
	output(): string;
	/** Resident memory now, in MiB. */
	rssMiB(): number;
	stop(): Promise<void>;
}

async function waitHealthy(url: string, child: ChildProcess, log: () => string): Promise<void> {
	const deadline = Date.now() + 90_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`server exited:\n${log()}`);
		try {
			if ((await fetch(url)).ok) return;
		} catch {
			/* not yet */
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`server not healthy:\n${log()}`);
}

function rssOf(pid: number): number {
	try {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
		return kb / 1024;
	} catch {
		return 0;
	}
}

function start(name: string, args: string[], env: NodeJS.ProcessEnv, healthPath: string, port: number): Promise<ServerProcess> {
	const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
	let log = '';
	child.stdout!.on('data', (d) => (log += d));
	child.stderr!.on('data', (d) => (log += d));
	const url = `http://127.0.0.1:${port}`;
	return waitHealthy(url + healthPath, child, () => log).then(() => ({
		name,
		url,
		pid: child.pid!,
		child,
		output: () => log,
		rssMiB: () => rssOf(child.pid!),
		stop: () =>
			new Promise<void>((resolve) => {
				// Stopped already (by a signal, exitCode stays null): a second stop must not wait.
				if (child.exitCode !== null || child.signalCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
			})
	}));
}

/** Panelroom's built server (node server.js) on a Postgres database of its own, or on PGlite in `dataDir`. */
export async function startPanelroom(databaseUrl: string | undefined, dataDir?: string): Promise<ServerProcess> {
	const port = await freePort();
	return start(
		'panelroom',
		['server.js'],
		// An empty DATABASE_URL counts as unset (config.ts): PGlite.
		{ DATABASE_URL: databaseUrl ?? '', ...(dataDir ? { PANELROOM_DATA: dataDir } : {}), PANELROOM_DEMO: '1', PANELROOM_QUIET: '1', HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
		'/healthz',
		port
	);
}

/** The reference: @y/websocket-server's setupWSConnection, in memory only. */
export async function startReference(): Promise<ServerProcess> {
	const port = await freePort();
	return start('reference', ['bench/collab/reference-server.mjs'], {}, '/', port);
}

export async function login(url: string, username: string): Promise<string> {
	const res = await fetch(`${url}/api/auth/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ username, password: 'demo-password' })
	});
	if (!res.ok) throw new Error(`login failed: ${res.status}`);
	return res.headers.getSetCookie().find((c) => c.startsWith('panelroom_session='))!.split(';')[0];
}

export function socketWith(headers: Record<string, string>): typeof WebSocket {
	return class extends WebSocket {
		constructor(address: string | URL, protocols?: string | string[]) {
			super(address, protocols, { headers, perMessageDeflate: false });
		}
	} as unknown as typeof WebSocket;
}

export interface BenchClient {
	doc: Y.Doc;
	provider: WebsocketProvider;
	destroy(): void;
}

export function connect(url: string, room: string, cookie?: string): BenchClient {
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(url.replace(/^http/, 'ws') + '/collab', room, doc, {
		WebSocketPolyfill: socketWith(cookie ? { cookie } : {}) as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		maxBackoffTime: 500
	});
	return {
		doc,
		provider,
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
}

export async function allSynced(clients: BenchClient[], timeoutMs = 60_000): Promise<void> {
	await until(() => clients.every((c) => c.provider.synced), timeoutMs, 'clients to sync');
}

export async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}

export function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return NaN;
	const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[i];
}

/** Samples a process's memory every 250 ms until stopped; returns the peak and the last value. */
export function sampleMemory(server: ServerProcess): () => { peakMiB: number; endMiB: number } {
	let peak = server.rssMiB();
	const timer = setInterval(() => (peak = Math.max(peak, server.rssMiB())), 250);
	return () => {
		clearInterval(timer);
		const end = server.rssMiB();
		return { peakMiB: Math.max(peak, end), endMiB: end };
	};
}
