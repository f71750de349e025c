// GET → the signed-in user and their roles; 401 without a session.
import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { meSummary } from '$lib/server/navigation';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = (event) => json({ user: meSummary(requireUser(event)) });
