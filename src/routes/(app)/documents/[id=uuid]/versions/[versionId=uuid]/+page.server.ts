import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireUser } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { currentContent, getDocument } from '$lib/server/documents';
import { getVersion, listVersions } from '$lib/server/documents/versions';
import { compareContent, renderHtml } from '$lib/server/documents/render';
import { storedContent } from '$lib/server/documents/shape';
import type { PMNode } from '$lib/editor/extensions';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireUser(event);
	const { id, versionId } = event.params;
	const document = await getDocument(db(), p, id);
	// A reader by grant sees the published content, never the history of drafts.
	if (!document || document.access.readerOnly) error(404, m.doc_error_not_found());
	const version = await getVersion(db(), id, versionId);
	if (!version) error(404, m.doc_error_not_found());
	const versions = await listVersions(db(), id);
	const content = storedContent(version.content);

	// ?with=current or ?with=<version id>: what changed from this version to that one.
	const withParam = event.url.searchParams.get('with');
	let comparison: { with: string; html: string; inserted: number; deleted: number; changed: number } | null = null;
	if (withParam) {
		let other: PMNode | null = null;
		if (withParam === 'current') {
			const now = await currentContent(db(), id);
			other = now.json;
			now.doc.destroy();
		} else if (/^[0-9a-f-]{36}$/i.test(withParam)) {
			const v = await getVersion(db(), id, withParam);
			if (v) other = storedContent(v.content);
		}
		if (other) comparison = { with: withParam, ...compareContent(content, other) };
	}
	return {
		document,
		version: { id: version.id, number: version.number, kind: version.kind, name: version.name, createdAt: version.createdAt, createdByName: version.createdByName },
		versions: versions.map((v) => ({ id: v.id, number: v.number, kind: v.kind, name: v.name })),
		html: comparison ? '' : renderHtml(content),
		comparison
	};
};
