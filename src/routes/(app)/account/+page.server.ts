import { fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireUser } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { changePassword, listSessions, signOutOthers } from '$lib/server/auth/accounts';
import { changePasswordSchema } from '$lib/server/auth/schemas';
import { formFields, parse } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireUser(event);
	const sessions = await listSessions(db(), p.user.id);
	return { sessions: sessions.map((s) => ({ ...s, current: s.id === p.sessionId, id: undefined })) };
};

export const actions: Actions = {
	password: async (event) => {
		const p = requireUser(event);
		const parsed = parse(changePasswordSchema, formFields(await event.request.formData()));
		if (!parsed.ok) return fail(400, { action: 'password', errors: parsed.errors });
		const result = await changePassword(db(), p.user.id, p.sessionId, parsed.data.currentPassword, parsed.data.newPassword, {
			ip: event.locals.ip,
			userAgent: event.request.headers.get('user-agent')
		});
		if (!result.ok) return fail(400, { action: 'password', errors: { currentPassword: m.account_wrong_password() } });
		return { action: 'password', success: m.account_password_changed() };
	},
	signOutOthers: async (event) => {
		const p = requireUser(event);
		await signOutOthers(db(), p.user.id, p.sessionId, { ip: event.locals.ip, userAgent: null, name: p.user.name });
		return { action: 'sessions', success: m.account_signed_out_others() };
	}
};
