// GET → a form token for one objection to this publication (scripts without an account):
// {"token", "notBefore", "expiresAt"}. Post the objection with it, no earlier than notBefore,
// once; leave the honeypot field "website" out or empty. Rate-limited per address.
import { error, json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { db } from '$lib/server/db';
import { issueFormToken, minFillMs, publicPublication, takeObjectionSlot, TOKEN_TTL_MS } from '$lib/server/publications';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => {
	const pub = await publicPublication(db(), event.params.id);
	if (!pub) error(404, m.pub_not_found());
	if (!pub.accepting) return json({ message: m.pub_objection_closed() }, { status: 409 });
	if (!(await takeObjectionSlot('token', event.locals.ip))) return json({ message: m.pub_err_rate() }, { status: 429 });
	const now = Date.now();
	return json(
		{ token: issueFormToken(pub.id, now), notBefore: new Date(now + minFillMs()).toISOString(), expiresAt: new Date(now + TOKEN_TTL_MS).toISOString() },
		{ headers: { 'cache-control': 'no-store' } }
	);
};
