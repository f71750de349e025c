// Keeps an application's status in step with its review: accepted while no expert is on it,
// assigned while reviews are outstanding, reviewed once every active assignment has a
// submitted review. A decided (or otherwise finished) application is left alone.
import { and, eq, sql } from 'drizzle-orm';
import { applications, assignments, reviews } from '$db/schema';
import { rows, type DbOrTx } from '../db';
import type { AuditActor } from '../audit';
import { transition, type ApplicationStatus } from '../applications/status';

const FOLLOWS_REVIEW: ApplicationStatus[] = ['accepted', 'assigned', 'reviewed'];

export async function syncReviewStatus(db: DbOrTx, actor: AuditActor | null, applicationId: string): Promise<ApplicationStatus | null> {
	const [app] = await db
		.select({ id: applications.id, number: applications.number, status: applications.status })
		.from(applications)
		.where(eq(applications.id, applicationId))
		.for('update');
	if (!app || !FOLLOWS_REVIEW.includes(app.status)) return app?.status ?? null;
	const [counts] = await rows<{ active: number; submitted: number }>(
		db,
		sql`SELECT count(*)::int AS active, count(*) FILTER (WHERE ${reviews.status} = 'submitted')::int AS submitted
			FROM ${assignments} LEFT JOIN ${reviews} ON ${reviews.assignmentId} = ${assignments.id}
			WHERE ${and(eq(assignments.applicationId, applicationId), eq(assignments.status, 'active'))}`
	);
	const target: ApplicationStatus = counts.active === 0 ? 'accepted' : counts.submitted === counts.active ? 'reviewed' : 'assigned';
	if (target === app.status) return target;
	let current = app.status;
	// accepted → reviewed goes through assigned: the state machine has no shortcut.
	if (current === 'accepted' && target === 'reviewed') {
		await transition(db, actor, { ...app, status: current }, 'assigned');
		current = 'assigned';
	}
	await transition(db, actor, { ...app, status: current }, target);
	return target;
}
