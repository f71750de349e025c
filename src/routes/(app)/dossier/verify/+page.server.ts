import { fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireInternal } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { auditSecrets, keyFingerprint } from '$lib/server/audit/secrets';
import { checkDecision, MAX_PACKAGE_BYTES, verifyPackage } from '$lib/server/dossier/verify';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireInternal(event);
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		requireInternal(event);
		const file = (await event.request.formData()).get('file');
		if (!(file instanceof File) || file.size === 0) return fail(400, { message: m.dossier_verify_choose() });
		if (file.size > MAX_PACKAGE_BYTES) return fail(400, { message: m.dossier_problem_tooLarge() });
		const key = auditSecrets().key;
		const report = await verifyPackage(new Uint8Array(await file.arrayBuffer()), { key, fingerprint: keyFingerprint(key) });
		if (report.problem) return fail(400, { message: { tooLarge: m.dossier_problem_tooLarge, notZip: m.dossier_problem_notZip, noManifest: m.dossier_problem_noManifest, badManifest: m.dossier_problem_badManifest }[report.problem]() });
		const decision = await checkDecision(db(), report.manifest!);
		const mf = report.manifest!;
		return {
			report: {
			fileName: file.name,
			ok: report.ok && decision.matches && decision.recomputed,
			files: report.files,
			seal: report.seal,
			decision,
			version: mf.decision.version,
			application: `${mf.application.number} ${mf.application.title}`,
			generatedAt: mf.generatedAt
			}
		};
	}
};
