// GET → one document's details and the signed-in user's access to it; 404 when hidden.
import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { getDocument } from '$lib/server/documents';
import { refuse } from '$lib/server/http/documents';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const p = requireUser(event);
	const d = await getDocument(db(), p, event.params.id);
	if (!d) return refuse('not_found');
	return json({
		id: d.id,
		title: d.title,
		kind: d.kind,
		owner: { kind: d.ownerKind, name: d.ownerName, nameEn: d.ownerNameEn },
		access: d.access.access,
		canLock: d.access.canLock,
		canReopen: d.access.canReopen,
		locked: d.access.locked,
		lock: d.lock && { lockedAt: d.lock.lockedAt.toISOString(), lockedBy: d.lock.lockedByName, sha256: d.lock.sha256 },
		editedAt: d.editedAt.toISOString()
	});
};
