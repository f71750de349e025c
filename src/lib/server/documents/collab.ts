// The documents domain's side of the Yjs engine (collab/): the hooks that tell the engine who
// may open a document, whether it is locked, what its content may hold (the editor's schema,
// shape.ts), when to keep a version and what text to index, and the domain events it must
// follow. Start-up builds the engine's realtime module from these (app/modules.ts); the arrow
// goes documents → collab only.
import type * as Y from 'yjs';
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db';
import { logger } from '../log';
import { on } from '../events';
import { loadPrincipal, type Principal } from '../auth/principal';
import { touchSession, type SessionUser } from '../auth/session';
import { createCollabModule, type CollabHooks } from '../collab';
import type { RealtimeModule } from '../realtime/types';
import { FRAGMENT } from '$lib/editor/extensions';
import { getDocumentRef, resolveAccess } from './access';
import { textOf } from './content';
import { applyChecked, ShapeError } from './shape';
import { autoVersion } from './versions';

/** The user as the database knows them now for this session, or null if the session is over. */
async function currentPrincipal(db: Db, sessionId: string): Promise<Principal | null> {
	const [user] = await rows<SessionUser & { is_admin: boolean }>(
		db,
		sql`SELECT u.id, u.username, u.name, u.email, u.is_admin, u.active, u.locale, u.color
			FROM sessions s JOIN users u ON u.id = s.user_id
			WHERE s.id = ${sessionId} AND s.expires_at > now() AND u.active`
	);
	if (!user) return null;
	return loadPrincipal(db, { ...user, isAdmin: user.is_admin }, sessionId);
}

/**
 * The editor's schema as the engine's update check: only what an update adds is checked (a
 * keystroke costs the paragraph it lands in). Returns the break, or null.
 */
export function checkDocumentUpdate(doc: Y.Doc, update: Uint8Array): string | null {
	// Type the root as the editor does, so a decoded update is read as fragment content.
	doc.getXmlFragment(FRAGMENT);
	try {
		applyChecked(doc, update);
		return null;
	} catch (err) {
		if (err instanceof ShapeError) return err.message;
		throw err;
	}
}

export function documentCollabHooks(db: () => Db): CollabHooks<Principal> {
	const log = logger().child({ mod: 'collab' });
	return {
		identify: (p) => ({
			userId: p.user.id,
			sessionId: p.sessionId,
			label: p.user.username,
			presence: { id: p.user.id, name: p.user.name, color: p.user.color }
		}),
		async authorize(principal, documentId) {
			const document = await getDocumentRef(db(), documentId);
			if (!document) return null;
			const access = await resolveAccess(db(), principal, document);
			return { access: access.access };
		},
		refresh: (principal) => currentPrincipal(db(), principal.sessionId),
		async isLocked(documentId) {
			const [row] = await rows<{ locked: boolean }>(db(), sql`SELECT lock_id IS NOT NULL AS locked FROM documents WHERE id = ${documentId}`);
			return row ? row.locked : null;
		},
		checkUpdate: checkDocumentUpdate,
		textOf,
		autoVersion: async (documentId, doc, seq) => {
			await autoVersion(db(), documentId, doc, seq);
		},
		// An edit counts as using the session (at most one write a minute, touchSession).
		onEdit: (p) => touchSession(db(), p.sessionId, new Date(), (err) => log.warn({ err, user: p.user.username }, 'session touch failed')),
		onStart(engine) {
			const offs = [
				on('rights.changed', (e) => engine.reconsiderUsers(e.userIds)),
				on('sessions.revoked', (e) => engine.endSessions(e.userId, e.exceptSessionId)),
				on('document.locked', ({ documentId }) => engine.notify(documentId, { kind: 'locked' })),
				on('document.reopened', ({ documentId }) => engine.notify(documentId, { kind: 'reopened' })),
				on('document.access.changed', ({ documentId }) => engine.notify(documentId, { kind: 'access' })),
				on('document.changed', ({ documentId, what }) => engine.notify(documentId, { kind: 'changed', what }))
			];
			return () => {
				for (const off of offs) off();
			};
		}
	};
}

/** The Yjs engine with the documents domain's hooks, as start-up attaches it. */
export function documentCollabModule(db: () => Db): RealtimeModule<Principal> {
	return createCollabModule(documentCollabHooks(db));
}
