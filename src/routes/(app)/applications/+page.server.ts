import { fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireInternal, requireRole, roles } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { pageOfApplications } from '$lib/server/applications/queries';
import { parsePageRequest } from '$lib/paging';
import { parseListQuery } from '$lib/server/applications/filter';
import { callFilterOptions, openCalls } from '$lib/server/calls/queries';
import { bulkAccept } from '$lib/server/intake';
import { formFields } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';
import { actorOf } from '$lib/server/audit/actor';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, (p) => roles.isInternal(p) || roles.isApplicant(p));
	const filter = parseListQuery(event.url.searchParams);
	const callOptions = await callFilterOptions(db(), p);
	const list = await pageOfApplications(db(), p, filter, parsePageRequest(event.url.searchParams));
	const internal = roles.isInternal(p);
	return {
		applications: list.rows,
		paging: { total: list.total, page: list.page, size: list.size, pages: list.pages },
		filter: { q: filter.q, callId: filter.callId, status: filter.status, field: filter.field, from: filter.fromText, to: filter.toText, sort: filter.sort, dir: filter.dir },
		calls: callOptions,
		internal,
		openCalls: !internal && roles.isApplicant(p) ? await openCalls(db()) : []
	};
};

export const actions: Actions = {
	bulkAccept: async (event) => {
		const p = requireInternal(event);
		const fields = formFields(await event.request.formData());
		const ids = (Array.isArray(fields.ids) ? fields.ids : fields.ids ? [fields.ids] : []).filter((id) => UUID.test(id)).slice(0, 500);
		if (ids.length === 0) return fail(400, { bulk: { message: m.intake_bulk_none() as string, accepted: 0, skipped: [] as Awaited<ReturnType<typeof bulkAccept>>['skipped'] } });
		const result = await bulkAccept(db(), p, actorOf(event), ids);
		return { bulk: { message: '', accepted: result.accepted.length, skipped: result.skipped } };
	}
};
