// The sealed dossier (档案) of a decided application: one ZIP with the files of every section
// (sections.ts) and manifest.json, which lists each file's SHA-256 and size, the decision's
// hash and record anchor, the audit chain's head when the package was made, and an HMAC seal
// of the manifest with the audit key (so a file changed together with its manifest entry is
// still caught by whoever holds the key). Only the owning division's staff and admins may
// download it; each download is audited.
import { createHash } from 'node:crypto';
import JSZip from 'jszip';
import { eq } from 'drizzle-orm';
import { applications, calls, meetingItems, programs } from '$db/schema';
import type { Db, DbOrTx } from '../db';
import type { Principal } from '../auth/principal';
import { roles } from '../auth/principal';
import { audit, type AuditActor } from '../audit';
import { anchorText, chainHead } from '../audit/anchors';
import { auditSecrets, keyFingerprint } from '../audit/secrets';
import { canonicalJson, hmacHex } from '../audit/seal';
import { decisionOf } from '../opinions/context';
import { SECTIONS, type DossierFile } from './sections';

export const MANIFEST = 'manifest.json';
export const FORMAT = 'panelroom-dossier/1';

export interface ManifestEntry {
	path: string;
	sha256: string;
	bytes: number;
}

export interface Manifest {
	format: typeof FORMAT;
	application: { id: string; number: string; title: string };
	generatedAt: string;
	generatedBy: { id: string | null; name: string };
	decision: { id: string; itemId: string; version: number; outcome: string; amount: string | null; sha256: string; auditAnchor: string | null; lockedAt: string };
	opinion: { sha256: string } | null;
	/** The audit chain's head when the package was made (`#seq seal`). */
	auditAnchor: string;
	files: ManifestEntry[];
	keyFingerprint: string;
	/** HMAC-SHA-256 with the audit key of the manifest's canonical JSON without this field. */
	seal: string;
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export function manifestSeal(key: Buffer, m: Omit<Manifest, 'seal'> & { seal?: string }): string {
	const { seal: _seal, ...rest } = m;
	void _seal;
	return hmacHex(key, canonicalJson(['panelroom-dossier/1', rest]));
}

export type DossierError = 'not_found' | 'forbidden' | 'not_decided';

/** Who may download: staff of the division that owns the call's program, and admins. */
async function owningDivision(db: DbOrTx, applicationId: string) {
	const [row] = await db
		.select({ id: applications.id, number: applications.number, title: applications.title, divisionId: programs.divisionId })
		.from(applications)
		.innerJoin(calls, eq(calls.id, applications.callId))
		.innerJoin(programs, eq(programs.id, calls.programId))
		.where(eq(applications.id, applicationId));
	return row ?? null;
}

export async function mayDownloadDossier(db: DbOrTx, p: Principal, applicationId: string): Promise<boolean> {
	const app = await owningDivision(db, applicationId);
	return !!app && (p.isAdmin || roles.inDivision(p, app.divisionId));
}

/** The decided item of an application: the newest decision in force among its agenda items. */
async function decidedItem(db: DbOrTx, applicationId: string) {
	const items = await db.select({ id: meetingItems.id, meetingId: meetingItems.meetingId }).from(meetingItems).where(eq(meetingItems.applicationId, applicationId));
	let best: { itemId: string; meetingId: string; d: NonNullable<Awaited<ReturnType<typeof decisionOf>>> } | null = null;
	for (const it of items) {
		const d = await decisionOf(db, it.id);
		if (d && (!best || d.lockedAt > best.d.lockedAt)) best = { itemId: it.id, meetingId: it.meetingId, d };
	}
	return best;
}

export async function buildDossier(
	db: Db,
	p: Principal,
	actor: AuditActor,
	applicationId: string
): Promise<{ ok: true; zip: Uint8Array; fileName: string; manifest: Manifest } | { ok: false; code: DossierError }> {
	const app = await owningDivision(db, applicationId);
	// Those who may not download learn nothing, not even whether the application exists.
	if (!app || !(p.isAdmin || roles.inDivision(p, app.divisionId))) return { ok: false, code: app ? 'forbidden' : 'not_found' };
	const decided = await decidedItem(db, applicationId);
	if (!decided) return { ok: false, code: 'not_decided' };
	const ctx = { db, applicationId, number: app.number, itemId: decided.itemId, meetingId: decided.meetingId, decisionId: decided.d.id };
	const files: DossierFile[] = [];
	for (const section of SECTIONS) files.push(...(await section.build(ctx)));
	const opinionFile = files.find((f) => f.path === 'opinion/opinion.json');
	const opinionSha = opinionFile ? ((JSON.parse(new TextDecoder().decode(opinionFile.bytes)) as { finalized?: { sha256: string } | null }).finalized?.sha256 ?? null) : null;
	const secrets = auditSecrets();
	const generatedAt = new Date();
	const d = decided.d;
	const unsealed: Omit<Manifest, 'seal'> = {
		format: FORMAT,
		application: { id: app.id, number: app.number, title: app.title },
		generatedAt: generatedAt.toISOString(),
		generatedBy: { id: p.user.id, name: p.user.name },
		decision: { id: d.id, itemId: d.itemId, version: d.version, outcome: d.outcome, amount: d.amount, sha256: d.sha256, auditAnchor: d.auditAnchor, lockedAt: d.lockedAt.toISOString() },
		opinion: opinionSha ? { sha256: opinionSha } : null,
		auditAnchor: anchorText(await chainHead(db)),
		files: files.map((f) => ({ path: f.path, sha256: sha256(f.bytes), bytes: f.bytes.byteLength })),
		keyFingerprint: keyFingerprint(secrets.key)
	};
	const manifest: Manifest = { ...unsealed, seal: manifestSeal(secrets.key, unsealed) };
	const zip = new JSZip();
	for (const f of files) zip.file(f.path, f.bytes, { date: generatedAt });
	zip.file(MANIFEST, JSON.stringify(manifest, null, 2) + '\n', { date: generatedAt });
	const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 } });
	await db.transaction(async (tx) => {
		await audit(tx, actor, 'dossier.downloaded', { type: 'application', id: app.id }, { number: app.number, decisionId: d.id, files: files.length, packageSha256: sha256(bytes), manifestSeal: manifest.seal });
	});
	return { ok: true, zip: bytes, fileName: `dossier-${app.number}.zip`, manifest };
}
