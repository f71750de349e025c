// The seal of one audit row: HMAC-SHA256, with the key the database never holds, over the
// row's content, its seq and the previous row's seal. Editing a row, re-hashing it, removing
// or renumbering one all break a seal that cannot be recomputed without the key.
import { createHash, createHmac } from 'node:crypto';

export interface SealedFields {
	seq: number;
	/** The previous row's seal ('' for the first row; `hash:<hash>` after an unsealed row). */
	link: string;
	/** The row's time as the database renders it: YYYY-MM-DDTHH:MM:SS.uuuuuuZ (UTC). */
	at: string;
	actorId: string | null;
	actorName: string | null;
	ip: string | null;
	action: string;
	entityType: string | null;
	entityId: string | null;
	/** The details as JSON values (after a JSON round trip). */
	details: unknown;
}

/** JSON with object keys sorted, so the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
	if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
	if (Array.isArray(value)) return '[' + value.map((v) => canonicalJson(v === undefined ? null : v)).join(',') + ']';
	const obj = value as Record<string, unknown>;
	const keys = Object.keys(obj)
		.filter((k) => obj[k] !== undefined)
		.sort();
	return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(obj[k])).join(',') + '}';
}

export function sealText(f: SealedFields): string {
	return canonicalJson([
		'panelroom-audit/1',
		f.seq,
		f.link,
		f.at,
		f.actorId?.toLowerCase() ?? null,
		f.actorName,
		f.ip,
		f.action,
		f.entityType,
		f.entityId,
		f.details ?? null
	]);
}

export function computeSeal(key: Buffer, f: SealedFields): string {
	return createHmac('sha256', key).update(sealText(f), 'utf8').digest('hex');
}

/** What the next row's seal links to. */
export function linkOf(prev: { seal: string | null; hash: string | null } | undefined): string {
	if (!prev) return '';
	return prev.seal ?? `hash:${prev.hash ?? ''}`;
}

/**
 * The database's own row hash (audit_log_row_hash in the audit migration), recomputed here so
 * that verifying does not trust a function an attacker could replace.
 */
export function rowHash(r: {
	prevHash: string | null;
	seq: number;
	at: string;
	actorId: string | null;
	actorName: string | null;
	ip: string | null;
	action: string;
	entityType: string | null;
	entityId: string | null;
	/** jsonb as the database renders it (details::text). */
	detailsText: string | null;
}): string {
	const parts = [r.prevHash ?? '', String(r.seq), r.at, r.actorId ?? '', r.actorName ?? '', r.ip ?? '', r.action, r.entityType ?? '', r.entityId ?? '', r.detailsText ?? ''];
	return createHash('sha256').update(parts.join('|'), 'utf8').digest('hex');
}

export function hmacHex(key: Buffer, text: string): string {
	return createHmac('sha256', key).update(text, 'utf8').digest('hex');
}
