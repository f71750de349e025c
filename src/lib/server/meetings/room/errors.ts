// Why the room refused an action, as data: a code and, for the codes that have any, the
// numbers the message needs. The socket layer translates it (socket/messages.ts); nothing in
// the room builds or parses a message.
import type { ErrorCode } from '$lib/meetings/protocol';

/** What is wrong with a submitted score sheet (the first problem found). */
export type SheetProblemDetail = { problem: 'missing'; missing: number } | { problem: 'deduction' } | { problem: 'veto' } | { problem: 'bad' };

/** Codes that carry details. */
type Detailed = 'noQuorum' | 'overCeiling' | 'incomplete';
export type PlainCode = Exclude<ErrorCode, Detailed>;

export type Refusal =
	| { code: PlainCode }
	| { code: 'noQuorum'; present: number; required: number }
	| { code: 'overCeiling'; ceiling: number }
	| ({ code: 'incomplete' } & SheetProblemDetail);

/**
 * Thrown by the room's actions: inside a transaction it rolls the transaction back, and the
 * socket layer answers the event with the refusal.
 */
export class RoomError extends Error {
	readonly refusal: Refusal;
	constructor(refusal: Refusal | PlainCode) {
		const r: Refusal = typeof refusal === 'string' ? { code: refusal } : refusal;
		super(r.code);
		this.refusal = r;
	}

	get code(): ErrorCode {
		return this.refusal.code;
	}
}
