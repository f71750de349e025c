// Start-up and sign-in figures for bench/README.md:
//   - cold start: `node server.js` on an empty data folder (migrations + demo seed) to the
//     first 200 of the sign-in page; warm start on the same folder;
//   - sign-in requests per second (Argon2id verification + session insert) and an
//     authenticated page's requests per second.
// Usage: npm run build && npx tsx bench/startup/run.ts [--seconds 10] [--concurrency 8]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../tests/helpers/server';
import { fmt, load } from '../lib';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
	const i = args.indexOf(`--${name}`);
	return i >= 0 ? Number(args[i + 1]) : fallback;
};
const seconds = opt('seconds', 10);
const concurrency = opt('concurrency', 8);
const root = path.resolve(import.meta.dirname, '../..');

async function boot(dataDir: string, port: number, env: Record<string, string> = {}) {
	const t0 = performance.now();
	const child = spawn(process.execPath, ['server.js'], {
		cwd: root,
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', PANELROOM_DATA: dataDir, PANELROOM_DEMO: '1', PANELROOM_QUIET: '1', LOG_LEVEL: 'warn', ...env },
		stdio: 'ignore'
	});
	for (;;) {
		try {
			const res = await fetch(`http://127.0.0.1:${port}/login`);
			if (res.status === 200) break;
		} catch {
			/* not yet */
		}
		await new Promise((r) => setTimeout(r, 20));
	}
	return { ms: performance.now() - t0, stop: () => new Promise<void>((r) => (child.once('exit', () => r()), child.kill('SIGTERM'))) };
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'panelroom-bench-'));
const port = await freePort();
const cold = await boot(dataDir, port);
await cold.stop();
const warm = await boot(dataDir, port);
const base = `http://127.0.0.1:${port}`;

console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
console.log(`cold start (empty PGlite: migrate + seed) to first 200: ${fmt(cold.ms, 0)} ms`);
console.log(`warm start (existing data) to first 200:              ${fmt(warm.ms, 0)} ms`);

const users = ['admin', 'intake', 'planner', 'chair', ...Array.from({ length: 8 }, (_, i) => `expert${i + 1}`)];
let n = 0;
const signIn = await load(
	async () => {
		const username = users[n++ % users.length];
		const res = await fetch(`${base}/api/auth/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.9.${n % 250}.1` },
			body: JSON.stringify({ username, password: 'demo-password' })
		});
		await res.arrayBuffer();
		return res.status === 200;
	},
	concurrency,
	seconds
);
console.log(
	`sign-in (POST /api/auth/login, ${concurrency} concurrent, ${seconds}s): ${fmt(signIn.rps)} req/s, p50 ${fmt(signIn.p50)} ms, p99 ${fmt(signIn.p99)} ms, errors ${signIn.errors}/${signIn.requests}`
);

const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'intake', password: 'demo-password' }) });
const cookie = login.headers.getSetCookie()[0].split(';')[0];
const home = await load(
	async () => {
		const res = await fetch(`${base}/`, { headers: { cookie } });
		await res.arrayBuffer();
		return res.status === 200;
	},
	concurrency,
	seconds
);
console.log(`home page (GET /, signed in as intake, ${concurrency} concurrent): ${fmt(home.rps)} req/s, p50 ${fmt(home.p50)} ms, p99 ${fmt(home.p99)} ms, errors ${home.errors}/${home.requests}`);

await warm.stop();
fs.rmSync(dataDir, { recursive: true, force: true });
