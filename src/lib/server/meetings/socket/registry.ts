// The meeting rooms of this process, loaded on first use and unloaded a while after the last
// person left. A room belongs to one process (see the README's scale-out note).
import type { Db } from '../../db';
import { MeetingRoom } from '../room';

/** An empty room stays in memory this long before it is unloaded. */
const IDLE_MS = 60_000;

export class MeetingRooms {
	private readonly rooms = new Map<string, Promise<MeetingRoom | null>>();
	private readonly idle = new Map<string, NodeJS.Timeout>();

	constructor(private readonly db: () => Db) {}

	get(meetingId: string): Promise<MeetingRoom | null> {
		let room = this.rooms.get(meetingId);
		if (!room) {
			room = MeetingRoom.load(this.db, meetingId);
			this.rooms.set(meetingId, room);
			// A failed load is not remembered: the next join tries again.
			room.catch(() => this.rooms.delete(meetingId));
		}
		return room;
	}

	/** The room if it is loaded already: never loads (disconnects after a shutdown must not). */
	peek(meetingId: string): Promise<MeetingRoom | null> {
		return this.rooms.get(meetingId)?.catch(() => null) ?? Promise.resolve(null);
	}

	loaded(): Promise<MeetingRoom | null>[] {
		return [...this.rooms.values()];
	}

	/** Reloads a loaded room's state from the database (its schedule changed), keeping presence. */
	async reload(meetingId: string): Promise<MeetingRoom | null> {
		const current = await this.rooms.get(meetingId)?.catch(() => null);
		if (!current) return null;
		await current.exclusive(async () => {
			const fresh = await MeetingRoom.load(this.db, meetingId);
			if (fresh) Object.assign(current.state, fresh.state);
		});
		return current;
	}

	watchIdle(room: MeetingRoom): void {
		clearTimeout(this.idle.get(room.id));
		this.idle.delete(room.id);
		if (room.live.connections > 0) return;
		this.idle.set(
			room.id,
			setTimeout(() => {
				this.idle.delete(room.id);
				if (room.live.connections === 0) this.rooms.delete(room.id);
			}, IDLE_MS).unref()
		);
	}

	clear(): void {
		for (const t of this.idle.values()) clearTimeout(t);
		this.idle.clear();
		this.rooms.clear();
	}
}
