// The realtime modules start-up attaches, in order. A new domain with a realtime part adds
// its module here (see ARCHITECTURE.md).
import type { RealtimeModule } from '../realtime';
import type { Principal } from '../auth/principal';
import { on } from '../events';
import { db } from '../db';
import { documentCollabModule } from '../documents/collab';
import { meetingsModule } from '../meetings/socket';
import { notificationsModule } from '../notifications/socket';
import { hearingsModule } from '../meetings/hearings/socket';

/** A revoked session (sign-out everywhere, deactivation, password reset) ends its sockets. */
const revokedSessions: RealtimeModule<Principal> = {
	name: 'sessions',
	attach: (rt) =>
		on('sessions.revoked', ({ userId, exceptSessionId }) => rt.disconnect((p) => p.user.id === userId && p.sessionId !== exceptSessionId))
};

export function realtimeModules(): RealtimeModule<Principal>[] {
	return [revokedSessions, documentCollabModule(db), meetingsModule, notificationsModule, hearingsModule];
}
