// What the hearing forms may send: an item's hearing settings (defaults from DOMAIN.md: 12
// minutes of presentation, then questions to 25 minutes in all, at most 3 representatives,
// questions without their authors, no member list), a question, a representative, a check-in.
import { m } from '$lib/paraglide/messages';
import { fromBeijingInput } from '$lib/datetime';
import { checkbox, z } from '../../validation';

export const HEARING_DEFAULTS: Omit<HearingSettings, 'itemId' | 'scheduledAt'> = { presentationMinutes: 12, questionMinutes: 13, maxRepresentatives: 3, anonymousQuestions: true, showMembers: false };
/** Questions one expert may put to one applicant. */
export const MAX_QUESTIONS_PER_EXPERT = 10;
export const ID_TYPES = ['idCard', 'passport', 'hkMacauPass', 'other'] as const;

export const hearingSettingsSchema = z.object({
	itemId: z.uuid(),
	scheduledAt: z
		.string()
		.trim()
		.transform((v, ctx) => {
			const d = fromBeijingInput(v);
			if (!d) ctx.addIssue({ code: 'custom', message: v ? m.v_invalid() : m.v_required() });
			return d as Date;
		}),
	presentationMinutes: z.coerce.number().int().min(1).max(60),
	questionMinutes: z.coerce.number().int().min(1).max(60),
	maxRepresentatives: z.coerce.number().int().min(1).max(10),
	anonymousQuestions: checkbox,
	showMembers: checkbox
});
export type HearingSettings = z.output<typeof hearingSettingsSchema>;

export const itemSchema = z.object({ itemId: z.uuid() });

export const questionSchema = z.object({ itemId: z.uuid(), body: z.string().trim().min(5).max(1000) });
export const questionIdSchema = z.object({ questionId: z.uuid() });

export const representativeSchema = z.object({
	itemId: z.uuid(),
	name: z.string().trim().min(2).max(50),
	position: z.string().trim().max(50).default('')
});
export const representativeIdSchema = z.object({ representativeId: z.uuid() });

export const checkInSchema = z
	.object({
		representativeId: z.uuid(),
		method: z.enum(['document', 'confirmed']),
		idType: z.enum(ID_TYPES).optional(),
		idLast4: z
			.string()
			.trim()
			.optional()
			.transform((v) => (v ? v.toUpperCase() : undefined))
	})
	.superRefine((v, ctx) => {
		if (v.method !== 'document') return;
		if (!v.idType) ctx.addIssue({ code: 'custom', path: ['idType'], message: m.v_required() });
		if (!v.idLast4 || !/^[0-9A-Z]{4}$/.test(v.idLast4)) ctx.addIssue({ code: 'custom', path: ['idLast4'], message: m.hrg_v_last4() });
	});
export interface CheckInInput {
	representativeId: string;
	method: 'document' | 'confirmed';
	idType?: (typeof ID_TYPES)[number];
	idLast4?: string;
}
