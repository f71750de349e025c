// What an applicant may send: a draft (saved as typed, incomplete is fine) and the rules a
// submission must meet (complete, well formed, within the call's scope and ceilings).
import { m } from '$lib/paraglide/messages';
import { z } from '../validation';
import { creditCodeProblem, normalizeCreditCode } from '$lib/credit-code';
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

export function creditCodeMessage(code: string): string | null {
	const problem = creditCodeProblem(code);
	if (problem === 'length') return m.credit_code_length();
	if (problem === 'charset') return m.credit_code_charset();
	if (problem === 'check') return m.credit_code_check();
	return null;
}

/** Field → message for everything that stops a draft from being submitted. */
export function submitProblems(d: DraftInput, rules: SubmitRules): Record<string, string> {
	const e: Record<string, string> = {};
	if (!d.enterpriseName) e.enterpriseName = m.v_required();
	const code = creditCodeMessage(d.creditCode);
	if (code) e.creditCode = d.creditCode ? code : m.v_required();
	if (!d.contactName) e.contactName = m.v_required();
	if (!d.contactPhone) e.contactPhone = m.v_required();
	else if (!PHONE.test(d.contactPhone)) e.contactPhone = m.v_phone();
	if (d.contactEmail && !EMAIL.test(d.contactEmail)) e.contactEmail = m.v_email();
	if (d.title.length < 5) e.title = d.title ? m.v_too_short({ min: 5 }) : m.v_required();
	if (!rules.fields.includes(d.field)) e.field = m.app_v_field_scope();
	if (!rules.fundingModes.includes(d.fundingMode)) e.fundingMode = m.app_v_mode_scope();
	const ceiling = d.isMajor ? rules.majorCeiling : rules.ceiling;
	if (!(d.requestedAmount > 0)) e.requestedAmount = m.v_required();
	else if (d.requestedAmount > ceiling) e.requestedAmount = m.app_v_ceiling({ ceiling });
	if (d.summary.length < SUMMARY_MIN) e.summary = d.summary ? m.v_too_short({ min: SUMMARY_MIN }) : m.v_required();
	const team = d.team.filter((t) => t.name || t.role);
	if (team.length === 0) e.team = m.app_v_team();
	else if (team.some((t) => !t.name || !t.role)) e.team = m.app_v_team_row();
	const budget = d.budget.filter((b) => b.item || b.amount);
	if (budget.length === 0) e.budget = m.app_v_budget();
	else if (budget.some((b) => !b.item || !(b.amount > 0))) e.budget = m.app_v_budget_row();
	else {
		const total = budget.reduce((s, b) => s + b.amount, 0);
		if (d.requestedAmount > total + 1e-9) e.budget = m.app_v_budget_total({ total: Math.round(total * 100) / 100 });
	}
	const missing = REQUIRED_ATTACHMENTS.filter((k) => !rules.attachmentKinds.includes(k));
	if (missing.length) e.attachments = m.app_v_attachments();
	return e;
}
