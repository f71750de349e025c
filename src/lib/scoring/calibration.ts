// Calibration (评分校准) of experts' scores within one call: some experts score high, some
// low, so each expert's totals are restated against their own habit before they are compared.
//
//   z      = (x − mean_e) / sd_e            mean and population standard deviation of expert e's
//                                           submitted totals in the call
//   robust = (x − median_e) / (1.4826 · MAD_e)   MAD = median of |x − median_e|; 1.4826 makes it
//                                           estimate sd for normal scores, and one wild sheet
//                                           moves it far less than it moves the mean and sd
//
// An expert with a single sheet, or whose sheets all carry the same total (or, for the robust
// variant, a MAD of 0), has no spread to measure against: their z is null, with the reason.
// An application's calibrated aggregate is the mean of its sheets' z (and of their robust z)
// where they exist. Pure and shared (the browser shows the same numbers the server exports).

export const MAD_SCALE = 1.4826;

export type NoZReason = 'oneSheet' | 'noSpread';

export interface Sheet {
	applicationId: string;
	expertId: string;
	total: number;
}

export interface ExpertBaseline {
	expertId: string;
	sheets: number;
	mean: number;
	sd: number;
	median: number;
	mad: number;
	/** Why z (resp. robust z) cannot be computed for this expert, or null when it can. */
	reason: NoZReason | null;
	robustReason: NoZReason | null;
}

export interface CalibratedSheet extends Sheet {
	z: number | null;
	robustZ: number | null;
	reason: NoZReason | null;
	robustReason: NoZReason | null;
}

export interface CalibratedApplication {
	applicationId: string;
	sheets: number;
	/** Mean of the sheets' z over those that have one; null when none has. */
	z: number | null;
	robustZ: number | null;
	/** How many sheets carried a z (resp. a robust z). */
	withZ: number;
	withRobustZ: number;
}

export interface Calibration {
	experts: Map<string, ExpertBaseline>;
	sheets: CalibratedSheet[];
	applications: Map<string, CalibratedApplication>;
}

const EPS = 1e-9;
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export function median(values: readonly number[]): number {
	const s = [...values].sort((a, b) => a - b);
	const mid = s.length >> 1;
	return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** One expert's habit from their totals (at least one). */
export function baseline(expertId: string, totals: readonly number[]): ExpertBaseline {
	const n = totals.length;
	const mean = totals.reduce((a, b) => a + b, 0) / n;
	const sd = Math.sqrt(totals.reduce((a, v) => a + (v - mean) ** 2, 0) / n);
	const med = median(totals);
	const mad = median(totals.map((v) => Math.abs(v - med)));
	const one = n < 2 ? 'oneSheet' : null;
	return {
		expertId,
		sheets: n,
		mean,
		sd,
		median: med,
		mad,
		reason: one ?? (sd < EPS ? 'noSpread' : null),
		robustReason: one ?? (mad < EPS ? 'noSpread' : null)
	};
}

function rawZ(b: ExpertBaseline, x: number): { z: number | null; robustZ: number | null } {
	return {
		z: b.reason ? null : (x - b.mean) / b.sd,
		robustZ: b.robustReason ? null : (x - b.median) / (MAD_SCALE * b.mad)
	};
}

/** z of one total against a baseline, to 3 decimals; null when the baseline has no spread. */
export function zOf(b: ExpertBaseline, x: number): { z: number | null; robustZ: number | null } {
	const r = rawZ(b, x);
	return { z: r.z === null ? null : round(r.z, 3), robustZ: r.robustZ === null ? null : round(r.robustZ, 3) };
}

/**
 * Calibrates every submitted sheet of a call (vetoed sheets carry no total and are left out).
 * Applications average the unrounded z; everything is rounded to 3 decimals once, at the end.
 */
export function calibrate(sheets: readonly Sheet[]): Calibration {
	const byExpert = new Map<string, number[]>();
	for (const s of sheets) byExpert.set(s.expertId, [...(byExpert.get(s.expertId) ?? []), s.total]);
	const experts = new Map([...byExpert].map(([id, totals]) => [id, baseline(id, totals)]));
	const sums = new Map<string, { sheets: number; z: number; n: number; robust: number; rn: number }>();
	const out: CalibratedSheet[] = sheets.map((s) => {
		const b = experts.get(s.expertId)!;
		const r = rawZ(b, s.total);
		const acc = sums.get(s.applicationId) ?? { sheets: 0, z: 0, n: 0, robust: 0, rn: 0 };
		acc.sheets++;
		if (r.z !== null) {
			acc.z += r.z;
			acc.n++;
		}
		if (r.robustZ !== null) {
			acc.robust += r.robustZ;
			acc.rn++;
		}
		sums.set(s.applicationId, acc);
		return { ...s, ...zOf(b, s.total), reason: b.reason, robustReason: b.robustReason };
	});
	const applications = new Map<string, CalibratedApplication>(
		[...sums].map(([id, a]) => [
			id,
			{ applicationId: id, sheets: a.sheets, z: a.n ? round(a.z / a.n, 3) : null, robustZ: a.rn ? round(a.robust / a.rn, 3) : null, withZ: a.n, withRobustZ: a.rn }
		])
	);
	return { experts, sheets: out, applications };
}

/** Raw aggregates of an application's totals, as shown beside the calibrated ones. */
export function rawAggregates(totals: readonly number[]): { mean: number | null; median: number | null; trimmedMean: number | null } {
	if (totals.length === 0) return { mean: null, median: null, trimmedMean: null };
	const sorted = [...totals].sort((a, b) => a - b);
	const trimmed = sorted.length >= 3 ? sorted.slice(1, -1) : sorted;
	const avg = (v: number[]) => round(v.reduce((a, b) => a + b, 0) / v.length, 2);
	return { mean: avg(sorted), median: round(median(sorted), 2), trimmedMean: avg(trimmed) };
}
