import { describe, expect, it } from 'vitest';
import { baseline, calibrate, MAD_SCALE, rawAggregates, zOf, type Sheet } from './calibration';

// Four experts, four applications, worked out by hand:
//   A: 70 (p1), 80 (p2), 90 (p3)   mean 80, sd √((100 + 0 + 100)/3) = √66.667 = 8.16497
//                                  median 80, MAD median(10, 0, 10) = 10 → scale 14.826
//   B: 60 (p1), 60 (p3)            sd 0 → no z ("noSpread")
//   C: 85 (p1)                     one sheet → no z ("oneSheet")
//   D: 60 (p1), 64 (p2), 68 (p3), 96 (p4)
//                                  mean 72, deviations −12 −8 −4 24, squares 144 64 16 576 = 800,
//                                  sd √(800/4) = √200 = 14.14214
//                                  median (64 + 68)/2 = 66, |x − 66| = 6 2 2 30 → MAD (2 + 6)/2 = 4
//                                  → scale 1.4826 × 4 = 5.9304
const sheets: Sheet[] = [
	{ applicationId: 'p1', expertId: 'A', total: 70 },
	{ applicationId: 'p2', expertId: 'A', total: 80 },
	{ applicationId: 'p3', expertId: 'A', total: 90 },
	{ applicationId: 'p1', expertId: 'B', total: 60 },
	{ applicationId: 'p3', expertId: 'B', total: 60 },
	{ applicationId: 'p1', expertId: 'C', total: 85 },
	{ applicationId: 'p1', expertId: 'D', total: 60 },
	{ applicationId: 'p2', expertId: 'D', total: 64 },
	{ applicationId: 'p3', expertId: 'D', total: 68 },
	{ applicationId: 'p4', expertId: 'D', total: 96 }
];

describe('calibration (z-scores per expert within a call)', () => {
	const c = calibrate(sheets);
	const z = (app: string, expert: string) => c.sheets.find((s) => s.applicationId === app && s.expertId === expert)!;

	it('computes each expert’s baseline', () => {
		expect(c.experts.get('A')).toMatchObject({ sheets: 3, mean: 80, median: 80, mad: 10, reason: null, robustReason: null });
		expect(c.experts.get('A')!.sd).toBeCloseTo(8.16497, 5);
		expect(c.experts.get('D')).toMatchObject({ sheets: 4, mean: 72, median: 66, mad: 4 });
		expect(c.experts.get('D')!.sd).toBeCloseTo(14.14214, 5);
	});

	it('gives z = (x − mean) / sd and the robust (x − median) / (1.4826 × MAD)', () => {
		// A: ∓10 / 8.16497 = ∓1.22474; ∓10 / 14.826 = ∓0.67449
		expect([z('p1', 'A').z, z('p2', 'A').z, z('p3', 'A').z]).toEqual([-1.225, 0, 1.225]);
		expect([z('p1', 'A').robustZ, z('p2', 'A').robustZ, z('p3', 'A').robustZ]).toEqual([-0.674, 0, 0.674]);
		// D: −12/14.14214 = −0.84853, −8/… = −0.56569, −4/… = −0.28284, 24/… = 1.69706
		expect(['p1', 'p2', 'p3', 'p4'].map((p) => z(p, 'D').z)).toEqual([-0.849, -0.566, -0.283, 1.697]);
		// D robust: −6/5.9304 = −1.01174, −2/… = −0.33725, 2/… = 0.33725, 30/… = 5.05868 (one wild
		// sheet: 1.7 sd, but 5 robust units — the robust variant does not let it hide itself)
		expect(['p1', 'p2', 'p3', 'p4'].map((p) => z(p, 'D').robustZ)).toEqual([-1.012, -0.337, 0.337, 5.059]);
		expect(MAD_SCALE).toBe(1.4826);
	});

	it('gives no z, with the reason, for one sheet or no spread', () => {
		expect(z('p1', 'B')).toMatchObject({ z: null, robustZ: null, reason: 'noSpread', robustReason: 'noSpread' });
		expect(z('p1', 'C')).toMatchObject({ z: null, robustZ: null, reason: 'oneSheet', robustReason: 'oneSheet' });
		// Spread but a MAD of 0: z exists, the robust one does not. 50, 50, 80: mean 60,
		// sd √((100 + 100 + 400)/3) = √200 = 14.14214; median 50, |x − 50| = 0 0 30 → MAD 0.
		const b = baseline('E', [50, 50, 80]);
		expect(b).toMatchObject({ reason: null, robustReason: 'noSpread', mad: 0 });
		expect(zOf(b, 80)).toEqual({ z: 1.414, robustZ: null });
	});

	it('averages the z of each application’s sheets that have one', () => {
		// p1: (−1.22474 − 0.84853)/2 = −1.03664; robust (−0.67449 − 1.01174)/2 = −0.84311 (B, C left out)
		expect(c.applications.get('p1')).toEqual({ applicationId: 'p1', sheets: 4, z: -1.037, robustZ: -0.843, withZ: 2, withRobustZ: 2 });
		// p2: (0 − 0.56569)/2 = −0.28284; robust (0 − 0.33725)/2 = −0.16862
		expect(c.applications.get('p2')).toMatchObject({ z: -0.283, robustZ: -0.169 });
		// p3: (1.22474 − 0.28284)/2 = 0.47095; robust (0.67449 + 0.33725)/2 = 0.50587
		expect(c.applications.get('p3')).toMatchObject({ z: 0.471, robustZ: 0.506, withZ: 2 });
		expect(c.applications.get('p4')).toMatchObject({ z: 1.697, robustZ: 5.059, withZ: 1 });
	});

	it('an application whose every sheet lacks a z has no calibrated aggregate', () => {
		const only = calibrate([{ applicationId: 'q', expertId: 'C', total: 85 }]);
		expect(only.applications.get('q')).toEqual({ applicationId: 'q', sheets: 1, z: null, robustZ: null, withZ: 0, withRobustZ: 0 });
	});

	it('states the raw aggregates beside them: mean, median, trimmed mean', () => {
		// p1: 70, 60, 85, 60 → sorted 60 60 70 85: mean 275/4 = 68.75, median 65, trimmed (60 + 70)/2 = 65
		expect(rawAggregates([70, 60, 85, 60])).toEqual({ mean: 68.75, median: 65, trimmedMean: 65 });
		// Two sheets: nothing to trim.
		expect(rawAggregates([80, 64])).toEqual({ mean: 72, median: 72, trimmedMean: 72 });
		expect(rawAggregates([])).toEqual({ mean: null, median: null, trimmedMean: null });
	});
});
