// GET → the published lists (open and past), public: no sign-in. Nothing about experts,
// scores or declined applications is in them (publications/public.ts).
import { json } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { publicPublications } from '$lib/server/publications';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async () => json({ publications: await publicPublications(db()) }, { headers: { 'cache-control': 'no-store' } });
