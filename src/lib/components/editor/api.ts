// JSON calls to /api/documents from the document page: the server's message on failure, a
// localized one when the network fails.
import { m } from '$lib/paraglide/messages';

export type ApiResult<T> = { ok: true; data: T } | { ok: false; message: string; status: number };

export async function api<T = unknown>(url: string, body?: unknown): Promise<ApiResult<T>> {
	try {
		const res = await fetch(url, {
			method: body === undefined ? 'GET' : 'POST',
			headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
		const data = await res.json().catch(() => ({}));
		if (!res.ok) return { ok: false, status: res.status, message: (data as { message?: string }).message ?? m.doc_error_network() };
		return { ok: true, data: data as T };
	} catch {
		return { ok: false, status: 0, message: m.doc_error_network() };
	}
}
