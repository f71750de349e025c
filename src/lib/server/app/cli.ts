// The command-line tools: `npm run audit:verify`, `npm run backup -- FILE`,
// `npm run restore -- FILE`. They work on the configured database (DATABASE_URL, or the PGlite
// data folder PANELROOM_DATA); a PGlite folder held by a running server is reached through
// that server (control.ts), never opened twice. Messages are bilingual, like `npm start`'s.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import readline from 'node:readline';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import { config } from '../config';
import { migrate, openDatabase, rows, type Database } from '../db';
import { AuditKeyMissing, loadAuditSecrets, useAuditSecrets, type AuditSecrets } from '../audit/secrets';
import { describeProblem, verifyAudit, type VerifyReport } from '../audit/verify';
import { auditBackup, backupToFile, restoreFromFile } from '../backup/files';
import { BackupError } from '../backup';
import { CONTROL_PREFIX, readControlFile, type ControlInfo } from './control';

export class CliError extends Error {}

const say = (line = '') => process.stdout.write(line + '\n');

function secretsOrNull(): AuditSecrets | null {
	const cfg = config();
	try {
		return loadAuditSecrets({ dataDir: cfg.dataDir, envKey: cfg.auditKey, create: false });
	} catch (e) {
		if (e instanceof AuditKeyMissing) return null;
		throw e;
	}
}

function requireSecrets(): AuditSecrets {
	const s = secretsOrNull();
	if (!s) {
		const where = path.join(config().dataDir, 'audit.key');
		throw new CliError(`找不到审计密钥 / no audit key: 请设置 PANELROOM_AUDIT_KEY 或放置 ${where} / set PANELROOM_AUDIT_KEY or put the key at ${where}`);
	}
	return s;
}

/** A PGlite folder in use by a process that is not a reachable server: refuse to open it. */
function refuseIfInUse(dataDir: string): void {
	if (fs.existsSync(path.join(dataDir, 'postmaster.pid'))) {
		throw new CliError(
			`数据目录正被使用 / the data folder is in use: ${dataDir}\n` +
				'  请用 npm start 启动的服务器或先停止它（开发服务器请先停止）/ run it under `npm start` or stop it first (stop a dev server).\n' +
				'  若确认没有进程在运行，删除 postmaster.pid / if nothing is running, remove postmaster.pid'
		);
	}
}

async function openConfigured(): Promise<Database> {
	const cfg = config();
	if (cfg.databaseUrl) return openDatabase({ databaseUrl: cfg.databaseUrl, max: 1 });
	if (!fs.existsSync(path.join(cfg.dataDir, 'PG_VERSION'))) throw new CliError(`没有数据库 / no database in ${cfg.dataDir}`);
	refuseIfInUse(cfg.dataDir);
	return openDatabase({ dataDir: cfg.dataDir });
}

function runningServer(): ControlInfo | null {
	const cfg = config();
	return cfg.databaseUrl ? null : readControlFile(cfg.dataDir);
}

async function control(info: ControlInfo, what: string, headers: Record<string, string> = {}): Promise<Response> {
	const res = await fetch(info.url + CONTROL_PREFIX + what, { method: 'POST', headers: { authorization: `Bearer ${info.token}`, ...headers } });
	if (!res.ok) throw new CliError(`服务器拒绝 / the running server answered ${res.status}: ${await res.text()}`);
	return res;
}

export function printReport(r: VerifyReport): void {
	say('审计日志校验 / audit trail verification');
	say(`  条目 / entries: ${r.count}（已封印 / sealed ${r.sealed}）${r.head ? `，最新 / head #${r.head.seq} ${(r.head.seal ?? r.head.hash ?? '').slice(0, 16)}…` : ''}`);
	say(`  密钥指纹 / key fingerprint: ${r.keyFingerprint}`);
	const n = r.anchors.newest;
	say(`  锚点 / anchors: ${r.anchors.count}（${r.anchors.path}）${n ? `，最新 / newest #${n.seq} ${n.written} ${n.reason}` : ''}`);
	say(`  锁定记录锚点 / record anchors: ${r.records.checked}`);
	if (r.ok) {
		say('  ✓ 完好：所有封印、哈希链与锚点均一致 / intact: every seal, the hash chain and every anchor hold');
		return;
	}
	const first = r.firstBad!;
	say(`  ✗ 第一个异常条目 / first bad entry: ${first.seq === null ? '—' : `#${first.seq}`}`);
	for (const p of r.problems.slice(0, 20)) say(`    ${describeProblem(p)}`);
	if (r.problems.length > 20) say(`    … ${r.problems.length - 20} more`);
}

/** `npm run audit:verify [-- --json]`: exit 0 intact, 1 tampered, 2 could not verify. */
export async function auditVerifyCommand(args: string[]): Promise<number> {
	let report: VerifyReport;
	const server = runningServer();
	if (server) {
		report = (await (await control(server, 'audit-verify')).json()) as VerifyReport;
	} else {
		const secrets = requireSecrets();
		const database = await openConfigured();
		try {
			report = await verifyAudit(database.db, secrets);
		} finally {
			await database.close();
		}
	}
	if (args.includes('--json')) say(JSON.stringify(report, null, 2));
	else printReport(report);
	return report.ok ? 0 : 1;
}

function fileArg(args: string[], usage: string): string {
	const file = args.find((a) => !a.startsWith('--'));
	if (!file) throw new CliError(usage);
	return path.resolve(file);
}

/** `npm run backup -- FILE`: a consistent snapshot, while the app runs or not. */
export async function backupCommand(args: string[]): Promise<number> {
	const file = fileArg(args, '用法 / usage: npm run backup -- FILE.gz');
	fs.mkdirSync(path.dirname(file), { recursive: true });
	const server = runningServer();
	if (server) {
		const res = await control(server, 'backup', { 'x-panelroom-file': path.basename(file) });
		const tmp = `${file}.partial`;
		const out = fs.createWriteStream(tmp, { mode: 0o600 });
		const gz = zlib.createGzip();
		gz.pipe(out);
		let last = '';
		const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
		for await (const chunk of body) {
			const text = (chunk as Buffer).toString('utf8');
			last = (last + text).slice(-4096);
			if (!gz.write(chunk)) await new Promise((r) => gz.once('drain', r));
		}
		gz.end();
		await finished(out);
		// A snapshot cut short (the server stopped) has no end marker: keep nothing.
		if (!/\n@end [^\n]*\n$/.test(last)) {
			fs.rmSync(tmp, { force: true });
			throw new CliError('备份未完成 / the backup did not complete');
		}
		fs.renameSync(tmp, file);
	} else {
		const secrets = secretsOrNull();
		if (!secrets) say('注意：找不到审计密钥，备份中不记录密钥指纹 / note: no audit key here, the backup records no key fingerprint');
		else useAuditSecrets(secrets);
		const database = await openConfigured();
		try {
			const summary = await backupToFile(database, file, secrets);
			if (secrets) await auditBackup(database, file, summary);
		} finally {
			await database.close();
		}
	}
	const size = fs.statSync(file).size;
	say(`备份完成 / backup written: ${file} (${(size / 1024).toFixed(0)} KiB)`);
	say('  审计密钥不在备份中，请另行妥善保管 / the audit key is not in the backup: keep it safe, apart from it');
	return 0;
}

async function confirm(question: string): Promise<boolean> {
	if (!process.stdin.isTTY) return false;
	const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
	const answer = await new Promise<string>((r) => rl.question(question, r));
	rl.close();
	return answer.trim().toLowerCase() === 'yes';
}

/** `npm run restore -- FILE [--yes]`: replaces the database's content with the backup's. */
export async function restoreCommand(args: string[]): Promise<number> {
	const file = fileArg(args, '用法 / usage: npm run restore -- FILE.gz [--yes]');
	if (!fs.existsSync(file)) throw new CliError(`找不到文件 / no such file: ${file}`);
	const cfg = config();
	if (runningServer()) throw new CliError('请先停止服务器 / stop the server first: a restore replaces everything it holds');
	const secrets = requireSecrets();
	useAuditSecrets(secrets);
	const target = cfg.databaseUrl ? new URL(cfg.databaseUrl).pathname.slice(1) : cfg.dataDir;
	if (!args.includes('--yes') && !(await confirm(`将用备份替换 ${target} 中的全部数据，输入 yes 继续 / this replaces all data in ${target}; type yes: `))) {
		say('已取消 / cancelled (pass --yes to skip the question)');
		return 1;
	}
	let database: Database;
	if (cfg.databaseUrl) {
		database = await openDatabase({ databaseUrl: cfg.databaseUrl, max: 1 });
		const others = await rows<{ n: number }>(
			database.db,
			sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'panelroom' AND pid <> pg_backend_pid()`
		);
		if (others[0].n > 0 && !args.includes('--force')) {
			await database.close();
			throw new CliError(`还有 ${others[0].n} 个 Panelroom 连接 / ${others[0].n} Panelroom connections are open: stop every server first (or --force)`);
		}
	} else {
		fs.mkdirSync(cfg.dataDir, { recursive: true });
		refuseIfInUse(cfg.dataDir);
		database = await openDatabase({ dataDir: cfg.dataDir });
	}
	try {
		await migrate(database);
		const result = await restoreFromFile(database, file, secrets);
		const total = Object.values(result.tables).reduce((a, n) => a + n, 0);
		say(`恢复完成 / restored: ${total} 行 / rows from ${file} (${result.header.createdAt})`);
		if (result.previousAnchors) say(`  原锚点文件已保留 / the anchor file in place before was kept as ${result.previousAnchors}`);
		const report = await verifyAudit(database.db, secrets);
		printReport(report);
		return report.ok ? 0 : 1;
	} finally {
		await database.close();
	}
}

/** Runs a command and exits: errors are one clear line, never a stack trace. */
export async function main(run: (args: string[]) => Promise<number>): Promise<void> {
	try {
		process.exitCode = await run(process.argv.slice(2));
	} catch (e) {
		if (e instanceof CliError || e instanceof BackupError || e instanceof AuditKeyMissing) {
			process.stderr.write(`${e.message}\n`);
			process.exitCode = 2;
		} else {
			process.stderr.write(`${(e as Error).stack ?? e}\n`);
			process.exitCode = 2;
		}
	}
}
