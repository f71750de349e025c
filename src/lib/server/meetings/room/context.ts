// What every part of a meeting room works on: the database, the room's state (loaded from the
// database, changed only after a transaction committed) and who is here. The concerns
// (tracker, rounds, ballots, signatures, decisions) are functions of it; MeetingRoom (index.ts)
// composes them.
import type { Db } from '../../db';
import type { RoomState } from '../state';
import type { Presence } from './presence';

export interface Actor {
	userId: string;
	name: string;
	isAdmin: boolean;
	ip?: string | null;
}

export interface RoomContext {
	readonly db: () => Db;
	readonly state: RoomState;
	readonly live: Presence;
	readonly id: string;
}

/** A transaction of the room's database. */
export type RoomTx = Parameters<Parameters<Db['transaction']>[0]>[0];
