// Who may open an opinion's document. Opinions are meeting-owned documents (of the item), so
// the documents domain asks the 'meeting' resolver; this one answers for opinion documents and
// hands every other meeting document to the meetings domain's resolver:
//   the item's signers (chair and experts not recused) edit; the secretary, observers and the
//   call's division staff (not recused) view; recused members, applicants and everyone else
//   get nothing (the collaboration server asks the same at the upgrade).
//   Only the chair may lock, and only once the opinion is ready (the lead submitted the text
//   as it stands, every signer signed or dissented on it or was excused): the lock path of the
//   documents domain is the finalization, whichever channel calls it.
import type { AccessDecision, AccessResolver } from '../documents/access';
import { registerAccessResolver } from '../documents/access';
import { meetingDocumentsResolver } from '../meetings/documents';
import { opinionByDocument, opinionContext, pendingSigners, rolesOf, submittedCurrent } from './context';

const NONE: AccessDecision = { access: 'none', canLock: false, canManage: false };

export const opinionDocumentsResolver: AccessResolver = async (rc) => {
	const o = await opinionByDocument(rc.db, rc.document.id);
	if (!o) return meetingDocumentsResolver(rc);
	const ctx = await opinionContext(rc.db, o.itemId);
	if (!ctx) return NONE;
	const r = await rolesOf(rc.db, rc.principal, ctx);
	if (r.signer) return { access: 'edit', canLock: r.chair && submittedCurrent(ctx) && pendingSigners(ctx).length === 0, canManage: false };
	if (r.viewer) return { access: 'view', canLock: false, canManage: false };
	return NONE;
};

/** Registers the resolver for meeting documents (opinions first, the meetings' rules for the rest). */
export function registerOpinionDocuments(): () => void {
	return registerAccessResolver('meeting', opinionDocumentsResolver);
}
