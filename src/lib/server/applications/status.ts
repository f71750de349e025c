// The life of an application as a state machine. The same table is kept by the database
// (db/migrations/0004_intake_rules.sql), so no writer can take a step this refuses; every
// step taken here is an audit entry.
import { and, eq, sql } from 'drizzle-orm';
import { applications } from '$db/schema';
import type { DbOrTx } from '../db';
import { audit, type AuditActor } from '../audit';

import type { ApplicationStatus } from '$lib/values';

export type { ApplicationStatus };

export const TRANSITIONS: Record<ApplicationStatus, readonly ApplicationStatus[]> = {
	draft: ['submitted', 'withdrawn'],
	submitted: ['accepted', 'rejected', 'withdrawn'],
	accepted: ['assigned', 'decided', 'withdrawn'],
	assigned: ['accepted', 'reviewed', 'decided', 'withdrawn'],
	reviewed: ['assigned', 'accepted', 'decided'],
	// The meeting's locked decision; an admin's reopen restores the status before it.
	decided: ['accepted', 'assigned', 'reviewed'],
	rejected: [],
	withdrawn: []
};

export function canTransition(from: ApplicationStatus, to: ApplicationStatus): boolean {
	return TRANSITIONS[from]?.includes(to) ?? false;
}

export class IllegalTransition extends Error {
	constructor(
		readonly from: ApplicationStatus,
		readonly to: ApplicationStatus
	) {
		super(`application status ${from} -> ${to} is not allowed`);
	}
}

/** Raised when the application moved on meanwhile (someone else acted first). */
export class StaleStatus extends Error {
	constructor(readonly expected: ApplicationStatus) {
		super(`application is no longer ${expected}`);
	}
}

export interface TransitionOptions {
	/** Columns set together with the status (rejection reason, submission time). */
	set?: Partial<Pick<typeof applications.$inferInsert, 'rejectionReason' | 'submittedAt'>>;
	details?: Record<string, unknown>;
}

/**
 * Moves an application from `from` to `to`, refusing illegal steps and steps from a status it
 * no longer has, and writes the audit entry in the same transaction.
 */
export async function transition(
	tx: DbOrTx,
	actor: AuditActor | null,
	app: { id: string; number: string; status: ApplicationStatus },
	to: ApplicationStatus,
	options: TransitionOptions = {}
): Promise<void> {
	if (!canTransition(app.status, to)) throw new IllegalTransition(app.status, to);
	const updated = await tx
		.update(applications)
		.set({ status: to, ...options.set, updatedAt: sql`now()` })
		.where(and(eq(applications.id, app.id), eq(applications.status, app.status)))
		.returning({ id: applications.id });
	if (updated.length === 0) throw new StaleStatus(app.status);
	await audit(tx, actor, 'application.status', { type: 'application', id: app.id }, { number: app.number, from: app.status, to, ...options.details });
}
