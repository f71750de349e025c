// Checking a dossier package: every file against the manifest (ok, changed, missing, extra),
// the manifest's seal against the audit key when it is at hand, and (with a database) whether
// the decision it records is the one stored, with the same hash, and still in force. Pure on
// the package bytes, so the command line and the verify page share it. Bounded: a package
// larger than MAX_PACKAGE_BYTES, or that would unpack beyond MAX_UNPACKED_BYTES, is refused
// before anything is inflated.
import JSZip from 'jszip';
import { eq } from 'drizzle-orm';
import { meetingDecisionReopens, meetingDecisions } from '$db/schema';
import type { DbOrTx } from '../db';
import { decisionHash } from '../meetings/room';
import { MANIFEST, FORMAT, manifestSeal, sha256, type Manifest } from './build';

export const MAX_PACKAGE_BYTES = 200 * 1024 * 1024;
export const MAX_UNPACKED_BYTES = 1024 * 1024 * 1024;

export type FileStatus = 'ok' | 'changed' | 'missing' | 'extra';

export interface PackageReport {
	ok: boolean;
	problem: null | 'tooLarge' | 'notZip' | 'noManifest' | 'badManifest';
	manifest: Manifest | null;
	files: { path: string; status: FileStatus }[];
	/** 'unchecked' when no key was given (or it is another installation's key). */
	seal: 'ok' | 'bad' | 'unchecked';
}

function failed(problem: PackageReport['problem']): PackageReport {
	return { ok: false, problem, manifest: null, files: [], seal: 'unchecked' };
}

function isManifest(m: unknown): m is Manifest {
	const x = m as Manifest;
	return !!x && x.format === FORMAT && Array.isArray(x.files) && x.files.every((f) => typeof f?.path === 'string' && typeof f?.sha256 === 'string') && typeof x.seal === 'string' && !!x.decision;
}

export async function verifyPackage(bytes: Uint8Array, key?: { key: Buffer; fingerprint: string } | null): Promise<PackageReport> {
	if (bytes.byteLength > MAX_PACKAGE_BYTES) return failed('tooLarge');
	let zip: JSZip;
	try {
		zip = await JSZip.loadAsync(bytes, { checkCRC32: false });
	} catch {
		return failed('notZip');
	}
	const entries = Object.values(zip.files).filter((f) => !f.dir);
	// The central directory says how large each entry unpacks; refuse a zip bomb before inflating.
	const unpacked = entries.reduce((n, f) => n + Number((f as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize ?? 0), 0);
	if (unpacked > MAX_UNPACKED_BYTES) return failed('tooLarge');
	const manifestFile = zip.file(MANIFEST);
	if (!manifestFile) return failed('noManifest');
	let manifest: unknown;
	try {
		manifest = JSON.parse(await manifestFile.async('string'));
	} catch {
		return failed('badManifest');
	}
	if (!isManifest(manifest)) return failed('badManifest');
	const listed = new Map(manifest.files.map((f) => [f.path, f]));
	const files: PackageReport['files'] = [];
	for (const f of manifest.files) {
		const entry = zip.file(f.path);
		if (!entry) {
			files.push({ path: f.path, status: 'missing' });
			continue;
		}
		let content: Uint8Array;
		try {
			content = await entry.async('uint8array');
		} catch {
			files.push({ path: f.path, status: 'changed' });
			continue;
		}
		files.push({ path: f.path, status: sha256(content) === f.sha256 && content.byteLength === f.bytes ? 'ok' : 'changed' });
	}
	for (const e of entries) if (e.name !== MANIFEST && !listed.has(e.name)) files.push({ path: e.name, status: 'extra' });
	let seal: PackageReport['seal'] = 'unchecked';
	if (key && key.fingerprint === manifest.keyFingerprint) seal = manifestSeal(key.key, manifest) === manifest.seal ? 'ok' : 'bad';
	return { ok: seal !== 'bad' && files.every((f) => f.status === 'ok'), problem: null, manifest, files, seal };
}

export interface DecisionCheck {
	/** The decision row exists and its stored hash is the manifest's. */
	matches: boolean;
	/** The stored row still hashes to its stored hash (nobody rewrote it). */
	recomputed: boolean;
	/** It has not been reopened since. */
	inForce: boolean;
	found: boolean;
}

export async function checkDecision(db: DbOrTx, manifest: Manifest): Promise<DecisionCheck> {
	const [row] = await db
		.select({ d: meetingDecisions, reopened: meetingDecisionReopens.decisionId })
		.from(meetingDecisions)
		.leftJoin(meetingDecisionReopens, eq(meetingDecisionReopens.decisionId, meetingDecisions.id))
		.where(eq(meetingDecisions.id, manifest.decision.id));
	if (!row) return { found: false, matches: false, recomputed: false, inForce: false };
	const d = row.d;
	const again = decisionHash({
		itemId: d.itemId,
		applicationId: d.applicationId,
		version: d.version,
		outcome: d.outcome,
		amount: d.amount === null ? null : Number(d.amount),
		fundingMode: d.fundingMode,
		rationale: d.rationale,
		basis: d.basis,
		lockedBy: d.lockedBy,
		lockedAt: d.lockedAt
	});
	return { found: true, matches: d.sha256 === manifest.decision.sha256, recomputed: again === d.sha256, inForce: row.reopened === null };
}
