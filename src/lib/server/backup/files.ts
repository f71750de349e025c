// Backups as gzip files, and what goes with them beyond the database: the audit anchor file
// is carried in the backup and put back by a restore (the old one kept beside it); the audit
// key is not — a restore checks that the key in place is the one that sealed the trail.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import zlib from 'node:zlib';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import type { Database } from '../db';
import { audit } from '../audit';
import { anchorNow } from '../audit/anchors';
import { keyFingerprint, type AuditSecrets } from '../audit/secrets';
import { BackupError, restoreBackup, writeBackup, type BackupSummary, type RestoreResult } from './index';

function anchorsText(secrets: AuditSecrets | null): string | null {
	if (!secrets || !fs.existsSync(secrets.anchorsPath)) return null;
	return fs.readFileSync(secrets.anchorsPath, 'utf8');
}

/** Streams a backup (uncompressed lines) into a writable, with backpressure. */
export async function backupTo(database: Pick<Database, 'db' | 'kind'>, sink: Writable, secrets: AuditSecrets | null): Promise<BackupSummary> {
	const summary = await writeBackup(
		database,
		async (line) => {
			if (!sink.write(line)) await once(sink, 'drain');
		},
		{ anchorsText: anchorsText(secrets), keyFingerprint: secrets ? keyFingerprint(secrets.key) : null }
	);
	return summary;
}

/** Records a finished backup in the audit trail (after the snapshot, so not inside it). */
export async function auditBackup(database: Pick<Database, 'db'>, file: string, summary: BackupSummary, ip?: string | null): Promise<void> {
	const rowsTotal = Object.values(summary.tables).reduce((a, n) => a + n, 0);
	await audit(database.db, { name: 'system', ip: ip ?? null }, 'backup.created', null, {
		file: path.basename(file),
		rows: rowsTotal,
		auditSeq: summary.header.auditHead?.seq ?? 0,
		sha256: summary.sha256
	});
	await anchorNow('backup', database.db);
}

/** Writes a gzip backup to `file` (via a temporary file, so a failed backup leaves nothing). */
export async function backupToFile(database: Pick<Database, 'db' | 'kind'>, file: string, secrets: AuditSecrets | null): Promise<BackupSummary> {
	const tmp = `${file}.partial`;
	const fileStream = fs.createWriteStream(tmp, { mode: 0o600 });
	const gz = zlib.createGzip();
	gz.pipe(fileStream);
	try {
		const summary = await backupTo(database, gz, secrets);
		gz.end();
		await finished(fileStream);
		fs.renameSync(tmp, file);
		return summary;
	} catch (e) {
		gz.destroy();
		fileStream.destroy();
		fs.rmSync(tmp, { force: true });
		throw e;
	}
}

export function backupLines(file: string): AsyncIterable<string> {
	const input = fs.createReadStream(file).pipe(zlib.createGunzip());
	return readline.createInterface({ input, crlfDelay: Infinity });
}

export interface RestoreOutcome extends RestoreResult {
	/** Where the anchor file in place before the restore was moved, if there was one. */
	previousAnchors: string | null;
}

/**
 * Restores `file` into the database (which must not be in use), puts back the backup's audit
 * anchors and records the restore in the (restored) audit trail, sealed and anchored.
 */
export async function restoreFromFile(database: Pick<Database, 'db'>, file: string, secrets: AuditSecrets): Promise<RestoreOutcome> {
	// Checked before anything changes: a trail restored under another key would not verify.
	const probe = backupLines(file)[Symbol.asyncIterator]();
	const first = await probe.next();
	await probe.return?.();
	let fingerprint: string | null;
	try {
		fingerprint = JSON.parse(first.value ?? '').keyFingerprint ?? null;
	} catch {
		throw new BackupError('not a Panelroom backup');
	}
	const mine = keyFingerprint(secrets.key);
	if (fingerprint && fingerprint !== mine) {
		throw new BackupError(`the backup's audit trail was sealed with key ${fingerprint}, this installation has key ${mine} (${secrets.keySource}): put the original audit key in place first`);
	}
	const result = await restoreBackup(database, backupLines(file));
	let previousAnchors: string | null = null;
	if (fs.existsSync(secrets.anchorsPath)) {
		previousAnchors = `${secrets.anchorsPath}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
		fs.renameSync(secrets.anchorsPath, previousAnchors);
	}
	if (result.anchorsText) fs.writeFileSync(secrets.anchorsPath, result.anchorsText, { mode: 0o600 });
	await audit(database.db, { name: 'system' }, 'backup.restored', null, {
		file: path.basename(file),
		createdAt: result.header.createdAt,
		source: result.header.source,
		auditSeq: result.header.auditHead?.seq ?? 0
	});
	await anchorNow('restore', database.db);
	return { ...result, previousAnchors };
}
