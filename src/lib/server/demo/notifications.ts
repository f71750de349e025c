// Demo notifications, from the seeded state (run last): expert1's assignments made (the
// matching already told them; the dedupe key keeps this to one each), a staff reminder of
// expert1's unfinished sheets from the intake desk, and applicant1 told of intake's outcome
// of their application, if it has one (the demo keeps applicant1's own application a draft).
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
		const [expert] = await tx
			.select({ id: s.experts.id, userId: s.experts.userId })
			.from(s.experts)
			.innerJoin(s.users, eq(s.users.id, s.experts.userId))
			.where(eq(s.users.username, 'expert1'));
		if (expert?.userId) {
			const mine = await tx
				.select({ id: s.assignments.id, callId: s.assignments.callId, status: s.reviews.status })
				.from(s.assignments)
				.leftJoin(s.reviews, eq(s.reviews.assignmentId, s.assignments.id))
				.where(and(eq(s.assignments.expertId, expert.id), eq(s.assignments.status, 'active')));
			await tellAssignmentsMade(
				tx,
				mine.map((a) => a.id)
			);
			const open = mine.filter((a) => a.status !== 'submitted');
			const [intake] = await tx.select({ id: s.users.id, name: s.users.name }).from(s.users).where(eq(s.users.username, 'intake'));
			if (open.length && intake) {
				const [call] = await tx.select().from(s.calls).where(eq(s.calls.id, open[0].callId));
				const { day } = beijing(new Date());
				await tx.insert(s.reviewReminders).values({ expertUserId: expert.userId, callId: call.id, day, sentBy: intake.id }).onConflictDoNothing();
				await notify(tx, {
					userIds: [expert.userId],
					kind: 'review_reminder',
					params: { callTitle: call.title, callTitleEn: call.titleEn, pending: open.length, deadline: call.reviewDeadline?.toISOString() ?? null, from: intake.name },
					link: '/reviews',
					dedupeKey: `review_reminder:${call.id}:${day}`
				});
			}
		}
		const apps = await tx
			.select({ id: s.applications.id, status: s.applications.status, reason: s.applications.rejectionReason })
			.from(s.applications)
			.innerJoin(s.enterprises, eq(s.enterprises.id, s.applications.enterpriseId))
			.innerJoin(s.users, eq(s.users.id, s.enterprises.userId))
			.where(and(eq(s.users.username, 'applicant1'), inArray(s.applications.status, ['accepted', 'assigned', 'reviewed', 'decided', 'rejected'])));
		for (const a of apps) await tellIntakeOutcome(tx, a.id, a.status === 'rejected' ? 'rejected' : 'accepted', a.reason ?? '');
	}
};
