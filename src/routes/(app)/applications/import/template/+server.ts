import { requireInternal } from '$lib/server/auth/guards';
import { applicationTemplate } from '$lib/server/imports/applications';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = (event) => {
	requireInternal(event);
	return new Response(applicationTemplate(), {
		headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="applications-template.csv"; filename*=UTF-8''${encodeURIComponent('申报导入模板.csv')}` }
	});
};
