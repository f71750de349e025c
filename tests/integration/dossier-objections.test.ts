// Issue 11: the dossier of an application that was objected to during its publication (公示)
// carries the objection and its handling, with the evidence file, all under the manifest; and
// the people the demo is about have notifications waiting (an objection to handle, a released
// opinion). On the whole demo: the second IF2026 panel decided, its list published, one
// objection pending with a PDF.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import JSZip from 'jszip';
import { eq, inArray } from 'drizzle-orm';
import * as s from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { actorOf, principal } from '../helpers/factories';
import { buildDossier } from '../../src/lib/server/dossier/build';
import { verifyPackage } from '../../src/lib/server/dossier/verify';

let t: TestDatabase;

beforeAll(async () => {
	t = await createTestDatabase();
	await seedDemo(t.db);
}, 240_000);
afterAll(async () => {
	await t?.drop();
});

describe('the dossier of an objected-to application', () => {
	it('holds the objection, its handling and its file; the manifest covers them; a changed evidence file is found', async () => {
		const [objection] = await t.db
			.select({ o: s.publicationObjections, applicationId: s.publicationRows.applicationId })
			.from(s.publicationObjections)
			.innerJoin(s.publicationRows, eq(s.publicationRows.id, s.publicationObjections.rowId))
			.where(eq(s.publicationObjections.status, 'received'));
		expect(objection).toBeDefined();
		const applicationId = objection.applicationId!;
		const intake = await principal(t.db, 'intake');
		const built = await buildDossier(t.db, intake, actorOf(intake), applicationId);
		expect(built.ok).toBe(true);
		if (!built.ok) return;
		const zip = await JSZip.loadAsync(built.zip);
		const meta = JSON.parse(await zip.file('objections/01/objection.json')!.async('string'));
		expect(meta.objection).toMatchObject({ id: objection.o.id, grounds: objection.o.grounds, status: objection.o.status, name: objection.o.name });
		// The receipt code's hash and the objector's address on the network stay out of the package.
		expect(meta.objection.receiptHash).toBeUndefined();
		expect(meta.objection.ip).toBeUndefined();
		const evidence = Object.keys(zip.files).filter((p) => p.startsWith('objections/01/files/') && !zip.files[p].dir);
		expect(evidence.length).toBeGreaterThan(0);
		const [stored] = await t.db.select().from(s.publicationObjectionFiles).where(eq(s.publicationObjectionFiles.objectionId, objection.o.id));
		const bytes = await zip.file(evidence[0])!.async('uint8array');
		expect(createHash('sha256').update(bytes).digest('hex')).toBe(stored.sha256);
		expect(built.manifest.files.map((f) => f.path)).toEqual(expect.arrayContaining(['objections/01/objection.json', evidence[0]]));

		bytes[bytes.length - 2] ^= 0xff;
		zip.file(evidence[0], bytes);
		const report = await verifyPackage(await zip.generateAsync({ type: 'uint8array' }));
		expect(report.ok).toBe(false);
		expect(report.files.find((f) => f.path === evidence[0])?.status).toBe('changed');
	});

	it('the demo leaves notifications waiting: the objection for the call’s staff, the hearing invitation, expert1’s assignments', async () => {
		const users = await t.db.select({ id: s.users.id, username: s.users.username }).from(s.users).where(inArray(s.users.username, ['intake', 'expert1']));
		const id = (u: string) => users.find((x) => x.username === u)!.id;
		const kinds = async (userId: string) => (await t.db.select({ kind: s.notifications.kind }).from(s.notifications).where(eq(s.notifications.userId, userId))).map((r) => r.kind);
		expect(await kinds(id('intake'))).toContain('objection_received');
		expect(await kinds(id('expert1'))).toContain('assignment_made');
		const [applicant2] = await t.db.select({ id: s.users.id }).from(s.users).where(eq(s.users.username, 'applicant2'));
		expect(await kinds(applicant2.id)).toContain('hearing_invitation');
		const [opinionRelease] = await t.db.select().from(s.panelOpinionReleases);
		expect(opinionRelease).toBeDefined();
	});
});
