// Demo notifications, from the seeded state (run last). The earlier steps already told people
// through the domains (expert1: the assignment made by the matching, the demo meeting
// scheduled); this step adds the intake desk's one-click reminder to every reviewer with an
// unfinished sheet, and tells applicant1 of intake's outcome once their application has one
// (the demo keeps applicant1's own application a draft, which other tests rely on).
import { and, eq, inArray } from 'drizzle-orm';
import * as s from '$db/schema';
import type { SeedStep } from './step';
import { notify } from '../notifications';
import { tellAssignmentsMade, tellIntakeOutcome } from '../notifications/tell';
import { beijing } from '../notifications/mail';

export const notificationsStep: SeedStep = {
	name: 'notifications',
	async done(tx) {
		const [row] = await tx.select({ id: s.notifications.id }).from(s.notifications).where(eq(s.notifications.kind, 'review_reminder')).limit(1);
		return !!row;
	},
	async run(tx) {
		const [intake] = await tx.select({ id: s.users.id, name: s.users.name }).from(s.users).where(eq(s.users.username, 'intake'));
		const [call] = await tx.select().from(s.calls).where(eq(s.calls.code, 'IF2026'));
		if (!intake || !call) return;
		// Everyone assigned has been told (the matching did it; the dedupe key keeps it once).
		const active = await tx
			.select({ id: s.assignments.id, userId: s.experts.userId, status: s.reviews.status })
			.from(s.assignments)
			.innerJoin(s.experts, eq(s.experts.id, s.assignments.expertId))
			.leftJoin(s.reviews, eq(s.reviews.assignmentId, s.assignments.id))
			.where(and(eq(s.assignments.callId, call.id), eq(s.assignments.status, 'active')));
		await tellAssignmentsMade(
			tx,
			active.map((a) => a.id)
		);
		// The intake desk pressed "remind" for every reviewer with an unfinished sheet.
		const open = new Map<string, number>();
		for (const a of active) if (a.userId && a.status !== 'submitted') open.set(a.userId, (open.get(a.userId) ?? 0) + 1);
		const { day } = beijing(new Date());
		for (const [userId, pending] of open) {
			await tx.insert(s.reviewReminders).values({ expertUserId: userId, callId: call.id, day, sentBy: intake.id }).onConflictDoNothing();
			await notify(tx, {
				userIds: [userId],
				kind: 'review_reminder',
				params: { callTitle: call.title, callTitleEn: call.titleEn, pending, deadline: call.reviewDeadline?.toISOString() ?? null, from: intake.name },
				link: '/reviews',
				dedupeKey: `review_reminder:${call.id}:${day}`
			});
		}
		// applicant1 is told of intake's outcome, once their application has one.
		const apps = await tx
			.select({ id: s.applications.id, status: s.applications.status, reason: s.applications.rejectionReason })
			.from(s.applications)
			.innerJoin(s.enterprises, eq(s.enterprises.id, s.applications.enterpriseId))
			.innerJoin(s.users, eq(s.users.id, s.enterprises.userId))
			.where(and(eq(s.users.username, 'applicant1'), inArray(s.applications.status, ['accepted', 'assigned', 'reviewed', 'decided', 'rejected'])));
		for (const a of apps) await tellIntakeOutcome(tx, a.id, a.status === 'rejected' ? 'rejected' : 'accepted', a.reason ?? '');
	}
};
