import { db } from '$lib/server/db';
import { objectionByReceipt } from '$lib/server/publications';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ url, setHeaders }) => {
	setHeaders({ 'cache-control': 'no-store' });
	const code = (url.searchParams.get('code') ?? '').slice(0, 40);
	if (!code) return { code, objection: null, searched: false };
	const o = await objectionByReceipt(db(), code);
	return {
		code,
		searched: true,
		objection: o && { ...o, createdAt: o.createdAt.toISOString(), acknowledgedAt: o.acknowledgedAt?.toISOString() ?? null, decidedAt: o.decidedAt?.toISOString() ?? null, id: undefined }
	};
};
