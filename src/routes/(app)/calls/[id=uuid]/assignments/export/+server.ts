import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireInternal } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { getManagedCall } from '$lib/server/calls/queries';
import { callAssignments } from '$lib/server/assignment';
import { exportFormat, exportResponse, sheet, type Column } from '$lib/server/exports/table';
import { assignmentStatusLabel, fieldLabel, formLabel, matchLabel, reviewStatusLabel, sourceLabel, statusLabel } from '$lib/labels';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const p = requireInternal(event);
	const found = await getManagedCall(db(), p, event.params.id);
	if (!found) error(404, m.not_found());
	const format = exportFormat(event.url.searchParams.get('format'));
	if (!format) error(400, m.v_invalid());
	const apps = await callAssignments(db(), found.call.id);
	const rows = apps.flatMap((a) => a.assignments.map((x) => ({ app: a, x })));
	type Row = (typeof rows)[number];
	const columns: Column<Row>[] = [
		{ header: m.apps_col_number(), value: (r) => r.app.number, width: 14 },
		{ header: m.apps_col_title(), value: (r) => r.app.title, width: 40 },
		{ header: m.apps_col_field(), value: (r) => fieldLabel(r.app.field) },
		{ header: m.apps_col_status(), value: (r) => statusLabel(r.app.status) },
		{ header: m.experts_col_name(), value: (r) => r.x.expertName },
		{ header: m.experts_col_institution(), value: (r) => r.x.institution, width: 30 },
		{ header: m.review_form(), value: (r) => formLabel(r.x.form) },
		{ header: m.assign_col_source(), value: (r) => sourceLabel(r.x.source) },
		{ header: m.assign_col_match(), value: (r) => matchLabel(r.x.reason.match) },
		{ header: m.assign_col_state(), value: (r) => assignmentStatusLabel(r.x.status) },
		{ header: m.assign_col_end_reason(), value: (r) => r.x.endReason ?? '', width: 24 },
		{ header: m.review_status_col(), value: (r) => reviewStatusLabel(r.x.reviewStatus) }
	];
	return exportResponse(format, `assignments-${found.call.code}`, [sheet({ name: m.call_go_assignments(), columns, rows })]);
};
