/** JSON.parse that falls back instead of throwing (for values echoed back to a form). */
export function parseJsonOr<T>(text: unknown, fallback: T): T {
	if (typeof text !== 'string') return fallback;
	try {
		return JSON.parse(text) as T;
	} catch {
		return fallback;
	}
}
