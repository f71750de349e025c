import { requireInternal } from '$lib/server/auth/guards';
import { expertTemplate } from '$lib/server/imports/experts';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = (event) => {
	requireInternal(event);
	return new Response(expertTemplate(), {
		headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="experts-template.csv"; filename*=UTF-8''${encodeURIComponent('专家导入模板.csv')}` }
	});
};
