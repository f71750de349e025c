import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { requireExpert } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { myAssignments } from '$lib/server/reviews';
import { exportFormat, exportResponse, sheet, type Column } from '$lib/server/exports/table';
import { fieldLabel, formLabel, formatDateTime, localized, reviewStatusLabel } from '$lib/labels';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const p = requireExpert(event);
	const format = exportFormat(event.url.searchParams.get('format'));
	if (!format) error(400, m.v_invalid());
	const locale = getLocale();
	const rows = (await myAssignments(db(), p.expertId!)).filter((a) => a.status === 'active');
	type Row = (typeof rows)[number];
	const columns: Column<Row>[] = [
		{ header: m.apps_col_number(), value: (r) => r.number, width: 14 },
		{ header: m.app_call(), value: (r) => localized(locale, r.callTitle, r.callTitleEn), width: 30 },
		{ header: m.apps_col_title(), value: (r) => r.title, width: 40 },
		{ header: m.apps_col_field(), value: (r) => fieldLabel(r.field) },
		{ header: m.review_form(), value: (r) => formLabel(r.form) },
		{ header: m.apps_col_status(), value: (r) => reviewStatusLabel(r.reviewStatus) },
		{ header: m.review_total(), value: (r) => (r.vetoed ? m.review_vetoed() : r.total === null ? '' : Number(r.total)) },
		{ header: m.review_deadline_col(), value: (r) => formatDateTime(r.reviewDeadline, locale), width: 18 }
	];
	return exportResponse(format, 'my-reviews', [sheet({ name: m.nav_reviews(), columns, rows })]);
};
