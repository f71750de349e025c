// The audit seal key and the anchor file: the two things about the audit trail that live
// outside the database, so that someone who can write the database cannot rewrite the trail.
// The key comes from PANELROOM_AUDIT_KEY or from `<data>/audit.key` (created 0600 on first
// start); it is never logged — only its fingerprint is. The anchor file
// `<data>/audit-anchors.log` sits beside it and is only ever appended to.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { config } from '../config';
import { slot } from '../runtime';

export interface AuditSecrets {
	key: Buffer;
	/** Where the key came from, for messages (never the key itself). */
	keySource: string;
	/** The append-only file of HMAC'd chain heads. */
	anchorsPath: string;
}

export class AuditKeyMissing extends Error {}

export const KEY_FILE = 'audit.key';
export const ANCHORS_FILE = 'audit-anchors.log';

/** A short, public name for a key: shows which key sealed a trail without revealing it. */
export function keyFingerprint(key: Buffer): string {
	return createHash('sha256').update('panelroom-audit-key\n').update(key).digest('hex').slice(0, 16);
}

function keyFromText(text: string, where: string): Buffer {
	const t = text.trim();
	if (/^[0-9a-f]{64,}$/i.test(t)) return Buffer.from(t, 'hex');
	if (t.length < 32) throw new Error(`${where}: the audit key must be at least 32 characters (or 64 hex digits)`);
	return Buffer.from(t, 'utf8');
}

export interface LoadOptions {
	dataDir: string;
	envKey?: string;
	/** Create `<dataDir>/audit.key` when there is none (the app at start; never audit:verify). */
	create: boolean;
}

export function loadAuditSecrets({ dataDir, envKey, create }: LoadOptions): AuditSecrets {
	const anchorsPath = path.join(dataDir, ANCHORS_FILE);
	if (envKey) return { key: keyFromText(envKey, 'PANELROOM_AUDIT_KEY'), keySource: 'PANELROOM_AUDIT_KEY', anchorsPath };
	const keyPath = path.join(dataDir, KEY_FILE);
	if (!fs.existsSync(keyPath)) {
		if (!create) throw new AuditKeyMissing(`no audit key: neither PANELROOM_AUDIT_KEY nor ${keyPath}`);
		fs.mkdirSync(dataDir, { recursive: true });
		try {
			// 'wx': if another process created it a moment ago, use theirs.
			fs.writeFileSync(keyPath, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
		}
	}
	return { key: keyFromText(fs.readFileSync(keyPath, 'utf8'), keyPath), keySource: keyPath, anchorsPath };
}

const current = slot<AuditSecrets>('audit.secrets');

/** The process's audit secrets, created on first use from the configuration. */
export function auditSecrets(): AuditSecrets {
	let s = current.get();
	if (!s) {
		const cfg = config();
		s = loadAuditSecrets({ dataDir: cfg.dataDir, envKey: cfg.auditKey, create: true });
		current.set(s);
	}
	return s;
}

/** Installs secrets made elsewhere (tests, restore), or forgets them. */
export function useAuditSecrets(s: AuditSecrets | undefined): void {
	current.set(s);
}
