import { error, fail, redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireExpert } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { reviewContext, saveReview } from '$lib/server/reviews';
import { readReviewForm, reviewErrors } from '$lib/server/reviews/form';
import { declineAssignment } from '$lib/server/assignment';
import { formFields, parse, z } from '$lib/server/validation';
import { effectiveDeadline } from '$lib/server/notifications/deadlines';
import type { Actions, PageServerLoad } from './$types';
import { actorOf } from '$lib/server/audit/actor';

export const load: PageServerLoad = async (event) => {
	const p = requireExpert(event);
	const ctx = await reviewContext(db(), p.expertId!, event.params.id);
	// Not theirs, ended, or conflicted: the same 404 as an assignment that does not exist.
	if (!ctx) error(404, m.not_found());
	const a = ctx.application;
	return {
		assignment: { id: ctx.assignment.id, form: ctx.assignment.form },
		// What an expert reads of the application: not the applicant's contact details.
		application: { ...a, contactName: '', contactPhone: '', contactEmail: null },
		callTitle: ctx.call.title,
		callTitleEn: ctx.call.titleEn,
		programName: ctx.programName,
		programNameEn: ctx.programNameEn,
		// An extension the division granted shows as the deadline.
		deadline: await effectiveDeadline(db(), ctx.assignment.id, ctx.call.reviewDeadline),
		ceiling: Number(a.isMajor ? ctx.call.majorCeiling : ctx.call.ceiling),
		rubric: ctx.rubric,
		review: ctx.review,
		attachments: ctx.attachments
	};
};

async function save(event: Parameters<Actions[string]>[0], submit: boolean) {
	const p = requireExpert(event);
	const input = readReviewForm(formFields(await event.request.formData()));
	const result = await saveReview(db(), actorOf(event), p.expertId!, event.params.id, input, submit);
	if (result.ok) return { action: 'sheet', success: submit ? m.review_submitted_done() : m.review_saved() };
	if (result.problem === 'notFound') error(404, m.not_found());
	if (!('problems' in result)) return fail(409, { action: 'sheet', errors: {} as Record<string, string>, message: m.review_already_submitted() });
	const errors = reviewErrors(result.problems);
	return fail(400, { action: 'sheet', errors, message: errors._ ?? m.v_form_errors() });
}

export const actions: Actions = {
	save: (event) => save(event, false),
	submit: (event) => save(event, true),
	decline: async (event) => {
		const p = requireExpert(event);
		const fields = formFields(await event.request.formData());
		const parsed = parse(z.object({ reason: z.string().trim().min(4).max(500), conflict: z.enum(['on', '']).optional() }), fields);
		if (!parsed.ok) return fail(400, { action: 'decline', errors: parsed.errors, message: m.v_form_errors() });
		const result = await declineAssignment(db(), actorOf(event), p.expertId!, event.params.id, parsed.data.reason, parsed.data.conflict === 'on');
		if (!result.ok) {
			if (result.problem === 'notFound') error(404, m.not_found());
			return fail(409, { action: 'decline', errors: {} as Record<string, string>, message: m.review_cannot_decline() });
		}
		// The assignment is gone (and, with a conflict, the application is closed to them):
		// reloading this page would answer 404, so the expert lands on their list, told it worked.
		redirect(303, `/reviews?declined=${parsed.data.conflict === 'on' ? 'conflict' : 'done'}`);
	}
};
