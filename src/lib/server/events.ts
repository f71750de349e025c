// In-process notifications between domains: when someone's rights change, the realtime
// servers drop or downgrade their open connections at once. Held on globalThis so both
// bundles share one emitter.
import { EventEmitter } from 'node:events';
import { slot } from './runtime';

export interface DomainEvents {
	/** A user's roles, memberships or account state changed; reconsider their connections. */
	'rights.changed': { userIds: string[] | 'all' };
	/** A user's sessions were ended (sign-out everywhere, deactivation, password reset). */
	'sessions.revoked': { userId: string; exceptSessionId?: string };
	/** A document was locked (finalized) or reopened: its connections become read-only or editable again. */
	'document.locked': { documentId: string };
	'document.reopened': { documentId: string };
	/** Who may open a document changed (shared, unshared): re-check its connections. */
	'document.access.changed': { documentId: string };
	/** Comments or versions of a document changed: open editors refresh them. */
	'document.changed': { documentId: string; what: 'comments' | 'versions' | 'title' };
	/** A meeting's schedule changed (details, members, agenda): its live room reloads. */
	'meeting.changed': { meetingId: string };
	/** A conflict was declared, recorded or withdrawn: live rooms recompute who is recused. */
	'conflicts.changed': Record<string, never>;
	/** Notifications were written (maybe not committed yet): tell their people, queue mail. */
	'notifications.created': { ids: string[]; userIds: string[] };
	/** A person read some of their notifications: their other tabs update the bell. */
	'notifications.read': { userId: string };
	/** The room acted (moved to an item, opened, closed): hearings follow the current item. */
	'meeting.acted': { meetingId: string };
	/** A hearing's settings, questions, representatives or phase changed. */
	'hearing.changed': { meetingId: string };
}

const holder = slot<EventEmitter>('events');

function emitter(): EventEmitter {
	let e = holder.get();
	if (!e) {
		e = new EventEmitter();
		e.setMaxListeners(100);
		holder.set(e);
	}
	return e;
}

export function emit<K extends keyof DomainEvents>(name: K, payload: DomainEvents[K]): void {
	emitter().emit(name, payload);
}

export function on<K extends keyof DomainEvents>(name: K, listener: (payload: DomainEvents[K]) => void): () => void {
	const e = emitter();
	e.on(name, listener);
	return () => e.off(name, listener);
}
