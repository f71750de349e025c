// Autosave of an applicant's draft: the editor sends the whole draft as JSON after each pause
// in typing; the answer says when it was saved.
import { error, json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireApplicant } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { saveDraft } from '$lib/server/applications/drafts';
import { draftSchema } from '$lib/server/applications/schemas';
import { parse, readJson } from '$lib/server/validation';
import type { RequestHandler } from './$types';

export const PUT: RequestHandler = async (event) => {
	const p = requireApplicant(event);
	const body = await readJson(event.request, 256 * 1024);
	if (!body.ok) error(body.status, body.errors._);
	const draft = parse(draftSchema, body.data);
	if (!draft.ok) return json({ message: m.v_form_errors(), errors: draft.errors }, { status: 400 });
	const result = await saveDraft(db(), p, event.params.id, draft.data);
	if (!result.ok) error(result.problem === 'notFound' ? 404 : 409, result.problem === 'notFound' ? m.apps_not_found() : m.app_not_draft());
	return json({ savedAt: result.savedAt.toISOString() });
};
