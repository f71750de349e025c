// Starts the real, built server (node server.js) as a child process on a free port with a
// fresh data folder (PGlite) or a fresh Postgres database of its own. Needs `npm run build`.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createPostgresDatabase, usingPostgres } from './db';

export interface TestServer {
	url: string;
	port: number;
	dataDir: string;
	databaseUrl?: string;
	/** Everything the process printed, for assertions and for debugging a failure. */
	output(): string;
	/** Stops gracefully (SIGTERM). */
	stop(): Promise<void>;
	/** Kills at once (SIGKILL): nothing is flushed. */
	kill(): Promise<void>;
	/** Starts the same server again on the same port and data. */
	restart(): Promise<void>;
	/** Stops it and removes its data. */
	dispose(): Promise<void>;
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
	});
}

const root = path.resolve(import.meta.dirname, '../..');

export interface ServerOptions {
	/** Serve from this Postgres URL (e.g. through a proxy) instead of a database of its own. */
	databaseUrl?: string;
	/** Serve PGlite from this folder (even when DATABASE_URL is set). */
	dataDir?: string;
}

export async function startServer(env: Record<string, string> = {}, options: ServerOptions = {}): Promise<TestServer> {
	if (!fs.existsSync(path.join(root, 'build/handler.js'))) throw new Error('build/ is missing: run `npm run build` first');
	const port = await freePort();
	const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'panelroom-test-'));
	let databaseUrl: string | undefined;
	let dropDb: (() => Promise<void>) | undefined;
	if (options.databaseUrl) databaseUrl = options.databaseUrl;
	else if (usingPostgres && !options.dataDir) {
		const created = await createPostgresDatabase('server');
		databaseUrl = created.url;
		dropDb = created.drop;
	}
	let child: ChildProcess | undefined;
	let log = '';

	async function launch() {
		const childEnv: NodeJS.ProcessEnv = {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			PANELROOM_DATA: dataDir,
			PANELROOM_DEMO: '1',
			PANELROOM_QUIET: '1',
			LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
			...env
		};
		delete childEnv.DATABASE_URL;
		if (databaseUrl) childEnv.DATABASE_URL = databaseUrl;
		child = spawn(process.execPath, ['server.js'], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
		child.stdout!.on('data', (d) => (log += d));
		child.stderr!.on('data', (d) => (log += d));
		const deadline = Date.now() + 60_000;
		while (Date.now() < deadline) {
			if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log}`);
			try {
				const res = await fetch(`http://127.0.0.1:${port}/healthz`);
				if (res.ok) return;
			} catch {
				/* not listening yet */
			}
			await new Promise((r) => setTimeout(r, 100));
		}
		throw new Error(`server did not become healthy:\n${log}`);
	}

	function waitExit(signal: NodeJS.Signals): Promise<void> {
		const c = child;
		if (!c || c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
		return new Promise((resolve) => {
			c.once('exit', () => resolve());
			c.kill(signal);
		});
	}

	await launch();
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		dataDir,
		databaseUrl,
		output: () => log,
		stop: () => waitExit('SIGTERM'),
		kill: () => waitExit('SIGKILL'),
		restart: launch,
		async dispose() {
			await waitExit('SIGTERM');
			fs.rmSync(dataDir, { recursive: true, force: true });
			await dropDb?.();
		}
	};
}

/** Signs in through the JSON API and returns the Cookie header to send. */
export async function login(baseUrl: string, username: string, password = 'demo-password'): Promise<string> {
	const res = await fetch(`${baseUrl}/api/auth/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ username, password })
	});
	if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`);
	const cookie = res.headers.getSetCookie().find((c) => c.startsWith('panelroom_session='));
	if (!cookie) throw new Error('no session cookie');
	return cookie.split(';')[0];
}
