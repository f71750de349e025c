// POST → ends the current session (if any) and clears the cookie.
import { json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { db } from '$lib/server/db';
import { signOut } from '$lib/server/auth/accounts';
import { clearSessionCookie } from '$lib/server/auth/cookies';
import type { RequestHandler } from './$types';
import { actorOf } from '$lib/server/audit/actor';

export const POST: RequestHandler = async ({ locals, cookies }) => {
	const p = locals.principal;
	if (p) await signOut(db(), p.sessionId, p.user.id, actorOf({ locals }));
	clearSessionCookie(cookies);
	return json({ message: m.api_logged_out() });
};
