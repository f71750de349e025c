import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireInternal } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { getManagedCall } from '$lib/server/calls/queries';
import { callDashboard } from '$lib/server/calls/dashboard';
import { exportFormat, exportResponse, sheet } from '$lib/server/exports/table';
import { expertKindLabel, fieldLabel, statusLabel } from '$lib/labels';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const p = requireInternal(event);
	const found = await getManagedCall(db(), p, event.params.id);
	if (!found) error(404, m.not_found());
	const format = exportFormat(event.url.searchParams.get('format'));
	if (!format) error(400, m.v_invalid());
	const d = await callDashboard(db(), found.call);
	const num = (v: number | null) => (v === null ? '' : v);
	const sheets = [
		sheet({
			name: m.dash_per_application(),
			rows: d.perApplication,
			columns: [
				{ header: m.apps_col_number(), value: (a) => a.number, width: 14 },
				{ header: m.apps_col_title(), value: (a) => a.title, width: 40 },
				{ header: m.apps_col_enterprise(), value: (a) => a.enterpriseName, width: 30 },
				{ header: m.apps_col_field(), value: (a) => fieldLabel(a.field) },
				{ header: m.apps_col_status(), value: (a) => statusLabel(a.status) },
				{ header: m.dash_assigned(), value: (a) => a.assigned },
				{ header: m.dash_reviews_done(), value: (a) => a.submitted },
				{ header: m.dash_technical_score(), value: (a) => num(a.technicalScore) },
				{ header: m.dash_spread(), value: (a) => num(a.spread) },
				{ header: m.dash_discrepancy(), value: (a) => (a.discrepancy ? m.yes() : m.no()) },
				{ header: m.dash_finance(), value: (a) => (a.financePassed === null ? '' : a.financePassed ? m.dash_pass() : m.dash_fail()) },
				{ header: m.dash_vetoes_col(), value: (a) => a.vetoes }
			]
		}),
		sheet({
			name: m.dash_per_expert(),
			rows: d.perExpert,
			columns: [
				{ header: m.experts_col_name(), value: (e) => e.name },
				{ header: m.experts_col_institution(), value: (e) => e.institution, width: 30 },
				{ header: m.experts_col_kind(), value: (e) => expertKindLabel(e.kind) },
				{ header: m.dash_assigned(), value: (e) => e.active },
				{ header: m.dash_reviews_done(), value: (e) => e.submitted },
				{ header: m.dash_pending_reviews(), value: (e) => e.pending },
				{ header: m.dash_declined(), value: (e) => e.declined },
				{ header: m.dash_mean(), value: (e) => num(e.mean) }
			]
		})
	];
	// A CSV holds one table: the applications, the one staff ask for most.
	return exportResponse(format, `dashboard-${found.call.code}`, sheets);
};
