// 200 when the database answers, 503 otherwise: for load balancers and the start script.
import { json } from '@sveltejs/kit';
import { sql } from 'drizzle-orm';
import { db } from '$lib/server/db';
import { reportDatabaseError, reportDatabaseOk } from '$lib/server/db/health';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals }) => {
	try {
		await Promise.race([
			db().execute(sql`SELECT 1`),
			new Promise((_, reject) => setTimeout(() => reject(new Error('database timeout')), 3000))
		]);
		reportDatabaseOk();
		return json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
	} catch (err) {
		locals.log.warn({ err }, 'health check failed');
		reportDatabaseError(err);
		return json({ status: 'unavailable' }, { status: 503, headers: { 'cache-control': 'no-store' } });
	}
};
