// Keeps an application's status in step with its review: accepted while no expert is on it,
// assigned while reviews are outstanding, reviewed once every active assignment has a
// submitted review. A decided (or otherwise finished) application is left alone.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { applications, assignments, reviews } from '$db/schema';
import { rows, type DbOrTx } from '../db';
import { audit, type AuditActor } from '../audit';
import { canTransition, IllegalTransition, transition, type ApplicationStatus } from '../applications/status';
import { IN_REVIEW_STATUSES } from '$lib/values';

const FOLLOWS_REVIEW: readonly ApplicationStatus[] = IN_REVIEW_STATUSES;

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

/**
 * The same for many applications at once (an assignment run touches thousands): one query
 * reads them all, one UPDATE per kind of step moves them, one INSERT writes their audit
 * entries. Each step is still one the state machine allows, and each is audited.
 */
export async function syncReviewStatuses(db: DbOrTx, actor: AuditActor | null, applicationIds: string[]): Promise<void> {
	if (applicationIds.length === 0) return;
	const found = await rows<{ id: string; number: string; status: ApplicationStatus; active: number; submitted: number }>(
		db,
		sql`SELECT applications.id, applications.number, applications.status,
				(SELECT count(*)::int FROM assignments x WHERE x.application_id = applications.id AND x.status = 'active') AS active,
				(SELECT count(*)::int FROM assignments x JOIN reviews r ON r.assignment_id = x.id WHERE x.application_id = applications.id AND x.status = 'active' AND r.status = 'submitted') AS submitted
			FROM applications WHERE ${inArray(applications.id, applicationIds)} FOR UPDATE OF applications`
	);
	const steps = new Map<string, { from: ApplicationStatus; to: ApplicationStatus; apps: { id: string; number: string }[] }>();
	const step = (from: ApplicationStatus, to: ApplicationStatus, app: { id: string; number: string }) => {
		if (!canTransition(from, to)) throw new IllegalTransition(from, to);
		const key = `${from}>${to}`;
		const entry = steps.get(key) ?? { from, to, apps: [] };
		entry.apps.push(app);
		steps.set(key, entry);
	};
	for (const app of found) {
		if (!FOLLOWS_REVIEW.includes(app.status)) continue;
		const target: ApplicationStatus = app.active === 0 ? 'accepted' : app.submitted === app.active ? 'reviewed' : 'assigned';
		if (target === app.status) continue;
		if (app.status === 'accepted' && target === 'reviewed') {
			step('accepted', 'assigned', app);
			step('assigned', 'reviewed', app);
		} else step(app.status, target, app);
	}
	// accepted → assigned first, so a two-step application is in the right state for its second.
	const ordered = [...steps.values()].sort((a, b) => Number(b.from === 'accepted') - Number(a.from === 'accepted'));
	for (const s of ordered) {
		const ids = s.apps.map((a) => a.id);
		await db
			.update(applications)
			.set({ status: s.to, updatedAt: sql`now()` })
			.where(and(inArray(applications.id, ids), eq(applications.status, s.from)));
		// One by one: each entry is sealed and linked to the one before it.
		for (const a of s.apps) await audit(db, actor, 'application.status', { type: 'application', id: a.id }, { number: a.number, from: s.from, to: s.to });
	}
}
