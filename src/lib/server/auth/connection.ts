// Who a realtime connection (Socket.IO, /collab) belongs to: the same session cookie HTTP
// uses, validated and loaded the same way. Start-up hands this to the realtime core.
import type { DbOrTx } from '../db';
import { tokenFromCookieHeader, validateSessionToken } from './session';
import { loadPrincipal, type Principal } from './principal';

export async function principalFromCookieHeader(db: DbOrTx, cookieHeader: string | undefined): Promise<Principal | null> {
	const token = tokenFromCookieHeader(cookieHeader);
	if (!token) return null;
	const result = await validateSessionToken(db, token);
	if (!result) return null;
	return loadPrincipal(db, result.user, result.session.id);
}
