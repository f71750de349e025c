import { error, fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireInternal } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { getManagedCall } from '$lib/server/calls/queries';
import { addAssignment, callAssignments, listRuns, removeAssignment, runDraw, runMatching, verifyDraw } from '$lib/server/assignment';
import { assignmentInCall, assignmentPool } from '$lib/server/assignment/queries';
import { conflictsByApplication } from '$lib/server/conflicts';
import { returnReview } from '$lib/server/reviews';
import { formFields, parse, z } from '$lib/server/validation';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { actorOf } from '$lib/server/audit/actor';

export const load: PageServerLoad = async (event) => {
	const p = requireInternal(event);
	const found = await getManagedCall(db(), p, event.params.id);
	if (!found) error(404, m.not_found());
	const callId = found.call.id;
	const [apps, runs, pool] = await Promise.all([callAssignments(db(), callId), listRuns(db(), callId, 5), assignmentPool(db(), callId)]);
	const conflicts = await conflictsByApplication(db(), { applicationIds: apps.map((a) => a.id) });
	return {
		call: found.call,
		apps: apps.map((a) => ({ ...a, conflicts: Object.fromEntries([...(conflicts.get(a.id) ?? new Map()).entries()].map(([expertId, list]) => [expertId, list[0].kind])) })),
		runs: runs.map((r) => ({ id: r.id, method: r.method, seed: r.seed, unstaffed: r.unstaffed, stats: r.stats, createdAt: r.createdAt, createdByName: r.createdByName, draws: r.draws.length, params: r.params as { poolFactor?: number } })),
		pool
	};
};

async function context(event: RequestEvent) {
	const p = requireInternal(event);
	const found = await getManagedCall(db(), p, event.params.id);
	if (!found) error(404, m.not_found());
	return { call: found.call, actor: actorOf(event) };
}

/** The assignment (or review) must belong to this call: ids from another call are not found. */
const inCall = (callId: string, assignmentId: string) => assignmentInCall(db(), callId, assignmentId);

export const actions: Actions = {
	match: async (event) => {
		const { call, actor } = await context(event);
		const run = await runMatching(db(), actor, call.id);
		return { action: 'run', run };
	},
	draw: async (event) => {
		const { call, actor } = await context(event);
		const parsed = parse(z.object({ seed: z.string().trim().max(200).optional() }), formFields(await event.request.formData()));
		if (!parsed.ok) return fail(400, { action: 'run', message: m.v_invalid() });
		const run = await runDraw(db(), actor, call.id, parsed.data.seed);
		return { action: 'run', run };
	},
	verify: async (event) => {
		const { call } = await context(event);
		const runId = z.uuid().safeParse(formFields(await event.request.formData()).runId);
		const [run] = runId.success ? await listRuns(db(), call.id, 50).then((rs) => rs.filter((r) => r.id === runId.data)) : [];
		if (!run) return fail(404, { action: 'verify', message: m.not_found() });
		const verification = await verifyDraw(db(), run.id);
		// Not a draw (a matching run has nothing to replay): the same answer as an unknown run.
		if (!verification.ok && verification.code === 'notFound') return fail(404, { action: 'verify', message: m.not_found() });
		return { action: 'verify', verification };
	},
	add: async (event) => {
		const { call, actor } = await context(event);
		const parsed = parse(z.object({ applicationId: z.uuid(), expertId: z.uuid() }), formFields(await event.request.formData()));
		if (!parsed.ok) return fail(400, { action: 'add', message: m.assign_choose_expert() });
		const apps = await callAssignments(db(), call.id);
		if (!apps.some((a) => a.id === parsed.data.applicationId)) return fail(404, { action: 'add', message: m.not_found() });
		const result = await addAssignment(db(), actor, parsed.data.applicationId, parsed.data.expertId);
		if (!result.ok) {
			const messages = { notFound: m.not_found(), notAssignable: m.assign_not_assignable(), conflicted: m.assign_conflicted(), already: m.assign_already(), inactive: m.assign_inactive(), loadFull: m.assign_load_full() };
			return fail(409, { action: 'add', message: messages[result.problem] });
		}
		return { action: 'add', success: m.assign_added() };
	},
	remove: async (event) => {
		const { call, actor } = await context(event);
		const parsed = parse(z.object({ assignmentId: z.uuid(), reason: z.string().trim().min(2).max(200) }), formFields(await event.request.formData()));
		if (!parsed.ok) return fail(400, { action: 'remove', message: m.assign_remove_reason() });
		if (!(await inCall(call.id, parsed.data.assignmentId))) return fail(404, { action: 'remove', message: m.not_found() });
		const result = await removeAssignment(db(), actor, parsed.data.assignmentId, parsed.data.reason);
		if (!result.ok) return fail(409, { action: 'remove', message: result.problem === 'reviewSubmitted' ? m.assign_review_submitted() : m.not_found() });
		return { action: 'remove', success: m.assign_removed() };
	},
	returnReview: async (event) => {
		const { call, actor } = await context(event);
		const parsed = parse(z.object({ assignmentId: z.uuid(), reviewId: z.uuid(), reason: z.string().trim().min(2).max(500) }), formFields(await event.request.formData()));
		if (!parsed.ok) return fail(400, { action: 'remove', message: m.assign_return_reason() });
		if (!(await inCall(call.id, parsed.data.assignmentId))) return fail(404, { action: 'remove', message: m.not_found() });
		const result = await returnReview(db(), actor, parsed.data.reviewId, parsed.data.reason, parsed.data.assignmentId);
		if (!result.ok) return fail(409, { action: 'remove', message: m.not_found() });
		return { action: 'remove', success: m.assign_returned() };
	}
};
