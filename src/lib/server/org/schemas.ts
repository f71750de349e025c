// The admin's user form: account, division and role, and the expert profile.
import { m } from '$lib/paraglide/messages';
import { z } from '../validation';
import { password, username } from '../auth/schemas';
import { TECHNICAL_FIELDS } from '$lib/values';

/** An HTML checkbox: present ('on') when ticked, absent otherwise. */
const checkbox = z
	.string()
	.max(10)
	.optional()
	.transform((v) => v === 'on' || v === 'true');
const optionalText = (max: number) =>
	z
		.string()
		.trim()
		.max(max)
		.optional()
		.transform((v) => (v ? v : null));
const fieldEnum = z.enum(TECHNICAL_FIELDS);

const base = z.object({
	name: z.string().trim().min(1).max(50),
	email: z
		.string()
		.trim()
		.max(200)
		.optional()
		.transform((v) => v || null)
		.pipe(z.email().nullable()),
	phone: optionalText(30),
	isAdmin: checkbox,
	divisionId: z
		.string()
		.optional()
		.transform((v) => v || null)
		.pipe(z.uuid().nullable()),
	role: z.enum(['head', 'deputy', 'staff']).default('staff'),
	isExpert: checkbox,
	institution: optionalText(100),
	title: optionalText(50),
	kind: z.enum(['technical', 'finance']).default('technical'),
	primaryField: z
		.string()
		.optional()
		.transform((v) => v || null)
		.pipe(fieldEnum.nullable()),
	secondaryFields: z
		.union([z.string(), z.array(z.string())])
		.optional()
		.transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
		.pipe(z.array(fieldEnum).max(6))
});

function expertRequired<T extends z.infer<typeof base>>(v: T, ctx: z.RefinementCtx) {
	if (!v.isExpert) return;
	if (!v.institution) ctx.addIssue({ code: 'custom', path: ['institution'], message: m.v_required() });
	if (!v.primaryField) ctx.addIssue({ code: 'custom', path: ['primaryField'], message: m.v_required() });
}

export const userUpdateSchema = base.superRefine(expertRequired);
export const userCreateSchema = base.extend({ username, password }).superRefine(expertRequired);
export const passwordResetSchema = z.object({ password });

type Parsed = z.infer<typeof base>;

/** The domain's UserInput from a parsed form. */
export function toUserInput(v: Parsed) {
	return {
		name: v.name,
		email: v.email,
		phone: v.phone,
		isAdmin: v.isAdmin,
		divisionId: v.divisionId,
		role: v.role,
		expert: v.isExpert
			? {
					institution: v.institution!,
					title: v.title ?? '',
					kind: v.kind,
					primaryField: v.primaryField! as (typeof TECHNICAL_FIELDS)[number],
					secondaryFields: v.secondaryFields.filter((f) => f !== v.primaryField) as (typeof TECHNICAL_FIELDS)[number][]
				}
			: null
	};
}
