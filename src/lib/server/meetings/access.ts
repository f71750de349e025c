// Who may see a meeting and in what capacity. Pages, the room's Socket.IO handlers and the
// notes/minutes documents all ask here.
//   organizers  staff of a division working on the call's program (and admins) schedule the
//               meeting, edit its agenda, and see its overview;
//   members     (chair, secretary, experts, observers) enter the room;
//   admins      may also enter the room without being members, to watch and to reopen.
import { and, eq } from 'drizzle-orm';
import { meetingMembers, meetings } from '$db/schema';
import type { DbOrTx } from '../db';
import type { Principal } from '../auth/principal';
import { managesCall } from '../calls/access';
import type { MeetingRole } from '$lib/meetings/protocol';

export interface MeetingAccess {
	meetingId: string;
	callId: string;
	title: string;
	status: 'scheduled' | 'open' | 'closed';
	/** The principal's role in the meeting, or null when not a member. */
	role: MeetingRole | null;
	/** May schedule and change the meeting (staff of the call's program, admins). */
	organizer: boolean;
	/** May enter the room. */
	mayEnter: boolean;
}

export async function meetingAccess(db: DbOrTx, p: Principal, meetingId: string): Promise<MeetingAccess | null> {
	const [row] = await db
		.select({ id: meetings.id, callId: meetings.callId, title: meetings.title, status: meetings.status, role: meetingMembers.role })
		.from(meetings)
		.leftJoin(meetingMembers, and(eq(meetingMembers.meetingId, meetings.id), eq(meetingMembers.userId, p.user.id)))
		.where(eq(meetings.id, meetingId));
	if (!row) return null;
	const organizer = p.isAdmin || (p.memberships.length > 0 && (await managesCall(db, p, row.callId)));
	const role = row.role ?? null;
	if (!role && !organizer) return null;
	return { meetingId: row.id, callId: row.callId, title: row.title, status: row.status, role, organizer, mayEnter: role !== null || p.isAdmin };
}
