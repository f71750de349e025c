// The expert list's filter, read from the URL by the page and its exports alike.
import { TECHNICAL_FIELDS } from '$lib/values';
import type { ExpertFilter } from './queries';

export function parseExpertFilter(q: URLSearchParams): Required<ExpertFilter> {
	const field = q.get('field') ?? '';
	const kind = q.get('kind') ?? '';
	const status = q.get('status') ?? '';
	return {
		q: (q.get('q') ?? '').trim().slice(0, 100),
		field: (TECHNICAL_FIELDS as readonly string[]).includes(field) ? field : '',
		kind: kind === 'technical' || kind === 'finance' ? kind : '',
		status: status === 'active' || status === 'inactive' ? status : ''
	};
}
