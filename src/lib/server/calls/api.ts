// The calls API for scripts: which calls a person may see, and a call's results (raw and
// calibrated aggregates, every submitted sheet's z) for the staff who manage it. Same access
// rules as the pages: a call's staff are its program's divisions (calls/access.ts); anyone
// signed in sees the calls open for applications, as /applications/new lists them.
import { asc, eq } from 'drizzle-orm';
import { applications } from '$db/schema';
import type { DbOrTx } from '../db';
import type { Principal } from '../auth/principal';
import { getManagedCall, listManagedCalls, openCalls } from './queries';
import { callResults, type FormResult } from './calibration';
import { flagLimit } from '$lib/scoring/flags';
import { RUBRIC_TOTAL } from '$lib/rubric';

export interface ApiCall {
	id: string;
	code: string;
	title: string;
	titleEn: string;
	status?: string;
	opensAt: Date;
	closesAt: Date;
	programName: string;
	programNameEn: string;
	/** True when the person is on the call's staff: then its results are theirs to read. */
	managed: boolean;
}

export async function visibleCalls(db: DbOrTx, p: Principal): Promise<ApiCall[]> {
	const [managed, open] = await Promise.all([listManagedCalls(db, p), openCalls(db)]);
	const out: ApiCall[] = managed.map((c) => ({
		id: c.id,
		code: c.code,
		title: c.title,
		titleEn: c.titleEn,
		status: c.status,
		opensAt: c.opensAt,
		closesAt: c.closesAt,
		programName: c.programName,
		programNameEn: c.programNameEn,
		managed: true
	}));
	const seen = new Set(out.map((c) => c.id));
	for (const c of open) {
		if (seen.has(c.id)) continue;
		out.push({ id: c.id, code: c.code, title: c.title, titleEn: c.titleEn, status: 'open', opensAt: c.opensAt, closesAt: c.closesAt, programName: c.programName, programNameEn: c.programNameEn, managed: false });
	}
	return out;
}

const formJson = (f: FormResult | null) =>
	f && {
		sheets: f.sheets,
		mean: f.mean,
		median: f.median,
		trimmedMean: f.trimmedMean,
		z: f.z,
		robustZ: f.robustZ,
		sheetsWithZ: f.withZ,
		sheetsWithRobustZ: f.withRobustZ,
		range: f.flag.range,
		limit: f.flag.limit,
		flagged: f.flag.flagged
	};

export type ResultsOutcome = { ok: true; body: ReturnType<typeof resultsBody> } | { ok: false; code: 'notFound' };

function resultsBody(call: { id: string; code: string }, results: Awaited<ReturnType<typeof callResults>>, numbers: Map<string, string>) {
	return {
		call: { id: call.id, code: call.code },
		rule: { mode: results.rule.mode, threshold: results.rule.threshold, totalLimit: flagLimit(results.rule, RUBRIC_TOTAL) },
		applications: [...results.applications].map(([id, a]) => ({ id, number: numbers.get(id) ?? null, technical: formJson(a.technical), finance: formJson(a.finance) })),
		sheets: results.sheets.map((s) => ({
			application: s.applicationId,
			number: numbers.get(s.applicationId) ?? null,
			expert: s.expertId,
			form: s.form,
			total: s.total,
			z: s.z,
			robustZ: s.robustZ,
			...(s.reason || s.robustReason ? { reason: s.reason ?? s.robustReason } : {})
		}))
	};
}

/** The call's results if the person is on its staff; otherwise not found (its existence is not told). */
export async function resultsFor(db: DbOrTx, p: Principal, callId: string): Promise<ResultsOutcome> {
	const found = await getManagedCall(db, p, callId);
	if (!found) return { ok: false, code: 'notFound' };
	const [results, apps] = await Promise.all([
		callResults(db, found.call),
		db.select({ id: applications.id, number: applications.number }).from(applications).where(eq(applications.callId, found.call.id)).orderBy(asc(applications.number))
	]);
	return { ok: true, body: resultsBody(found.call, results, new Map(apps.map((a) => [a.id, a.number]))) };
}
