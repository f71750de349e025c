import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { requireInternal } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { listManagedCalls } from '$lib/server/calls/queries';
import { exportFormat, exportResponse, sheet, type Column } from '$lib/server/exports/table';
import { callStatusLabel, formatDateTime, localized, selectionLabel } from '$lib/labels';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const p = requireInternal(event);
	const format = exportFormat(event.url.searchParams.get('format'));
	if (!format) error(400, m.v_invalid());
	const locale = getLocale();
	const rows = await listManagedCalls(db(), p);
	type Row = (typeof rows)[number];
	const columns: Column<Row>[] = [
		{ header: m.call_code(), value: (r) => r.code },
		{ header: m.call_year(), value: (r) => r.year },
		{ header: m.call_title(), value: (r) => localized(locale, r.title, r.titleEn), width: 40 },
		{ header: m.call_program(), value: (r) => localized(locale, r.programName, r.programNameEn), width: 30 },
		{ header: m.call_status(), value: (r) => callStatusLabel(r.status) },
		{ header: m.call_opens(), value: (r) => formatDateTime(r.opensAt, locale), width: 18 },
		{ header: m.call_closes(), value: (r) => formatDateTime(r.closesAt, locale), width: 18 },
		{ header: m.call_selection(), value: (r) => selectionLabel(r.selection) },
		{ header: m.calls_col_submitted(), value: (r) => r.submitted },
		{ header: m.calls_col_waiting(), value: (r) => r.waiting }
	];
	return exportResponse(format, 'calls', [sheet({ name: m.nav_calls(), columns, rows })]);
};
