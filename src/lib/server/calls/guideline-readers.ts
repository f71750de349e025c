// Who reads a call's guideline besides the program's divisions: the guideline of a published
// call (open, or closed after it was open) is what applicants apply against and what the
// call's experts review against, so a signed-in applicant, and an expert reviewing the call (an
// active assignment) or sitting on one of its meetings, may read it. Read only: the documents
// domain turns a grant into 'view', never comment or edit. A draft call's guideline is the
// division's draft and stays theirs.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { assignments, calls, meetingMembers, meetings } from '$db/schema';
import { roles } from '../auth/principal';
import { registerReadGrant, type ReadGrant } from '../documents/access';

/** Call statuses in which the guideline has been published. */
const PUBLISHED = ['open', 'closed'] as const;

export const guidelineReaders: ReadGrant = async ({ db, principal, document }) => {
	if (document.kind !== 'guideline') return false;
	const applicant = roles.isApplicant(principal);
	if (!applicant && !roles.isExpert(principal)) return false;
	const linked = await db
		.select({ id: calls.id })
		.from(calls)
		.where(and(eq(calls.guidelineDocumentId, document.id), inArray(calls.status, [...PUBLISHED])));
	if (linked.length === 0) return false;
	if (applicant) return true;
	const callIds = linked.map((c) => c.id);
	const [assigned] = await db
		.select({ one: sql`1` })
		.from(assignments)
		.where(and(inArray(assignments.callId, callIds), eq(assignments.expertId, principal.expertId!), eq(assignments.status, 'active')))
		.limit(1);
	if (assigned) return true;
	const [member] = await db
		.select({ one: sql`1` })
		.from(meetingMembers)
		.innerJoin(meetings, eq(meetings.id, meetingMembers.meetingId))
		.where(and(inArray(meetings.callId, callIds), eq(meetingMembers.userId, principal.user.id)))
		.limit(1);
	return !!member;
};

/** Registers the grant with the documents domain (idempotent: replaced by name). */
export function registerGuidelineReaders(): () => void {
	return registerReadGrant('calls.guideline', guidelineReaders);
}
