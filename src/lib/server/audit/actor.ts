// Who did it, as the audit trail records it: the signed-in user of a request and the address
// it came from. One helper for every route, so no edge spells the actor out by hand.
import type { AuditActor } from './index';

/** The audit actor of a request; id and name are null when nobody is signed in. */
export function actorOf(event: { locals: Pick<App.Locals, 'principal' | 'ip'> }): AuditActor {
	const p = event.locals.principal;
	return { id: p?.user.id ?? null, name: p?.user.name ?? null, ip: event.locals.ip };
}
