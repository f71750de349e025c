import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireInternal } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { getManagedCall } from '$lib/server/calls/queries';
import { callDashboard } from '$lib/server/calls/dashboard';
import { callResults } from '$lib/server/calls/calibration';
import { flagText, noZText, ruleText } from '$lib/scoring/text';
import { exportFormat, exportResponse, sheet } from '$lib/server/exports/table';
import { expertKindLabel, fieldLabel, formLabel, statusLabel } from '$lib/labels';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const p = requireInternal(event);
	const found = await getManagedCall(db(), p, event.params.id);
	if (!found) error(404, m.not_found());
	const format = exportFormat(event.url.searchParams.get('format'));
	if (!format) error(400, m.v_invalid());
	const [d, results] = await Promise.all([callDashboard(db(), found.call), callResults(db(), found.call)]);
	const numberOf = new Map(d.perApplication.map((a) => [a.id, a.number]));
	const nameOf = new Map(d.perExpert.map((e) => [e.expertId, e.name]));
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
				{ header: m.cal_raw_mean(), value: (a) => num(a.calibrated?.mean ?? null) },
				{ header: m.cal_median(), value: (a) => num(a.calibrated?.median ?? null) },
				{ header: m.cal_trimmed_mean(), value: (a) => num(a.calibrated?.trimmedMean ?? null) },
				{ header: m.cal_z(), value: (a) => num(a.calibrated?.z ?? null) },
				{ header: m.cal_robust_z(), value: (a) => num(a.calibrated?.robustZ ?? null) },
				{ header: m.dash_spread(), value: (a) => num(a.spread) },
				{ header: m.dash_discrepancy(), value: (a) => (a.discrepancy ? m.yes() : m.no()) },
				// The flag as computed, in words: range, limit, full marks and threshold.
				{ header: m.cal_range(), value: (a) => (a.calibrated && a.spread !== null ? flagText(a.calibrated.flag, d.rule) : ''), width: 40 },
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
		}),
		sheet({
			name: m.cal_title(),
			rows: results.sheets,
			columns: [
				{ header: m.apps_col_number(), value: (r) => numberOf.get(r.applicationId) ?? r.applicationId, width: 14 },
				{ header: m.experts_col_name(), value: (r) => nameOf.get(r.expertId) ?? r.expertId },
				{ header: m.cal_expert_id(), value: (r) => r.expertId, width: 38 },
				{ header: m.cal_form(), value: (r) => formLabel(r.form) },
				{ header: m.cal_total(), value: (r) => r.total },
				{ header: m.cal_z(), value: (r) => num(r.z) },
				{ header: m.cal_robust_z(), value: (r) => num(r.robustZ) },
				{ header: m.cal_note(), value: (r) => noZText(r.reason) || (r.robustZ === null ? noZText(r.robustReason) : ''), width: 40 }
			]
		}),
		// The rules in words, so the file explains its own numbers.
		sheet({ name: m.cal_rules_sheet(), rows: [ruleText(d.rule), m.cal_explain()], columns: [{ header: m.cal_title(), value: (r) => r, width: 120 }] })
	];
	// A CSV holds one table: the applications, the one staff ask for most.
	return exportResponse(format, `dashboard-${found.call.code}`, sheets);
};
