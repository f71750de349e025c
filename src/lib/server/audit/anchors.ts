// Anchors: the audit chain's head (seq, seal, hash) written outside the database, one line
// per anchor in `<data>/audit-anchors.log`, each line HMAC'd with the audit key. An anchor
// proves the chain had at least that many rows with exactly that head: removing the newest
// rows, or rewriting any row up to an anchor, no longer matches it. The app anchors at start,
// every N new rows or M seconds, at every lock, and when it stops.
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { db as processDb, rows, type Db, type DbOrTx } from '../db';
import { config } from '../config';
import { logger } from '../log';
import { slot } from '../runtime';
import { auditSecrets, keyFingerprint, type AuditSecrets } from './secrets';
import { canonicalJson, hmacHex } from './seal';

export interface ChainHead {
	seq: number;
	seal: string | null;
	hash: string | null;
}

export interface Anchor extends ChainHead {
	/** When the anchor was written (ISO). */
	written: string;
	/** start, interval, rows, lock:decision, lock:document, stop, restore, backup… */
	reason: string;
	/** Fingerprint of the key that wrote it. */
	kf: string;
}

export async function chainHead(db: DbOrTx): Promise<ChainHead | null> {
	const [h] = await rows<{ seq: string | number; seal: string | null; hash: string | null }>(
		db,
		sql`SELECT seq, seal, hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1`
	);
	return h ? { seq: Number(h.seq), seal: h.seal, hash: h.hash } : null;
}

/** The anchor printed on a locked record: `#<seq> <seal>`. */
export function anchorText(head: ChainHead | null): string {
	if (!head) return '#0';
	return `#${head.seq} ${head.seal ?? `hash:${head.hash ?? ''}`}`;
}

export function parseAnchorText(text: string): { seq: number; seal: string | null; hash: string | null } | null {
	const m = /^#(\d+)(?: (hash:)?([0-9a-f]+))?$/.exec(text.trim());
	if (!m) return null;
	return { seq: Number(m[1]), seal: m[2] ? null : (m[3] ?? null), hash: m[2] ? (m[3] ?? null) : null };
}

/** The record anchor for a lock, read inside its transaction: the committed head before it. */
export async function recordAnchor(tx: DbOrTx): Promise<string> {
	return anchorText(await chainHead(tx));
}

function anchorMac(key: Buffer, a: Anchor): string {
	return hmacHex(key, canonicalJson(['panelroom-anchor/1', a.seq, a.seal, a.hash, a.written, a.reason, a.kf]));
}

export function anchorLine(key: Buffer, a: Anchor): string {
	return JSON.stringify({ ...a, mac: anchorMac(key, a) }) + '\n';
}

export interface AnchorFile {
	anchors: (Anchor & { line: number })[];
	/** Lines whose MAC does not hold or that do not parse. */
	bad: { line: number; reason: string }[];
	/** The file is there at all. */
	exists: boolean;
}

export function readAnchorsText(text: string, key: Buffer): AnchorFile {
	const out: AnchorFile = { anchors: [], bad: [], exists: true };
	text.split('\n').forEach((raw, i) => {
		if (!raw.trim()) return;
		const line = i + 1;
		let a: Anchor & { mac?: string };
		try {
			a = JSON.parse(raw);
		} catch {
			out.bad.push({ line, reason: 'unreadable' });
			return;
		}
		if (typeof a.seq !== 'number' || typeof a.mac !== 'string') return void out.bad.push({ line, reason: 'unreadable' });
		const anchor: Anchor = { seq: a.seq, seal: a.seal ?? null, hash: a.hash ?? null, written: a.written, reason: a.reason, kf: a.kf };
		if (anchorMac(key, anchor) !== a.mac) return void out.bad.push({ line, reason: a.kf !== keyFingerprint(key) ? 'other_key' : 'mac' });
		out.anchors.push({ ...anchor, line });
	});
	return out;
}

export function readAnchors(path: string, key: Buffer): AnchorFile {
	if (!fs.existsSync(path)) return { anchors: [], bad: [], exists: false };
	return readAnchorsText(fs.readFileSync(path, 'utf8'), key);
}

/** Appends one anchor line and flushes it to disk. */
export async function appendAnchor(secrets: AuditSecrets, head: ChainHead, reason: string): Promise<Anchor> {
	const a: Anchor = { ...head, written: new Date().toISOString(), reason, kf: keyFingerprint(secrets.key) };
	const fh = await fs.promises.open(secrets.anchorsPath, 'a', 0o600);
	try {
		await fh.appendFile(anchorLine(secrets.key, a));
		await fh.sync();
	} finally {
		await fh.close();
	}
	return a;
}

interface Anchorer {
	db: Db;
	lastSeq: number;
	pending: number;
	timer?: ReturnType<typeof setInterval>;
	soon?: ReturnType<typeof setTimeout>;
	running: Promise<unknown>;
}

const current = slot<Anchorer>('audit.anchorer');

/**
 * Anchors the committed head now, unless it is already anchored (a lock always anchors).
 * Serialized, so lines are written in order. Never throws: anchoring must not fail a request.
 */
export function anchorNow(reason: string, db?: Db): Promise<Anchor | null> {
	const a = current.get();
	let target = db ?? a?.db;
	if (!target) {
		try {
			target = processDb();
		} catch {
			return Promise.resolve(null);
		}
	}
	const source = target;
	const run = async () => {
		try {
			const head = await chainHead(source);
			if (!head) return null;
			if (a && head.seq === a.lastSeq && !reason.startsWith('lock')) return null;
			const written = await appendAnchor(auditSecrets(), head, reason);
			if (a) {
				a.lastSeq = Math.max(a.lastSeq, head.seq);
				a.pending = 0;
			}
			return written;
		} catch (e) {
			logger().error({ err: (e as Error).message, reason }, 'audit anchor not written');
			return null;
		}
	};
	if (!a) return run();
	const p = a.running.then(run, run);
	a.running = p;
	return p;
}

/** Called after each audit append: anchors once enough rows have been added. */
export function noteAppended(): void {
	const a = current.get();
	if (!a) return;
	a.pending++;
	if (a.pending >= config().auditAnchorRows && !a.soon) {
		// After the appending transaction has had a moment to commit.
		a.soon = setTimeout(() => {
			a.soon = undefined;
			void anchorNow('rows');
		}, 1000);
		a.soon.unref?.();
	}
}

/** Starts anchoring for the process's database: at once, then at intervals. */
export async function startAnchoring(db: Db): Promise<void> {
	await stopAnchoring();
	const secrets = auditSecrets();
	const file = readAnchors(secrets.anchorsPath, secrets.key);
	const a: Anchorer = { db, lastSeq: file.anchors.at(-1)?.seq ?? -1, pending: 0, running: Promise.resolve() };
	current.set(a);
	logger().info({ key: secrets.keySource, fingerprint: keyFingerprint(secrets.key), anchors: secrets.anchorsPath }, 'audit seal key loaded');
	await anchorNow('start');
	a.timer = setInterval(() => void anchorNow('interval'), config().auditAnchorSeconds * 1000);
	a.timer.unref?.();
}

export async function stopAnchoring(): Promise<void> {
	const a = current.get();
	if (!a) return;
	clearInterval(a.timer);
	clearTimeout(a.soon);
	await anchorNow('stop');
	current.set(undefined);
}
