import { requireUser } from '$lib/server/auth/guards';
import { meSummary, navFor } from '$lib/server/navigation';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = (event) => {
	const p = requireUser(event);
	return { me: meSummary(p), nav: navFor(p) };
};
