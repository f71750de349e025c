// The publication forms and JSON bodies: publishing a list, an objection (the public form, the
// account form and the API take the same one), handling.
import { z } from '../validation';

const text = (min: number, max: number) => z.string().trim().min(min).max(max);

export const publishSchema = z.object({
	kind: z.enum(['funding', 'accreditation']).default('funding'),
	title: text(2, 200),
	notice: z.string().trim().max(2000).default(''),
	periodLength: z.coerce.number().int().min(1).max(60),
	periodUnit: z.enum(['workingDays', 'days'])
});

const phone = z
	.string()
	.trim()
	.regex(/^[0-9+()\- ]{7,20}$/);

/**
 * Real name: a person gives name, employer, title, phone and address; an organization its
 * full name, a contact person, phone and address.
 */
export const objectionSchema = z
	.object({
		kind: z.enum(['person', 'organization']),
		name: text(2, 100),
		organization: z.string().trim().max(200).default(''),
		title: z.string().trim().max(100).default(''),
		contactName: z.string().trim().max(100).default(''),
		phone,
		address: text(4, 300),
		rowId: z.string().uuid(),
		grounds: text(20, 5000)
	})
	.superRefine((v, ctx) => {
		if (v.kind === 'person') {
			if (v.organization.length < 2) ctx.addIssue({ code: 'too_small', minimum: 2, origin: 'string', inclusive: true, path: ['organization'], input: v.organization });
			if (v.title.length < 1) ctx.addIssue({ code: 'too_small', minimum: 1, origin: 'string', inclusive: true, path: ['title'], input: v.title });
		} else if (v.contactName.length < 2) {
			ctx.addIssue({ code: 'too_small', minimum: 2, origin: 'string', inclusive: true, path: ['contactName'], input: v.contactName });
		}
	});

export const noteSchema = z.object({ body: text(2, 5000) });
export const decideSchema = z.object({ outcome: z.enum(['upheld', 'dismissed']), reason: text(4, 2000) });
