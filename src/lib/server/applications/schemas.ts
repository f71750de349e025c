// What an applicant may send: a draft (saved as typed, incomplete is fine) and the rules a
// submission must meet (complete, well formed, within the call's scope and ceilings).
import { m } from '$lib/paraglide/messages';
import { z } from '../validation';
import { creditCodeProblem, normalizeCreditCode, type CreditCodeProblem } from '$lib/credit-code';
import { FUNDING_MODES, TECHNICAL_FIELDS } from '$lib/values';

const text = (max: number) => z.string().trim().max(max).default('');
const amount = z.union([z.number(), z.string().trim()]).optional().transform((v, ctx) => {
	if (v === '' || v === undefined) return 0;
	const n = typeof v === 'number' ? v : Number(v);
	if (!Number.isFinite(n) || n < 0 || n > 1_000_000) {
		ctx.addIssue({ code: 'custom', message: m.v_invalid() });
		return 0;
	}
	return Math.round(n * 100) / 100;
});

export const draftSchema = z.object({
	enterpriseName: text(100),
	creditCode: z
		.string()
		.max(30)
		.default('')
		.transform((v) => normalizeCreditCode(v)),
	contactName: text(50),
	contactPhone: text(30),
	contactEmail: text(200),
	title: text(100),
	field: z.enum(TECHNICAL_FIELDS),
	fundingMode: z.enum(FUNDING_MODES),
	requestedAmount: amount,
	isMajor: z.boolean().default(false),
	summary: text(5000),
	team: z
		.array(z.object({ name: text(50), role: text(50), title: text(50) }))
		.max(30)
		.default([]),
	budget: z
		.array(z.object({ item: text(50), amount, note: text(200) }))
		.max(30)
		.default([])
});

export type DraftInput = z.infer<typeof draftSchema>;

export const newApplicationSchema = z.object({
	callId: z.uuid(),
	title: z.string().trim().min(1).max(100),
	field: z.enum(TECHNICAL_FIELDS),
	fundingMode: z.enum(FUNDING_MODES)
});

export const SUMMARY_MIN = 20;
export const PHONE = /^[0-9+\-() ]{7,20}$/;
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface SubmitRules {
	fields: readonly string[];
	fundingModes: readonly string[];
	ceiling: number;
	majorCeiling: number;
	attachmentKinds: readonly string[];
}

export const REQUIRED_ATTACHMENTS = ['proposal', 'financials'] as const;

/** Why a field stops a draft from being submitted; translated at the edge (messages/applications.ts). */
export type SubmitProblem =
	| { code: 'required' }
	| { code: 'creditCode'; problem: CreditCodeProblem }
	| { code: 'phone' }
	| { code: 'email' }
	| { code: 'tooShort'; min: number }
	| { code: 'fieldScope' }
	| { code: 'modeScope' }
	| { code: 'ceiling'; ceiling: number }
	| { code: 'team' }
	| { code: 'teamRow' }
	| { code: 'budget' }
	| { code: 'budgetRow' }
	| { code: 'budgetTotal'; total: number }
	| { code: 'attachments' };

/** Field → problem for everything that stops a draft from being submitted. */
export function submitProblems(d: DraftInput, rules: SubmitRules): Record<string, SubmitProblem> {
	const e: Record<string, SubmitProblem> = {};
	const required = { code: 'required' } as const;
	if (!d.enterpriseName) e.enterpriseName = required;
	const code = creditCodeProblem(d.creditCode);
	if (code) e.creditCode = d.creditCode ? { code: 'creditCode', problem: code } : required;
	if (!d.contactName) e.contactName = required;
	if (!d.contactPhone) e.contactPhone = required;
	else if (!PHONE.test(d.contactPhone)) e.contactPhone = { code: 'phone' };
	if (d.contactEmail && !EMAIL.test(d.contactEmail)) e.contactEmail = { code: 'email' };
	if (d.title.length < 5) e.title = d.title ? { code: 'tooShort', min: 5 } : required;
	if (!rules.fields.includes(d.field)) e.field = { code: 'fieldScope' };
	if (!rules.fundingModes.includes(d.fundingMode)) e.fundingMode = { code: 'modeScope' };
	const ceiling = d.isMajor ? rules.majorCeiling : rules.ceiling;
	if (!(d.requestedAmount > 0)) e.requestedAmount = required;
	else if (d.requestedAmount > ceiling) e.requestedAmount = { code: 'ceiling', ceiling };
	if (d.summary.length < SUMMARY_MIN) e.summary = d.summary ? { code: 'tooShort', min: SUMMARY_MIN } : required;
	const team = d.team.filter((t) => t.name || t.role);
	if (team.length === 0) e.team = { code: 'team' };
	else if (team.some((t) => !t.name || !t.role)) e.team = { code: 'teamRow' };
	const budget = d.budget.filter((b) => b.item || b.amount);
	if (budget.length === 0) e.budget = { code: 'budget' };
	else if (budget.some((b) => !b.item || !(b.amount > 0))) e.budget = { code: 'budgetRow' };
	else {
		const total = budget.reduce((s, b) => s + b.amount, 0);
		if (d.requestedAmount > total + 1e-9) e.budget = { code: 'budgetTotal', total: Math.round(total * 100) / 100 };
	}
	const missing = REQUIRED_ATTACHMENTS.filter((k) => !rules.attachmentKinds.includes(k));
	if (missing.length) e.attachments = { code: 'attachments' };
	return e;
}
