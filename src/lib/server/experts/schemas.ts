// The expert form (staff) and the profile form (the expert), parsed with localized messages.
import { checkbox, z } from '../validation';
import { TECHNICAL_FIELDS } from '$lib/values';
import { PHONE } from '../applications/schemas';
import { m } from '$lib/paraglide/messages';

const fieldEnum = z.enum(TECHNICAL_FIELDS);
const optional = (max: number) =>
	z
		.string()
		.trim()
		.max(max)
		.optional()
		.transform((v) => v || null);

const profile = {
	institution: z.string().trim().min(1).max(100),
	title: z.string().trim().max(50).default(''),
	primaryField: fieldEnum,
	secondaryFields: z
		.union([z.string(), z.array(z.string())])
		.optional()
		.transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
		.pipe(z.array(fieldEnum).max(6)),
	email: optional(200).pipe(z.email().nullable()),
	phone: optional(30).refine((v) => v === null || PHONE.test(v), { error: () => m.v_phone() })
};

export const profileSchema = z.object(profile);

export const expertSchema = z.object({
	...profile,
	name: z.string().trim().min(1).max(50),
	kind: z.enum(['technical', 'finance']),
	active: checkbox
});

export const conflictSchema = z
	.object({
		target: z.enum(['institution', 'application']),
		institution: z.string().trim().max(100).optional(),
		applicationNumber: z.string().trim().max(40).optional(),
		reason: z.string().trim().min(4).max(500)
	})
	.superRefine((v, ctx) => {
		if (v.target === 'institution' && !v.institution) ctx.addIssue({ code: 'custom', path: ['institution'], message: m.v_required() });
		if (v.target === 'application' && !v.applicationNumber) ctx.addIssue({ code: 'custom', path: ['applicationNumber'], message: m.v_required() });
	});

/** Staff withdraw a stated conflict only with a reason. */
export const withdrawConflictSchema = z.object({ conflictId: z.uuid(), reason: z.string().trim().min(2).max(500) });

/** Staff decide an expert's requested change of institution; a rejection says why. */
export const institutionDecisionSchema = z
	.object({ changeId: z.uuid(), decision: z.enum(['approve', 'reject']), note: z.string().trim().max(500).default('') })
	.refine((d) => d.decision === 'approve' || d.note.length >= 2, { path: ['note'], message: 'required' });
