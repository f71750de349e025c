// GET ?format=md|docx[&version=<id>] → the document (its final content when locked) as a download.
import { requireUser } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { exportDocument } from '$lib/server/documents/exporting';
import { invalid, refuse } from '$lib/server/http/documents';
import { exportSchema } from '$lib/server/documents/schemas';
import { parse } from '$lib/server/validation';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const p = requireUser(event);
	const parsed = parse(exportSchema, Object.fromEntries(event.url.searchParams));
	if (!parsed.ok) return invalid(parsed.errors);
	const result = await exportDocument(db(), p, event.params.id, parsed.data);
	if (!result.ok) return refuse(result.reason);
	return new Response(new Uint8Array(result.body), {
		headers: {
			'content-type': result.contentType,
			'content-disposition': `attachment; filename="${result.asciiName}"; filename*=UTF-8''${encodeURIComponent(result.fileName)}`,
			'cache-control': 'no-store'
		}
	});
};
