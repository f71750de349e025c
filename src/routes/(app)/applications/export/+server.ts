import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { requireRole, roles } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { listApplications } from '$lib/server/applications/queries';
import { parseListQuery } from '$lib/server/applications/filter';
import { exportFormat, exportResponse, sheet, type Column } from '$lib/server/exports/table';
import { fieldLabel, formatDateTime, localized, modeLabel, statusLabel } from '$lib/labels';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const p = requireRole(event, (p) => roles.isInternal(p) || roles.isApplicant(p));
	const format = exportFormat(event.url.searchParams.get('format'));
	if (!format) error(400, m.v_invalid());
	// The whole filtered list, whatever page the screen shows.
	const { rows } = await listApplications(db(), p, { ...parseListQuery(event.url.searchParams), limit: null });
	const locale = getLocale();
	type Row = (typeof rows)[number];
	const columns: Column<Row>[] = [
		{ header: m.apps_col_number(), value: (r) => r.number, width: 14 },
		{ header: m.app_call(), value: (r) => localized(locale, r.callTitle, r.callTitleEn), width: 30 },
		{ header: m.apps_col_title(), value: (r) => r.title, width: 40 },
		{ header: m.apps_col_enterprise(), value: (r) => r.enterpriseName, width: 30 },
		{ header: m.app_credit_code(), value: (r) => r.creditCode, width: 22 },
		{ header: m.app_contact(), value: (r) => r.contactName },
		{ header: m.app_phone(), value: (r) => r.contactPhone, width: 16 },
		{ header: m.apps_col_field(), value: (r) => fieldLabel(r.field) },
		{ header: m.app_mode(), value: (r) => modeLabel(r.fundingMode) },
		{ header: m.apps_col_amount(), value: (r) => Number(r.requestedAmount) },
		{ header: m.app_major(), value: (r) => (r.isMajor ? m.yes() : m.no()) },
		{ header: m.apps_col_status(), value: (r) => statusLabel(r.status) },
		{ header: m.app_rejection(), value: (r) => r.rejectionReason ?? '', width: 40 },
		{ header: m.apps_col_submitted(), value: (r) => formatDateTime(r.submittedAt, locale), width: 18 }
	];
	return exportResponse(format, roles.isInternal(p) ? 'applications' : 'my-applications', [sheet({ name: m.apps_title(), columns, rows })]);
};
