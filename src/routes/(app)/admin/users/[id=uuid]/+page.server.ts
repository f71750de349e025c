import { error, fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireAdmin } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { getUser, listDivisions, resetPassword, setActive, updateUser } from '$lib/server/org/users';
import { passwordResetSchema, toUserInput, userUpdateSchema } from '$lib/server/org/schemas';
import { echo, formFields, parse } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';
import { actorOf } from '$lib/server/audit/actor';

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const found = await getUser(db(), event.params.id);
	if (!found) error(404, m.user_not_found());
	const { user, expert } = found;
	return {
		divisions: await listDivisions(db()),
		created: event.url.searchParams.has('created'),
		isSelf: user.id === event.locals.principal?.user.id,
		user: { id: user.id, username: user.username, name: user.name, active: user.active, lastLoginAt: user.lastLoginAt },
		values: {
			name: user.name,
			email: user.email,
			phone: user.phone,
			isAdmin: user.isAdmin,
			divisionId: found.divisionId,
			role: found.role,
			isExpert: !!expert?.active,
			institution: expert?.institution ?? null,
			title: expert?.title ?? null,
			kind: expert?.kind ?? 'technical',
			primaryField: expert?.primaryField ?? null,
			secondaryFields: expert?.secondaryFields ?? []
		}
	};
};

function actor(event: Parameters<Actions[string]>[0]) {
	requireAdmin(event);
	return actorOf(event);
}

export const actions: Actions = {
	save: async (event) => {
		const who = actor(event);
		const fields = formFields(await event.request.formData());
		const values = echo(fields);
		const parsed = parse(userUpdateSchema, fields);
		if (!parsed.ok) return fail(400, { action: 'save', errors: parsed.errors, values, message: m.v_form_errors() });
		const input = toUserInput(parsed.data);
		// An admin cannot take their own admin right away: someone must be left to reopen things.
		if (event.params.id === who.id) input.isAdmin = true;
		const result = await updateUser(db(), who, event.params.id, input);
		if (!result.ok) error(404, m.user_not_found());
		return { action: 'save', success: m.user_saved() };
	},
	deactivate: async (event) => {
		const who = actor(event);
		if (event.params.id === who.id) return fail(400, { action: 'status', message: m.user_cannot_deactivate_self() });
		if (!(await setActive(db(), who, event.params.id, false))) error(404, m.user_not_found());
		return { action: 'status', success: m.user_deactivated() };
	},
	reactivate: async (event) => {
		const who = actor(event);
		if (!(await setActive(db(), who, event.params.id, true))) error(404, m.user_not_found());
		return { action: 'status', success: m.user_reactivated() };
	},
	resetPassword: async (event) => {
		const who = actor(event);
		const parsed = parse(passwordResetSchema, formFields(await event.request.formData()));
		if (!parsed.ok) return fail(400, { action: 'password', errors: parsed.errors, message: m.v_form_errors() });
		if (!(await resetPassword(db(), who, event.params.id, parsed.data.password))) error(404, m.user_not_found());
		return { action: 'password', success: m.user_password_reset_done() };
	}
};
