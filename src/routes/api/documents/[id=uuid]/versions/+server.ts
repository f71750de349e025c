// GET → the document's versions, newest first; POST {"name"} → saves the current content as a named version.
import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { accessTo } from '$lib/server/documents/access';
import { listVersions, saveVersion } from '$lib/server/documents/versions';
import { invalid, refuse } from '$lib/server/http/documents';
import { versionSchema } from '$lib/server/documents/schemas';
import { parse, readJson } from '$lib/server/validation';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const p = requireUser(event);
	const allowed = await accessTo(db(), p, event.params.id);
	// A reader by grant (a published guideline's applicant) gets the content, not this.
	if (!allowed || allowed.access.readerOnly) return refuse('not_found');
	const versions = await listVersions(db(), event.params.id);
	return json({ versions: versions.map((v) => ({ ...v, createdAt: v.createdAt.toISOString() })) });
};

export const POST: RequestHandler = async (event) => {
	const p = requireUser(event);
	const body = await readJson(event.request, 4096);
	if (!body.ok) return invalid(body.errors, body.status);
	const parsed = parse(versionSchema, body.data);
	if (!parsed.ok) return invalid(parsed.errors);
	const result = await saveVersion(db(), p, event.params.id, parsed.data.name);
	if (!result.ok) return refuse(result.reason);
	return json({ number: result.number }, { status: 201 });
};
