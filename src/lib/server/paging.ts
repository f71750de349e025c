// One page of a list, from a query that takes a limit and an offset and counts the whole
// filtered list: a page past the end (a link kept after rows were removed, say) shows the last.
import { pageCount, type PageRequest, type Paged } from '$lib/paging';

export async function fetchPage<T>(request: PageRequest, query: (limit: number, offset: number) => Promise<{ rows: T[]; total: number }>): Promise<Paged<T>> {
	const { size } = request;
	const first = await query(size, (request.page - 1) * size);
	const pages = pageCount(first.total, size);
	if (request.page <= pages) return { ...first, page: request.page, size, pages };
	const last = await query(size, (pages - 1) * size);
	return { ...last, page: pages, size, pages };
}
