import { requireAdmin } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { recentAudit, verifyAuditChain } from '$lib/server/audit';
import { audit } from '$lib/server/audit';
import type { Actions, PageServerLoad } from './$types';

const PAGE = 100;

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const before = Number(event.url.searchParams.get('before'));
	const entries = await recentAudit(db(), PAGE, Number.isSafeInteger(before) && before > 0 ? before : undefined);
	return {
		entries: entries.map((e) => ({ ...e, details: e.details ? JSON.stringify(e.details) : '' })),
		older: entries.length === PAGE ? entries[entries.length - 1].seq : null
	};
};

export const actions: Actions = {
	verify: async (event) => {
		const p = requireAdmin(event);
		const report = await verifyAuditChain(db());
		await audit(db(), { id: p.user.id, name: p.user.name, ip: event.locals.ip }, 'audit.verified', null, { ...report });
		return { report };
	}
};
