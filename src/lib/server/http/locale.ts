// The language of a refusal sent before the page's own language handling runs (or to a client
// that has none): the language cookie, else Accept-Language, else Chinese.
import { baseLocale, extractLocaleFromHeader, isLocale } from '$lib/paraglide/runtime';
import { LOCALE_COOKIE, type Locale } from '../auth/cookies';

export function requestLocale(request: Request): Locale {
	const cookie = request.headers
		.get('cookie')
		?.split(';')
		.map((c) => c.trim())
		.find((c) => c.startsWith(`${LOCALE_COOKIE}=`))
		?.slice(LOCALE_COOKIE.length + 1);
	if (cookie && isLocale(cookie)) return cookie;
	const header = extractLocaleFromHeader(request);
	return header && isLocale(header) ? header : (baseLocale as Locale);
}
