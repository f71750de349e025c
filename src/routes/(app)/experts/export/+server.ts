import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireInternal } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { expertLoads, listExperts } from '$lib/server/experts/queries';
import { parseExpertFilter } from '$lib/server/experts/filter';
import { exportFormat, exportResponse, sheet, type Column } from '$lib/server/exports/table';
import { expertKindLabel, fieldLabel, joinList } from '$lib/labels';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	requireInternal(event);
	const format = exportFormat(event.url.searchParams.get('format'));
	if (!format) error(400, m.v_invalid());
	const [rows, loads] = await Promise.all([listExperts(db(), parseExpertFilter(event.url.searchParams)), expertLoads(db())]);
	type Row = (typeof rows)[number];
	const columns: Column<Row>[] = [
		{ header: m.experts_col_name(), value: (r) => r.name },
		{ header: m.experts_col_institution(), value: (r) => r.institution, width: 30 },
		{ header: m.experts_col_title(), value: (r) => r.title, width: 18 },
		{ header: m.experts_col_kind(), value: (r) => expertKindLabel(r.kind) },
		{ header: m.field_label_primary(), value: (r) => fieldLabel(r.primaryField) },
		{ header: m.field_label_secondary(), value: (r) => joinList(r.secondaryFields.map(fieldLabel)), width: 30 },
		{ header: m.app_email(), value: (r) => r.email ?? '', width: 26 },
		{ header: m.app_phone(), value: (r) => r.phone ?? '', width: 16 },
		{ header: m.experts_filter_status(), value: (r) => (r.active ? m.experts_status_active() : m.experts_status_inactive()) },
		{ header: m.experts_col_load(), value: (r) => loads.get(r.id) ?? 0 }
	];
	return exportResponse(format, 'experts', [sheet({ name: m.experts_title(), columns, rows })]);
};
