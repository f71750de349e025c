// Who is in a meeting room right now, by tab: the only state of the room that lives in memory
// (it is rebuilt by people joining again after a restart). A person is present while any tab
// of theirs is visible, away while all are hidden, dropped when their last tab lost its
// connection without leaving.
import type { Presence as PresenceState } from '$lib/meetings/protocol';
import type { RoomState } from '../state';
import type { LivePresence } from '../view';
import { RoomError } from './errors';

interface Tab {
	viewing: string | null;
	away: boolean;
	at: number;
}

export class Presence implements LivePresence {
	/** userId → socket id → tab. */
	private readonly tabsByUser = new Map<string, Map<string, Tab>>();
	/** Members who were here and dropped without leaving. */
	private readonly dropped = new Set<string>();
	/** Non-members in the room now (admins watching), with what to show of them. */
	private readonly guestNames = new Map<string, { name: string; color: string }>();

	constructor(private readonly state: RoomState) {}

	presence(userId: string): PresenceState {
		const tabs = this.tabsByUser.get(userId);
		if (tabs && tabs.size) return [...tabs.values()].some((t) => !t.away) ? 'present' : 'away';
		return this.dropped.has(userId) ? 'dropped' : 'absent';
	}

	/** Present or away: here, and counting towards quorum. */
	isHere(userId: string): boolean {
		const p = this.presence(userId);
		return p === 'present' || p === 'away';
	}

	viewing(userId: string): string | null {
		const tabs = this.tabsByUser.get(userId);
		if (!tabs || tabs.size === 0) return null;
		let best: Tab | null = null;
		for (const t of tabs.values()) if (!best || (!t.away && best.away) || (t.away === best.away && t.at > best.at)) best = t;
		return best!.viewing;
	}

	tabs(userId: string): number {
		return this.tabsByUser.get(userId)?.size ?? 0;
	}

	/** People with a tab open. */
	users(): string[] {
		return [...this.tabsByUser.keys()];
	}

	/** Sockets in the room right now. */
	get connections(): number {
		let n = 0;
		for (const t of this.tabsByUser.values()) n += t.size;
		return n;
	}

	guests(): { userId: string; name: string; color: string }[] {
		return [...this.guestNames].filter(([id]) => this.tabs(id) > 0 && !this.state.members.has(id)).map(([userId, g]) => ({ userId, ...g }));
	}

	join(userId: string, socketId: string, guest?: { name: string; color: string }): void {
		if (guest) this.guestNames.set(userId, guest);
		let tabs = this.tabsByUser.get(userId);
		if (!tabs) this.tabsByUser.set(userId, (tabs = new Map()));
		tabs.set(socketId, tabs.get(socketId) ?? { viewing: this.state.meeting.currentItemId, away: false, at: Date.now() });
		this.dropped.delete(userId);
	}

	/** A tab left: on purpose (leave) or because its connection dropped. */
	part(userId: string, socketId: string, dropped: boolean): boolean {
		const tabs = this.tabsByUser.get(userId);
		if (!tabs?.delete(socketId)) return false;
		if (tabs.size === 0) {
			this.tabsByUser.delete(userId);
			if (dropped) this.dropped.add(userId);
		}
		return true;
	}

	setTab(userId: string, socketId: string, change: Partial<Pick<Tab, 'viewing' | 'away'>>): boolean {
		const tab = this.tabsByUser.get(userId)?.get(socketId);
		if (!tab) return false;
		if (change.viewing !== undefined) {
			if (change.viewing !== null && !this.state.items.some((i) => i.id === change.viewing)) throw new RoomError('notFound');
			tab.viewing = change.viewing;
		}
		if (change.away !== undefined) tab.away = change.away;
		tab.at = Date.now();
		return true;
	}

	hasTab(userId: string, socketId: string): boolean {
		return this.tabsByUser.get(userId)?.has(socketId) ?? false;
	}
}
