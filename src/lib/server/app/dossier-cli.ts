// `npm run dossier:verify -- FILE.zip [--db] [--json]`: checks a dossier package offline —
// each file against the manifest (ok / changed / missing / extra) and the manifest's seal with
// the audit key when it is at hand (PANELROOM_AUDIT_KEY or <data>/audit.key) — and, with --db,
// whether the decision it records is the one in the configured database. Exit 0 intact,
// 1 changed, 2 could not verify. Messages are bilingual, like the other tools'.
import fs from 'node:fs';
import path from 'node:path';
import { config } from '../config';
import { openDatabase } from '../db';
import { AuditKeyMissing, keyFingerprint, loadAuditSecrets } from '../audit/secrets';
import { checkDecision, MAX_PACKAGE_BYTES, verifyPackage, type DecisionCheck } from '../dossier/verify';
import { CliError } from './cli';

const say = (line = '') => process.stdout.write(line + '\n');

const STATUS: Record<string, string> = { ok: '一致 / ok', changed: '已修改 / CHANGED', missing: '缺失 / MISSING', extra: '多出 / EXTRA' };

function keyOrNull() {
	const cfg = config();
	try {
		const s = loadAuditSecrets({ dataDir: cfg.dataDir, envKey: cfg.auditKey, create: false });
		return { key: s.key, fingerprint: keyFingerprint(s.key) };
	} catch (e) {
		if (e instanceof AuditKeyMissing) return null;
		throw e;
	}
}

export async function dossierVerifyCommand(args: string[]): Promise<number> {
	const file = args.find((a) => !a.startsWith('--'));
	if (!file) throw new CliError('用法 / usage: npm run dossier:verify -- FILE.zip [--db] [--json]');
	const full = path.resolve(file);
	if (!fs.existsSync(full)) throw new CliError(`找不到文件 / no such file: ${full}`);
	if (fs.statSync(full).size > MAX_PACKAGE_BYTES) throw new CliError(`文件过大 / file too large: ${full}`);
	const report = await verifyPackage(new Uint8Array(fs.readFileSync(full)), keyOrNull());
	if (report.problem) throw new CliError(`无法校验 / cannot verify (${report.problem}): ${full}`);
	let decision: DecisionCheck | null = null;
	if (args.includes('--db')) {
		const cfg = config();
		const database = await openDatabase(cfg.databaseUrl ? { databaseUrl: cfg.databaseUrl, max: 1 } : { dataDir: cfg.dataDir });
		try {
			decision = await checkDecision(database.db, report.manifest!);
		} finally {
			await database.close();
		}
	}
	const ok = report.ok && (!decision || (decision.matches && decision.recomputed));
	if (args.includes('--json')) {
		say(JSON.stringify({ ok, files: report.files, seal: report.seal, decision, manifest: report.manifest }, null, 2));
		return ok ? 0 : 1;
	}
	const mf = report.manifest!;
	say('档案校验 / dossier verification');
	say(`  申报 / application: ${mf.application.number} ${mf.application.title}`);
	say(`  生成 / generated: ${mf.generatedAt}（${mf.generatedBy.name}）`);
	for (const f of report.files) say(`  ${STATUS[f.status]}  ${f.path}`);
	say(`  清单封印 / manifest seal: ${report.seal === 'ok' ? '有效 / valid' : report.seal === 'bad' ? '无效 / INVALID' : '未核对（无本系统密钥）/ not checked (no key of this installation)'}`);
	say(`  决定 / decision: v${mf.decision.version} SHA-256 ${mf.decision.sha256}`);
	if (decision) say(`  数据库 / database: ${!decision.found ? '无此决定 / NOT FOUND' : decision.matches && decision.recomputed ? `一致 / matches${decision.inForce ? '' : '（已重新打开 / since reopened）'}` : '不一致 / MISMATCH'}`);
	say(ok ? '结果 / result: 完整 / intact' : '结果 / result: 已被修改或不完整 / CHANGED OR INCOMPLETE');
	return ok ? 0 : 1;
}
