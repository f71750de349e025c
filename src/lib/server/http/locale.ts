// The language of a refusal sent before the page's own language handling runs (or to a client
// that has none): the language cookie, else Accept-Language, else Chinese.
import { baseLocale, cookieName, extractLocaleFromHeader, isLocale, type Locale } from '$lib/paraglide/runtime';

/** The language the cookie names, if it names one. */
export function cookieLocale(cookieHeader: string | null | undefined): Locale | null {
	const cookie = cookieHeader
		?.split(';')
		.map((c) => c.trim())
		.find((c) => c.startsWith(`${cookieName}=`))
		?.slice(cookieName.length + 1);
	return cookie && isLocale(cookie) ? cookie : null;
}

export function requestLocale(request: Request): Locale {
	const cookie = cookieLocale(request.headers.get('cookie'));
	if (cookie) return cookie;
	const header = extractLocaleFromHeader(request);
	return header && isLocale(header) ? header : baseLocale;
}
