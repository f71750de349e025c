// The local control channel between a running server and the command-line tools
// (`npm run backup`, `npm run audit:verify`). PGlite is one process's database: while the app
// runs, nobody else may open its data folder, so the tools ask the app to do the work, over
// loopback, with a token only someone who can read the data folder has. The control file
// `<data>/panelroom-control.json` (0600) says where and with what token; it is removed at stop.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type http from 'node:http';
import { PassThrough } from 'node:stream';
import { db as processDb } from '../db';
import { logger } from '../log';
import { auditSecrets } from '../audit/secrets';
import { verifyAudit } from '../audit/verify';
import { auditBackup, backupTo } from '../backup/files';
import { ensureApp } from '.';

export const CONTROL_FILE = 'panelroom-control.json';
export const CONTROL_PREFIX = '/_panelroom/control/';

export interface ControlInfo {
	pid: number;
	url: string;
	token: string;
}

export function controlPath(dataDir: string): string {
	return path.join(dataDir, CONTROL_FILE);
}

export function writeControlFile(dataDir: string, url: string): ControlInfo {
	const info: ControlInfo = { pid: process.pid, url, token: randomBytes(32).toString('hex') };
	fs.mkdirSync(dataDir, { recursive: true });
	const file = controlPath(dataDir);
	fs.rmSync(file, { force: true });
	fs.writeFileSync(file, JSON.stringify(info) + '\n', { mode: 0o600 });
	return info;
}

export function removeControlFile(dataDir: string, info: ControlInfo): void {
	try {
		const now = JSON.parse(fs.readFileSync(controlPath(dataDir), 'utf8')) as ControlInfo;
		if (now.token === info.token) fs.rmSync(controlPath(dataDir), { force: true });
	} catch {
		/* already gone */
	}
}

/** The running server's control info, if one is running on this data folder. */
export function readControlFile(dataDir: string): ControlInfo | null {
	try {
		const info = JSON.parse(fs.readFileSync(controlPath(dataDir), 'utf8')) as ControlInfo;
		process.kill(info.pid, 0);
		return info;
	} catch {
		return null;
	}
}

function loopback(req: http.IncomingMessage): boolean {
	const a = req.socket.remoteAddress ?? '';
	return a === '127.0.0.1' || a === '::1' || a === '::ffff:127.0.0.1';
}

function authorized(req: http.IncomingMessage, info: ControlInfo): boolean {
	const given = Buffer.from(String(req.headers.authorization ?? '').replace(/^Bearer /, ''), 'utf8');
	const want = Buffer.from(info.token, 'utf8');
	return loopback(req) && given.length === want.length && timingSafeEqual(given, want);
}

/** Handles a control request; false when the URL is not one (the app's handler takes it). */
export function handleControl(req: http.IncomingMessage, res: http.ServerResponse, info: ControlInfo | null): boolean {
	if (!req.url?.startsWith(CONTROL_PREFIX)) return false;
	if (!info || req.method !== 'POST' || !authorized(req, info)) {
		res.writeHead(404).end();
		return true;
	}
	const what = req.url.slice(CONTROL_PREFIX.length);
	void (async () => {
		const database = await ensureApp();
		if (what === 'audit-verify') {
			const report = await verifyAudit(processDb(), auditSecrets());
			res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(report));
		} else if (what === 'backup') {
			const file = String(req.headers['x-panelroom-file'] ?? 'backup');
			res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
			const sink = new PassThrough();
			sink.pipe(res);
			const summary = await backupTo(database, sink, auditSecrets());
			sink.end();
			await auditBackup(database, file, summary, '127.0.0.1');
		} else {
			res.writeHead(404).end();
		}
	})().catch((e) => {
		logger().error({ err: (e as Error).message, what }, 'control request failed');
		if (!res.headersSent) res.writeHead(500).end(String((e as Error).message));
		else res.destroy(e as Error);
	});
	return true;
}
