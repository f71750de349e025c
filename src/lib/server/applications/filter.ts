// The application list's filter, read from the URL: the page and its exports read it the same
// way, so an export is exactly the list on screen.
import { APPLICATION_STATUSES, TECHNICAL_FIELDS } from '$lib/values';
import { fromBeijingInput } from '$lib/datetime';
import type { ApplicationFilter } from './queries';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SORTS = ['number', 'submitted', 'amount', 'title'] as const;

function pick<T extends string>(value: string | null, allowed: readonly T[]): T | '' {
	return value && (allowed as readonly string[]).includes(value) ? (value as T) : '';
}

export interface ListQuery extends ApplicationFilter {
	fromText: string;
	toText: string;
}

export function parseListQuery(q: URLSearchParams): ListQuery {
	const fromText = /^\d{4}-\d{2}-\d{2}$/.test(q.get('from') ?? '') ? q.get('from')! : '';
	const toText = /^\d{4}-\d{2}-\d{2}$/.test(q.get('to') ?? '') ? q.get('to')! : '';
	const to = toText ? fromBeijingInput(toText) : null;
	return {
		q: (q.get('q') ?? '').trim().slice(0, 100),
		callId: UUID.test(q.get('callId') ?? '') ? q.get('callId')! : '',
		status: pick(q.get('status'), APPLICATION_STATUSES),
		field: pick(q.get('field'), TECHNICAL_FIELDS),
		from: fromText ? fromBeijingInput(fromText) : null,
		// The "to" day is included: up to the start of the next day.
		to: to ? new Date(to.getTime() + 24 * 3600 * 1000) : null,
		fromText,
		toText,
		sort: pick(q.get('sort'), SORTS) || 'number',
		dir: q.get('dir') === 'desc' ? 'desc' : 'asc'
	};
}
