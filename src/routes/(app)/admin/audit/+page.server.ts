import { fail } from '@sveltejs/kit';
import { requireAdmin } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { audit } from '$lib/server/audit';
import { auditSecrets } from '$lib/server/audit/secrets';
import { verifyAudit } from '$lib/server/audit/verify';
import { actionsInUse, listAudit, parseAuditFilter, resolveNames } from '$lib/server/audit/browse';
import { m } from '$lib/paraglide/messages';
import type { Actions, PageServerLoad } from './$types';
import { actorOf } from '$lib/server/audit/actor';

const PAGE = 100;

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const filter = parseAuditFilter(event.url.searchParams);
	const before = Number(event.url.searchParams.get('before'));
	const entries = await listAudit(db(), filter, { limit: PAGE, before: Number.isSafeInteger(before) && before > 0 ? before : undefined });
	const names = await resolveNames(db(), entries);
	return {
		filter,
		entries: entries.map((e) => ({
			id: e.id,
			seq: e.seq,
			at: e.at,
			actorId: e.actorId,
			actorName: e.actorName,
			ip: e.ip,
			action: e.action,
			entityType: e.entityType,
			entityId: e.entityId,
			details: e.details,
			sealed: e.seal !== null
		})),
		names,
		actions: await actionsInUse(db()),
		older: entries.length === PAGE ? entries[entries.length - 1].seq : null
	};
};

export const actions: Actions = {
	verify: async (event) => {
		requireAdmin(event);
		try {
			const report = await verifyAudit(db(), auditSecrets());
			await audit(db(), actorOf(event), 'audit.verified', null, {
				ok: report.ok,
				count: report.count,
				firstBad: report.firstBad?.seq ?? undefined,
				anchors: report.anchors.count
			});
			return { report };
		} catch {
			return fail(500, { error: m.error_internal() });
		}
	}
};
