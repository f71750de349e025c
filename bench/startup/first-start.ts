// First start on a fresh clone (issue 10, item 6), for bench/README.md: the time from
// `git clone` to the first page, as a newcomer sees it.
//   1. `git clone` the repository into a temporary folder and check out its HEAD commit
//      (committed work only: uncommitted changes are not in the clone);
//   2. `npm ci` (the npm cache of this machine is used, as it would be on a second clone);
//   3. `npm start` on an empty data folder (embedded PGlite, demo data): scripts/start.js
//      builds (its build/.stamp marks the end of the build), then the server migrates, seeds
//      and listens; the clock stops when GET /healthz is 200 and GET /login answers 200.
// The server is stopped (SIGTERM to its process group) and the clone removed afterwards.
// CPU seconds (user + system, from /proc: npm ci's, and npm start's process group's) are printed
// beside the wall clock: the machine is shared, and the wall clock moves with the others' load.
// Usage: npx tsx bench/startup/first-start.ts [path-of-repository] [--commit <sha>] [--keep]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../tests/helpers/server';

const args = process.argv.slice(2);
const keep = args.includes('--keep');
const commitArg = args.indexOf('--commit') >= 0 ? args[args.indexOf('--commit') + 1] : 'HEAD';
const source = path.resolve(args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--commit') ?? path.resolve(import.meta.dirname, '../..'));
const commit = spawnSync('git', ['-C', source, 'rev-parse', commitArg], { encoding: 'utf8' }).stdout.trim();
if (!commit) throw new Error(`not a git repository: ${source}`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'panelroom-first-start-'));
const clone = path.join(tmp, 'panelroom');
const dataDir = path.join(tmp, 'data');
const logFile = path.join(tmp, 'output.log');
const log = fs.createWriteStream(logFile);
const loadavg = () => os.loadavg().map((n) => n.toFixed(2)).join(' ');
const secs = (ms: number) => (ms / 1000).toFixed(1).padStart(6);
/** CPU seconds used by the children this process has waited for (Linux; NaN elsewhere). */
/** CPU seconds of a live process group: each member's own and its waited-for children's. */
function groupCpu(pgid: number): number {
	let ticks = 0;
	for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
		try {
			const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
			if (Number(f[2]) === pgid) ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
		} catch {
			/* gone */
		}
	}
	return ticks / 100;
}
function childCpu(): number {
	try {
		const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
		return (Number(fields[13]) + Number(fields[14])) / 100; // cutime + cstime, clock ticks
	} catch {
		return NaN;
	}
}

/** Runs a command to completion with its output in the log; returns the seconds it took. */
function timed(cmd: string, argv: string[], cwd: string): number {
	const t0 = performance.now();
	const r = spawnSync(cmd, argv, { cwd, encoding: 'utf8', env: { ...process.env, CI: '1' }, maxBuffer: 256 * 1024 * 1024 });
	log.write(`$ ${cmd} ${argv.join(' ')}\n${r.stdout}${r.stderr}\n`);
	if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status}); see ${logFile}`);
	return performance.now() - t0;
}

async function ok(url: string): Promise<boolean> {
	try {
		const res = await fetch(url);
		await res.arrayBuffer();
		return res.status === 200;
	} catch {
		return false;
	}
}

console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}; load average at start ${loadavg()}`);
console.log(`repository ${source} at ${commit.slice(0, 10)}, clone in ${clone}`);

const clock = performance.now();
const cloneMs = timed('git', ['clone', '--quiet', '--no-checkout', source, clone], tmp) + timed('git', ['checkout', '--quiet', commit], clone);
const cpu0 = childCpu();
const ciMs = timed('npm', ['ci', '--no-audit', '--no-fund'], clone);
const ciCpu = childCpu() - cpu0;

const port = await freePort();
const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', PANELROOM_DATA: dataDir, PANELROOM_DEMO: '1', LOG_LEVEL: 'warn' };
delete env.DATABASE_URL; // the embedded database, as on a newcomer's machine
const startAt = performance.now();
// Own process group, so that npm, its shell and the server stop together.
const child = spawn('npm', ['start'], { cwd: clone, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
child.stdout.pipe(log, { end: false });
child.stderr.pipe(log, { end: false });
let exited: number | null = null;
child.once('exit', (code) => (exited = code ?? 1));

const stamp = path.join(clone, 'build', '.stamp');
let builtAt = 0;
let healthyAt = 0;
const deadline = startAt + 15 * 60_000;
while (!healthyAt) {
	if (exited !== null) throw new Error(`npm start exited (${exited}) before the server answered; see ${logFile}`);
	if (performance.now() > deadline) throw new Error(`no healthy server after 15 minutes; see ${logFile}`);
	if (!builtAt && fs.existsSync(stamp)) builtAt = performance.now();
	if (builtAt && (await ok(`http://127.0.0.1:${port}/healthz`)) && (await ok(`http://127.0.0.1:${port}/login`))) healthyAt = performance.now();
	else await new Promise((r) => setTimeout(r, 100));
}
const buildMs = builtAt - startAt;
const serveMs = healthyAt - builtAt;
const total = healthyAt - clock;
// Read before the stop: npm exits on SIGTERM without waiting for its children.
const startCpu = groupCpu(child.pid!);

process.kill(-child.pid!, 'SIGTERM');
await new Promise<void>((r) => (exited !== null ? r() : child.once('exit', () => r())));

console.log(`git clone + checkout      ${secs(cloneMs)} s`);
console.log(`npm ci                    ${secs(ciMs)} s   CPU ${ciCpu.toFixed(1)} s`);
console.log(`npm start: build          ${secs(buildMs)} s`);
console.log(`npm start: server start   ${secs(serveMs)} s   (migrate + seed to /healthz and /login 200)`);
console.log(`npm start total           ${secs(healthyAt - startAt)} s   CPU ${startCpu.toFixed(1)} s (build + server start)`);
console.log(`total, clone to first page ${secs(total)} s   (target < 180 s)`);
console.log(`load average at end ${loadavg()}`);
log.end();
if (keep) console.log(`kept ${tmp}`);
else fs.rmSync(tmp, { recursive: true, force: true });
