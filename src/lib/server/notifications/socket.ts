// The bell, live: every signed-in socket joins its user's own room (named on the server from
// the session, never from anything the client sends), and hears its unread count when a
// notification for that user commits or when they read some in another tab. Nobody else's
// notifications reach a socket: there is no event a client can send to join another room.
import type { Socket } from 'socket.io';
import { inArray } from 'drizzle-orm';
import { notifications } from '$db/schema';
import { db } from '../db';
import { on } from '../events';
import { logger } from '../log';
import type { RealtimeModule, SocketData } from '../realtime/types';
import type { Principal } from '../auth/principal';
import { UNREAD_EVENT, type UnreadPayload } from '$lib/notifications/kinds';
import { listNotifications, unreadCount } from './index';
import { toInboxItem } from './render';
import type { Locale } from '$lib/paraglide/runtime';

const room = (userId: string) => `notify:${userId}`;

/** Waits until the notifications are visible (their transaction committed); false if never. */
async function committed(ids: string[], timeoutMs = 10_000): Promise<boolean> {
	const until = Date.now() + timeoutMs;
	for (let wait = 20; Date.now() < until; wait = Math.min(wait * 2, 500)) {
		const seen = await db().select({ id: notifications.id }).from(notifications).where(inArray(notifications.id, ids));
		if (seen.length > 0) return true;
		await new Promise((r) => setTimeout(r, wait));
	}
	return false;
}

export const notificationsModule: RealtimeModule<Principal> = {
	name: 'notifications',
	attach(rt) {
		const log = logger().child({ module: 'notifications' });

		async function payload(userId: string, locale: Locale, withLatest: boolean): Promise<UnreadPayload> {
			const unread = await unreadCount(db(), userId);
			if (!withLatest) return { unread };
			const { rows } = await listNotifications(db(), userId, { limit: 1, offset: 0 });
			return { unread, latest: rows[0] ? toInboxItem(rows[0], locale) : undefined };
		}

		/** Sends each of the user's sockets (on any node) its count, in its own language. */
		async function tell(userId: string, withLatest: boolean): Promise<void> {
			const sockets = await rt.io.in(room(userId)).fetchSockets();
			const byLocale = new Map<Locale, UnreadPayload>();
			for (const s of sockets) {
				const data = s.data as SocketData<Principal>;
				// The room is the user's; checking again costs nothing and guards a mix-up.
				if (data.principal?.user.id !== userId) continue;
				let p = byLocale.get(data.locale);
				if (!p) byLocale.set(data.locale, (p = await payload(userId, data.locale, withLatest)));
				s.emit(UNREAD_EVENT, p);
			}
		}

		rt.io.on('connection', (socket: Socket) => {
			const data: SocketData<Principal> = socket.data;
			const userId = data.principal.user.id;
			void socket.join(room(userId));
			payload(userId, data.locale, false)
				.then((p) => socket.emit(UNREAD_EVENT, p))
				.catch((err) => log.warn({ err }, 'unread count failed'));
		});

		const offCreated = on('notifications.created', ({ ids, userIds }) => {
			void (async () => {
				if (!(await committed(ids))) return;
				for (const u of userIds) await tell(u, true);
			})().catch((err) => log.warn({ err }, 'notification push failed'));
		});
		const offRead = on('notifications.read', ({ userId }) => {
			tell(userId, false).catch((err) => log.warn({ err }, 'unread push failed'));
		});
		return () => {
			offCreated();
			offRead();
		};
	}
};
