// 200 when the database answers and can write (PGlite: its disk has room), 503 otherwise: for load balancers and the start script.
import { json } from '@sveltejs/kit';
import { checkDatabase } from '$lib/server/db/health';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals }) => {
	try {
		await Promise.race([
			checkDatabase(),
			new Promise((_, reject) => setTimeout(() => reject(new Error('database timeout')), 3000))
		]);
		return json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
	} catch (err) {
		locals.log.warn({ err }, 'health check failed');
		return json({ status: 'unavailable' }, { status: 503, headers: { 'cache-control': 'no-store' } });
	}
};
