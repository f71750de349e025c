// The audit log as filtered on the page, as CSV or Excel, in words (actions, names).
import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { requireAdmin } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { audit } from '$lib/server/audit';
import { listAudit, parseAuditFilter, resolveNames, type AuditRow } from '$lib/server/audit/browse';
import { exportFormat, exportResponse, sheet, type Column } from '$lib/server/exports/table';
import { actionLabel, actorLabel, detailText, entityTypeLabel } from '$lib/audit/describe';
import { formatDateTime } from '$lib/labels';
import type { RequestHandler } from './$types';
import { actorOf } from '$lib/server/audit/actor';

/** An export is a report, not a dump: beyond this, narrow the filters. */
const MAX_ROWS = 20_000;

export const GET: RequestHandler = async (event) => {
	requireAdmin(event);
	const format = exportFormat(event.url.searchParams.get('format'));
	if (!format) error(400, m.v_invalid());
	const locale = getLocale();
	const filter = parseAuditFilter(event.url.searchParams);
	const entries = await listAudit(db(), filter, { limit: MAX_ROWS });
	const names = await resolveNames(db(), entries);
	const columns: Column<AuditRow>[] = [
		{ header: m.audit_col_seq(), value: (r) => r.seq },
		{ header: m.audit_col_time(), value: (r) => formatDateTime(r.at, locale), width: 20 },
		{ header: m.audit_col_actor(), value: (r) => actorLabel(r.actorName, r.actorId), width: 14 },
		{ header: m.audit_col_ip(), value: (r) => r.ip ?? '' },
		{ header: m.audit_col_action(), value: (r) => actionLabel(r.action), width: 24 },
		{ header: 'action', value: (r) => r.action, width: 26 },
		{ header: m.audit_filter_entity(), value: (r) => (r.entityType ? entityTypeLabel(r.entityType) : '') },
		{ header: m.audit_col_entity(), value: (r) => (r.entityId ? (names[r.entityId.toLowerCase()] ?? r.entityId) : ''), width: 36 },
		{ header: 'entity_id', value: (r) => r.entityId ?? '', width: 38 },
		{ header: m.audit_col_details(), value: (r) => detailText(r.details, names), width: 60 },
		{ header: m.audit_sealed(), value: (r) => r.seal ?? '', width: 66 }
	];
	await audit(db(), actorOf(event), 'audit.exported', null, { format, rows: entries.length, ...filter });
	return exportResponse(format, 'audit-log', [sheet({ name: m.audit_title(), columns, rows: entries })]);
};
