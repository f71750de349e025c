// Who may do what with a document. Every channel asks here: the pages and the JSON API, the
// comment endpoints, exports, and the collaboration server at the WebSocket upgrade (and again
// whenever someone's rights change).
//
// Access comes from the document's owner:
//   division  members of the division edit; its head or deputy head locks.
//   program   members of the program's lead division edit, members of the other divisions
//             working on the program comment; the lead division's head or deputy head locks.
//   meeting   decided by the resolver the meetings domain registers (see below); until one is
//             registered, only admins.
// plus, for division and program documents, what the document is shared with a person
// (view / comment / edit). Admins may do everything. A locked document is read-only for all;
// only an admin may reopen it.
//
// ## Plugging in an owner kind (for the meetings domain)
//
//   import { registerAccessResolver } from '$lib/server/documents/access';
//   registerAccessResolver('meeting', async ({ db, principal, document }) => {
//     // document.meetingId, document.agendaItemId identify the meeting and its item.
//     // Members edit, the chair also locks; a member recused from the item gets 'none'.
//     return { access: 'edit', canLock: isChair, canManage: false };
//   });
//
// Register once at start-up (e.g. in the meetings RealtimeModule's attach, or at import of the
// meetings domain). The registry lives on globalThis, so the SvelteKit bundle and the realtime
// bundle see the same resolver. After a change that alters a resolver's answer (a recusal, a
// member added or removed), emit `rights.changed` (src/lib/server/events.ts) with the users
// concerned: their open document connections are re-checked at once, closed if the answer is
// now 'none', downgraded or upgraded otherwise. Shares are ignored for meeting documents: the
// meeting's own membership (and recusal) is the only rule.
//
// ## Readers from other domains
//
// A division or program document may also be readable by people outside its owner because of
// what another domain does with it (a call's published guideline is read by applicants). Such
// a domain registers a read grant (registerReadGrant, at start-up): it can only ever give
// 'view', never comment or edit, and never for meeting documents; and such a reader gets the
// content only (readerOnly): not the owners' comment threads nor the history of drafts.
import { and, eq, sql } from 'drizzle-orm';
import { documentShares, documents, programDivisions, programs } from '$db/schema';
import type { DbOrTx } from '../db';
import { roles, type Principal } from '../auth/principal';
import { slot } from '../runtime';

export type Access = 'none' | 'view' | 'comment' | 'edit';
export type OwnerKind = 'division' | 'program' | 'meeting';

const RANK: Record<Access, number> = { none: 0, view: 1, comment: 2, edit: 3 };

export function atLeast(access: Access, needed: Access): boolean {
	return RANK[access] >= RANK[needed];
}

function max(a: Access, b: Access): Access {
	return RANK[a] >= RANK[b] ? a : b;
}

/** What a resolver needs to know about a document. */
export interface DocumentRef {
	id: string;
	kind: 'plan' | 'guideline' | 'minutes' | 'notes' | 'other';
	ownerKind: OwnerKind;
	divisionId: string | null;
	programId: string | null;
	meetingId: string | null;
	agendaItemId: string | null;
	lockId: string | null;
}

/** A resolver's answer, before the lock and admin rules are applied. */
export interface AccessDecision {
	access: Access;
	/** May lock (finalize) the document. */
	canLock: boolean;
	/** May share the document with others and change its title. */
	canManage: boolean;
}

/** The final answer for a person and a document. */
export interface EffectiveAccess extends AccessDecision {
	locked: boolean;
	/** May reopen a locked document (admins only). */
	canReopen: boolean;
	/**
	 * The access comes only from a read grant (a published guideline's applicant): the content
	 * and its exports, never the owners' comment threads or the history of drafts.
	 */
	readerOnly: boolean;
}

export interface ResolverContext {
	db: DbOrTx;
	principal: Principal;
	document: DocumentRef;
	/** Lookups reused across many decisions for one principal (listing); resolvers may ignore it. */
	cache?: AccessCache;
}

/** What deciding many documents for one principal looks up once instead of per document. */
export interface AccessCache {
	/** The principal's shares, by document id. */
	shares?: Map<string, 'view' | 'comment' | 'edit'>;
	programs: Map<string, { lead: string; divisions: Set<string> } | null>;
}

async function programInfo(db: DbOrTx, programId: string, cache?: AccessCache) {
	if (cache?.programs.has(programId)) return cache.programs.get(programId)!;
	const [program] = await db.select({ lead: programs.divisionId }).from(programs).where(eq(programs.id, programId));
	const info = program
		? {
				lead: program.lead,
				divisions: new Set(
					(await db.select({ id: programDivisions.divisionId }).from(programDivisions).where(eq(programDivisions.programId, programId))).map((r) => r.id)
				)
			}
		: null;
	cache?.programs.set(programId, info);
	return info;
}

export type AccessResolver = (ctx: ResolverContext) => AccessDecision | Promise<AccessDecision>;

const NONE: AccessDecision = { access: 'none', canLock: false, canManage: false };

const registry = slot<Map<OwnerKind, AccessResolver>>('documents.accessResolvers');

function resolvers(): Map<OwnerKind, AccessResolver> {
	let map = registry.get();
	if (!map) registry.set((map = new Map()));
	return map;
}

/**
 * Sets the resolver for an owner kind (replacing the built-in one). Returns a function that
 * restores the previous resolver.
 */
export function registerAccessResolver(kind: OwnerKind, resolver: AccessResolver): () => void {
	const map = resolvers();
	const previous = map.get(kind);
	map.set(kind, resolver);
	return () => {
		if (map.get(kind) !== resolver) return;
		if (previous) map.set(kind, previous);
		else map.delete(kind);
	};
}

const divisionResolver: AccessResolver = ({ principal, document }) => {
	if (!document.divisionId || !roles.inDivision(principal, document.divisionId)) return NONE;
	return { access: 'edit', canLock: roles.headOf(principal, document.divisionId), canManage: true };
};

const programResolver: AccessResolver = async ({ db, principal, document, cache }) => {
	if (!document.programId || principal.memberships.length === 0) return NONE;
	const program = await programInfo(db, document.programId, cache);
	if (!program) return NONE;
	if (roles.inDivision(principal, program.lead)) {
		return { access: 'edit', canLock: roles.headOf(principal, program.lead), canManage: true };
	}
	const works = principal.memberships.some((m) => program.divisions.has(m.divisionId));
	return works ? { access: 'comment', canLock: false, canManage: false } : NONE;
};

/** Whether someone outside a document's owner may read it (see "Readers from other domains"). */
export type ReadGrant = (ctx: ResolverContext) => boolean | Promise<boolean>;

const grantRegistry = slot<Map<string, ReadGrant>>('documents.readGrants');

function grants(): Map<string, ReadGrant> {
	let map = grantRegistry.get();
	if (!map) grantRegistry.set((map = new Map()));
	return map;
}

/** Adds (or replaces, by name) a read grant. Returns a function that removes it. */
export function registerReadGrant(name: string, grant: ReadGrant): () => void {
	const map = grants();
	map.set(name, grant);
	return () => {
		if (map.get(name) === grant) map.delete(name);
	};
}

async function granted(ctx: ResolverContext): Promise<boolean> {
	for (const grant of grants().values()) if (await grant(ctx)) return true;
	return false;
}

/** Until the meetings domain registers its resolver, meeting documents are for admins only. */
const meetingDefault: AccessResolver = () => NONE;

const BUILT_IN: Record<OwnerKind, AccessResolver> = { division: divisionResolver, program: programResolver, meeting: meetingDefault };

export async function resolveAccess(db: DbOrTx, principal: Principal, document: DocumentRef, cache?: AccessCache): Promise<EffectiveAccess> {
	const resolver = resolvers().get(document.ownerKind) ?? BUILT_IN[document.ownerKind];
	let decision = await resolver({ db, principal, document, cache });
	let readerOnly = false;
	if (document.ownerKind !== 'meeting' && decision.access !== 'edit') {
		let share: Access | undefined;
		if (cache?.shares) share = cache.shares.get(document.id);
		else {
			const [row] = await db
				.select({ access: documentShares.access })
				.from(documentShares)
				.where(and(eq(documentShares.documentId, document.id), eq(documentShares.userId, principal.user.id)));
			share = row?.access;
		}
		if (share) decision = { ...decision, access: max(decision.access, share) };
		if (decision.access === 'none' && (await granted({ db, principal, document, cache }))) {
			decision = { access: 'view', canLock: false, canManage: false };
			readerOnly = true;
		}
	}
	if (principal.isAdmin) {
		decision = { access: 'edit', canLock: true, canManage: true };
		readerOnly = false;
	}
	const locked = document.lockId !== null;
	if (locked) {
		return {
			access: decision.access === 'none' ? 'none' : 'view',
			canLock: false,
			canManage: false,
			locked,
			canReopen: principal.isAdmin,
			readerOnly
		};
	}
	return { ...decision, locked, canReopen: false, readerOnly };
}

const refColumns = {
	id: documents.id,
	kind: documents.kind,
	ownerKind: documents.ownerKind,
	divisionId: documents.divisionId,
	programId: documents.programId,
	meetingId: documents.meetingId,
	agendaItemId: documents.agendaItemId,
	lockId: documents.lockId
};

export async function getDocumentRef(db: DbOrTx, id: string): Promise<DocumentRef | null> {
	const [row] = await db.select(refColumns).from(documents).where(eq(documents.id, id));
	return row ?? null;
}

/** A document and the principal's access to it, or null when it does not exist or they may not open it. */
export async function accessTo(db: DbOrTx, principal: Principal, id: string): Promise<{ document: DocumentRef; access: EffectiveAccess } | null> {
	const document = await getDocumentRef(db, id);
	if (!document) return null;
	const access = await resolveAccess(db, principal, document);
	return access.access === 'none' ? null : { document, access };
}

/**
 * The documents the principal may open, with their access. Candidates are narrowed in SQL
 * (own divisions, programs their divisions work on, shares, meeting documents); each is then
 * decided by resolveAccess, so the list can never disagree with what opening one allows.
 */
export async function accessibleDocuments(db: DbOrTx, principal: Principal): Promise<Map<string, EffectiveAccess>> {
	const divisionIds = principal.memberships.map((m) => m.divisionId);
	const candidates = principal.isAdmin
		? await db.select(refColumns).from(documents)
		: await db
				.select(refColumns)
				.from(documents)
				.where(
					sql`${documents.ownerKind} = 'meeting'
					OR ${documents.id} IN (SELECT document_id FROM document_shares WHERE user_id = ${principal.user.id})
					${divisionIds.length ? sql`OR ${documents.divisionId} IN ${divisionIds} OR ${documents.programId} IN (SELECT program_id FROM program_divisions WHERE division_id IN ${divisionIds})` : sql``}`
				);
	const shares = await db
		.select({ documentId: documentShares.documentId, access: documentShares.access })
		.from(documentShares)
		.where(eq(documentShares.userId, principal.user.id));
	const cache: AccessCache = { shares: new Map(shares.map((s) => [s.documentId, s.access])), programs: new Map() };
	const out = new Map<string, EffectiveAccess>();
	for (const doc of candidates) {
		const access = await resolveAccess(db, principal, doc, cache);
		if (access.access !== 'none') out.set(doc.id, access);
	}
	return out;
}
