// GET → the documents the signed-in user may open (?q=&kind=&divisionId=);
// POST {"title","kind","owner":{"kind":"division"|"program","id"},"template"?} → 201 {"id"}.
import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { createDocument, listDocuments } from '$lib/server/documents';
import { createSchema, listSchema } from '$lib/server/documents/schemas';
import { invalid, refuse } from '$lib/server/http/documents';
import { actorOf } from '$lib/server/audit/actor';
import { parse, readJson } from '$lib/server/validation';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const p = requireUser(event);
	const parsed = parse(listSchema, Object.fromEntries(event.url.searchParams));
	if (!parsed.ok) return invalid(parsed.errors);
	const { q, kind, divisionId } = parsed.data;
	const found = await listDocuments(db(), p, { q, kind: kind || undefined, divisionId: divisionId || undefined });
	return json({
		documents: found.map((d) => ({
			id: d.id,
			title: d.title,
			kind: d.kind,
			owner: { kind: d.ownerKind, id: d.ownerId, name: d.ownerName, nameEn: d.ownerNameEn },
			access: d.access,
			locked: d.locked,
			editedAt: d.editedAt.toISOString()
		}))
	});
};

export const POST: RequestHandler = async (event) => {
	const p = requireUser(event);
	const body = await readJson(event.request);
	if (!body.ok) return invalid(body.errors, body.status);
	const parsed = parse(createSchema, body.data);
	if (!parsed.ok) return invalid(parsed.errors);
	const result = await createDocument(db(), p, parsed.data, actorOf(event));
	if (!result.ok) return refuse(result.reason === 'owner_not_found' ? 'owner_not_found' : 'forbidden');
	return json({ id: result.id }, { status: 201 });
};
