// Setting and clearing the session and language cookies from SvelteKit handlers.
import type { Cookies } from '@sveltejs/kit';
import { cookieName, isLocale, type Locale } from '$lib/paraglide/runtime';
import { SESSION_COOKIE, sessionCookieOptions } from './session';

// The language list, its type and the cookie's name are Paraglide's (project.inlang), not ours.
export { isLocale, type Locale };

export function setSessionCookie(cookies: Cookies, url: URL, token: string, expiresAt: Date): void {
	cookies.set(SESSION_COOKIE, token, sessionCookieOptions(url.protocol === 'https:', expiresAt));
}

export function clearSessionCookie(cookies: Cookies): void {
	cookies.delete(SESSION_COOKIE, { path: '/' });
}

/** Paraglide reads this cookie on the server and in the browser, so it is not HttpOnly. */
export function setLocaleCookie(cookies: Cookies, locale: Locale): void {
	cookies.set(cookieName, locale, { path: '/', maxAge: 400 * 24 * 3600, httpOnly: false, sameSite: 'lax' });
}

/** A same-site path to go to after signing in; anything else becomes the home page. */
export function safeNext(next: string | null | undefined): string {
	if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
	return next;
}
