// The language of a refusal sent before the page's own language handling runs (or to a client
// that has none): the language cookie, else Accept-Language, else Chinese.
import { baseLocale, cookieName, extractLocaleFromHeader, isLocale, type Locale } from '$lib/paraglide/runtime';

export function requestLocale(request: Request): Locale {
	const cookie = request.headers
		.get('cookie')
		?.split(';')
		.map((c) => c.trim())
		.find((c) => c.startsWith(`${cookieName}=`))
		?.slice(cookieName.length + 1);
	if (cookie && isLocale(cookie)) return cookie;
	const header = extractLocaleFromHeader(request);
	return header && isLocale(header) ? header : baseLocale;
}
