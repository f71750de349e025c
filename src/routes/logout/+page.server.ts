import { redirect } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { signOut } from '$lib/server/auth/accounts';
import { clearSessionCookie } from '$lib/server/auth/cookies';
import type { Actions, PageServerLoad } from './$types';
import { actorOf } from '$lib/server/audit/actor';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	default: async ({ locals, cookies }) => {
		const p = locals.principal;
		if (p) await signOut(db(), p.sessionId, p.user.id, actorOf({ locals }));
		clearSessionCookie(cookies);
		redirect(303, '/login?signedOut');
	}
};
