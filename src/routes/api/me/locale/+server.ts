// POST {"locale": "zh-CN" | "en"} → remembers the interface language on the account.
import { json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { db } from '$lib/server/db';
import { requireUser } from '$lib/server/auth/guards';
import { setLocale } from '$lib/server/auth/accounts';
import { isLocale, setLocaleCookie } from '$lib/server/auth/cookies';
import { readJson } from '$lib/server/validation';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async (event) => {
	const p = requireUser(event);
	const body = await readJson(event.request, 1024);
	if (!body.ok) return json({ message: body.errors._ }, { status: body.status });
	if (!isLocale(body.data.locale)) return json({ message: m.v_choice() }, { status: 400 });
	await setLocale(db(), p.user.id, body.data.locale);
	setLocaleCookie(event.cookies, body.data.locale);
	return json({ message: m.saved() });
};
