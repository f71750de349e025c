// How large a request body each route accepts, enforced while the body streams in: a client
// that announces (Content-Length) or sends more is answered 413 before the rest is read, so
// no request makes the server hold more than its route's cap in memory.
import { error } from '@sveltejs/kit';
import { MAX_ATTACHMENT_BYTES } from '../applications/pdf';
import { MAX_IMPORT_BYTES } from '../imports/csv';
import { MAX_OBJECTION_FILE_BYTES, MAX_OBJECTION_FILES } from '../publications/files';

const KiB = 1024;
/** Room for multipart boundaries and the other fields beside an uploaded file. */
const FORM_OVERHEAD = 64 * KiB;

export const DEFAULT_API_LIMIT = 64 * KiB;
export const DEFAULT_FORM_LIMIT = 256 * KiB;

/** Caps by SvelteKit route id; for pages, by form action ('' is the default action). */
const ROUTES: Record<string, number | Record<string, number>> = {
	'/api/auth/login': 4 * KiB,
	'/api/auth/logout': 1 * KiB,
	'/api/me/locale': 1 * KiB,
	'/api/applications/[id=uuid]': 256 * KiB,
	'/(auth)/login': 8 * KiB,
	'/(auth)/register': 16 * KiB,
	'/logout': 1 * KiB,
	'/(app)/applications/[id=uuid]': { upload: MAX_ATTACHMENT_BYTES + FORM_OVERHEAD },
	'/(app)/applications/import': { preview: MAX_IMPORT_BYTES + FORM_OVERHEAD, confirm: 4 * KiB },
	'/(app)/experts/import': { preview: MAX_IMPORT_BYTES + FORM_OVERHEAD, confirm: 4 * KiB },
	'/public/publications/[id=uuid]': MAX_OBJECTION_FILES * MAX_OBJECTION_FILE_BYTES + FORM_OVERHEAD,
	'/(app)/calls/[id=uuid]/publication': { note: MAX_OBJECTION_FILES * MAX_OBJECTION_FILE_BYTES + FORM_OVERHEAD }
};

/** The form action a page POST names (`?/name`), '' for the default one. */
function actionOf(url: URL): string {
	for (const key of url.searchParams.keys()) if (key.startsWith('/')) return key.slice(1);
	return '';
}

export function bodyLimit(routeId: string | null, url: URL): number {
	const api = url.pathname === '/api' || url.pathname.startsWith('/api/');
	const fallback = api || !routeId ? DEFAULT_API_LIMIT : DEFAULT_FORM_LIMIT;
	const entry = routeId ? ROUTES[routeId] : undefined;
	if (entry === undefined) return fallback;
	if (typeof entry === 'number') return entry;
	return entry[actionOf(url)] ?? fallback;
}

/** A limit as people read it: "4 KB", "5.1 MB". */
export function formatLimit(bytes: number): string {
	if (bytes >= 1024 * KiB) return `${Math.round((bytes / 1024 / KiB) * 10) / 10} MB`;
	return `${Math.round(bytes / KiB)} KB`;
}

/** True when the request says in advance that its body is larger than `limit`. */
export function announcedTooLarge(request: Request, limit: number): boolean {
	const length = Number(request.headers.get('content-length'));
	return Number.isFinite(length) && length > limit;
}

/**
 * The request with its body counted as it is read: past `limit` the stream fails with an
 * HttpError 413 (so `formData()` in an action throws a 413, not a 500) and nothing more is
 * pulled from the connection.
 */
export function limitRequestBody(request: Request, limit: number, message: string): Request {
	if (!request.body) return request;
	const reader = request.body.getReader();
	let seen = 0;
	const body = new ReadableStream<Uint8Array>({
		async pull(controller) {
			const { done, value } = await reader.read();
			if (done) return controller.close();
			seen += value.byteLength;
			if (seen > limit) {
				try {
					error(413, message);
				} catch (e) {
					controller.error(e);
				}
				return;
			}
			controller.enqueue(value);
		}
	});
	return new Request(request, { body, duplex: 'half' } as RequestInit);
}

export type BodyText = { ok: true; bytes: Uint8Array } | { ok: false; tooLarge: true };

/** Reads at most `limit` bytes of a body; stops reading (and says so) past it. */
export async function readBodyBytes(request: Request, limit: number): Promise<BodyText> {
	if (announcedTooLarge(request, limit)) return { ok: false, tooLarge: true };
	if (!request.body) return { ok: true, bytes: new Uint8Array() };
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		let next: ReadableStreamReadResult<Uint8Array>;
		try {
			next = await reader.read();
		} catch (e) {
			// The route-wide cap in hooks.server.ts fired first: the same answer.
			if ((e as { status?: number })?.status === 413) return { ok: false, tooLarge: true };
			throw e;
		}
		if (next.done) break;
		size += next.value.byteLength;
		if (size > limit) {
			reader.releaseLock();
			return { ok: false, tooLarge: true };
		}
		chunks.push(next.value);
	}
	const bytes = new Uint8Array(size);
	let at = 0;
	for (const c of chunks) {
		bytes.set(c, at);
		at += c.byteLength;
	}
	return { ok: true, bytes };
}
