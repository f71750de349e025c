import { asc } from 'drizzle-orm';
import { calls } from '$db/schema';
import { requireRole, roles } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { listApplications, type ApplicationFilter } from '$lib/server/applications/queries';
import { managedProgramIds } from '$lib/server/calls/access';
import { APPLICATION_STATUSES, FIELDS } from '$lib/labels';
import type { PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const load: PageServerLoad = async (event) => {
	const p = requireRole(event, (p) => roles.isInternal(p) || roles.isApplicant(p));
	const q = event.url.searchParams;
	const pick = <T extends string>(value: string | null, allowed: readonly T[]): T | '' => (value && (allowed as readonly string[]).includes(value) ? (value as T) : '');
	const filter: ApplicationFilter = {
		q: (q.get('q') ?? '').trim().slice(0, 100),
		callId: UUID.test(q.get('callId') ?? '') ? q.get('callId')! : '',
		status: pick(q.get('status'), APPLICATION_STATUSES),
		field: pick(q.get('field'), FIELDS),
		sort: pick(q.get('sort'), ['number', 'submitted', 'amount'] as const) || 'number',
		dir: q.get('dir') === 'desc' ? 'desc' : 'asc'
	};
	const managed = await managedProgramIds(db(), p);
	const callOptions =
		managed === 'all' || managed.length
			? (await db().select({ id: calls.id, title: calls.title, titleEn: calls.titleEn, programId: calls.programId }).from(calls).orderBy(asc(calls.year))).filter(
					(c) => managed === 'all' || managed.includes(c.programId)
				)
			: [];
	const { rows, total } = await listApplications(db(), p, filter);
	return { applications: rows, total, filter, calls: callOptions, internal: roles.isInternal(p) };
};
