// The public objection form's check against automated submissions, offline (no external
// CAPTCHA): the server signs a form token (publication, issue time, a random nonce) with a key
// derived from the installation's audit key, so every node of a cluster accepts every node's
// tokens. A submission must bring an unexpired token, at least MIN_FILL_MS after it was issued
// (a person reads and types; a script posts at once), with the hidden honeypot field empty
// (browsers' users never see it; form-filling bots fill it), and each token is spent once
// (its nonce is stored; a replay is refused by the primary key, on every node).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { lt, sql } from 'drizzle-orm';
import { publicationFormNonces } from '$db/schema';
import type { DbOrTx } from '../db';
import { auditSecrets } from '../audit/secrets';

/** A person needs longer than this to fill the form (seconds, settable for tests). */
export function minFillMs(): number {
	const raw = process.env.PANELROOM_OBJECTION_MIN_FILL_MS;
	const v = raw ? Number(raw) : NaN;
	return Number.isFinite(v) && v >= 0 ? v : 3000;
}
/** A token is good for two hours: long enough to write the grounds, short enough to not pile up. */
export const TOKEN_TTL_MS = 2 * 3600_000;

function key(): Buffer {
	return createHmac('sha256', auditSecrets().key).update('panelroom-objection-form-token').digest();
}

function sign(body: string): string {
	return createHmac('sha256', key()).update(body).digest('base64url');
}

/** A fresh token for a publication's form. */
export function issueFormToken(publicationId: string, now = Date.now()): string {
	const body = `${publicationId}.${now.toString(36)}.${randomBytes(12).toString('base64url')}`;
	return `${body}.${sign(body)}`;
}

export type TokenProblem = 'tokenMissing' | 'tokenInvalid' | 'tokenExpired' | 'tooFast' | 'tokenUsed' | 'honeypot';

/** Checks a token without spending it. */
export function checkFormToken(token: string | undefined | null, publicationId: string, honeypot: string | undefined | null, now = Date.now()): { ok: true; nonce: string } | { ok: false; code: TokenProblem } {
	if (honeypot) return { ok: false, code: 'honeypot' };
	if (!token) return { ok: false, code: 'tokenMissing' };
	const parts = token.split('.');
	if (parts.length !== 4 || token.length > 200) return { ok: false, code: 'tokenInvalid' };
	const [pub, issued, nonce, mac] = parts;
	const expected = Buffer.from(sign(`${pub}.${issued}.${nonce}`));
	const given = Buffer.from(mac);
	if (given.length !== expected.length || !timingSafeEqual(given, expected) || pub !== publicationId) return { ok: false, code: 'tokenInvalid' };
	const issuedAt = Number.parseInt(issued, 36);
	if (!Number.isFinite(issuedAt) || now - issuedAt > TOKEN_TTL_MS || issuedAt > now + 60_000) return { ok: false, code: 'tokenExpired' };
	if (now - issuedAt < minFillMs()) return { ok: false, code: 'tooFast' };
	return { ok: true, nonce };
}

/** Spends a token's nonce inside the objection's transaction: false when it was spent before. */
export async function spendNonce(tx: DbOrTx, nonce: string): Promise<boolean> {
	const rows = await tx.insert(publicationFormNonces).values({ nonce }).onConflictDoNothing().returning({ nonce: publicationFormNonces.nonce });
	// Spent nonces older than a token's life can go: their tokens are refused as expired anyway.
	await tx.delete(publicationFormNonces).where(lt(publicationFormNonces.usedAt, sql`now() - interval '1 day'`));
	return rows.length === 1;
}
