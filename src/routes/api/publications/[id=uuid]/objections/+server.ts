// POST {"token", "kind", "name", "organization", "title", "contactName", "phone", "address",
// "rowId", "grounds"} → 201 {"receipt"}: an objection, with the public form's rules (period,
// real name, rate limit, form token from GET …/objections/token). With a session cookie the
// objection is the account's and needs no token. Attachments go through the web form.
import { json } from '@sveltejs/kit';
import { readJson } from '$lib/server/validation';
import { submitObjection } from '$lib/server/publications/edge';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => {
	const body = await readJson(event.request);
	if (!body.ok) return json({ message: body.errors._, errors: body.errors }, { status: body.status });
	const result = await submitObjection({ publicationId: event.params.id, fields: body.data, files: [], principal: event.locals.principal, ip: event.locals.ip });
	if (!result.ok) return json({ message: result.message, ...(result.errors ? { errors: result.errors } : {}) }, { status: result.status });
	return json({ receipt: result.receipt, status: `/public/objections?code=${encodeURIComponent(result.receipt)}` }, { status: 201 });
};
