// Paging of long lists: the page and its size are read from the URL next to the list's
// filters, so a page can be linked to and the filter form (which has no page field) starts
// again at page 1. Shared by the server (queries) and the pager component (links).

export const PAGE_SIZES = [50, 100, 200] as const;
export type PageSize = (typeof PAGE_SIZES)[number];
export const DEFAULT_PAGE_SIZE: PageSize = 50;

export interface PageRequest {
	/** 1-based. */
	page: number;
	size: PageSize;
}

export interface Paged<T> extends PageRequest {
	rows: T[];
	total: number;
	/** At least 1, so an empty list is "page 1 of 1". */
	pages: number;
}

export function parsePageRequest(q: URLSearchParams): PageRequest {
	const size = Number(q.get('size'));
	const page = Number(q.get('page'));
	return {
		page: Number.isSafeInteger(page) && page >= 1 ? page : 1,
		size: (PAGE_SIZES as readonly number[]).includes(size) ? (size as PageSize) : DEFAULT_PAGE_SIZE
	};
}

export function pageCount(total: number, size: number): number {
	return Math.max(1, Math.ceil(total / size));
}

/** The page numbers to link to: the first, the last, and two on either side of the current one; null marks a gap. */
export function pageLinks(page: number, pages: number): (number | null)[] {
	const out: (number | null)[] = [];
	for (let n = 1; n <= pages; n++) {
		if (n === 1 || n === pages || Math.abs(n - page) <= 2) out.push(n);
		else if (out.at(-1) !== null) out.push(null);
	}
	return out;
}
