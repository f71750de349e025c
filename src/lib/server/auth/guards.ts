// Role guards used by every page, action and endpoint. A page without a user is sent to
// sign in; an endpoint answers 401; a user without the right gets 403.
import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { roles, type Principal } from './principal';

type Event = Pick<RequestEvent, 'locals' | 'url'>;

function isApi(event: Event): boolean {
	return event.url.pathname.startsWith('/api/');
}

/** The signed-in principal, or a redirect to sign in (pages) / 401 (endpoints). */
export function requireUser(event: Event): Principal {
	const p = event.locals.principal;
	if (p) return p;
	if (isApi(event)) error(401, m.error_unauthorized());
	const next = event.url.pathname + event.url.search;
	redirect(303, `/login?next=${encodeURIComponent(next)}`);
}

/** Requires a check to pass for the signed-in principal; 403 otherwise. */
export function requireRole(event: Event, check: (p: Principal) => boolean): Principal {
	const p = requireUser(event);
	if (!check(p)) error(403, m.error_forbidden());
	return p;
}

export const requireAdmin = (event: Event) => requireRole(event, (p) => p.isAdmin);
export const requireInternal = (event: Event) => requireRole(event, roles.isInternal);
export const requireExpert = (event: Event) => requireRole(event, roles.isExpert);
export const requireApplicant = (event: Event) => requireRole(event, roles.isApplicant);

/** Refuses a signed-in user on pages meant for signing in or registering. */
export function requireGuest(event: Event): void {
	if (event.locals.principal) redirect(303, '/');
}

export { roles };
