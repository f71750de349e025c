// Panel meetings (评审会): a call's meeting with its chair, secretary, members and agenda, and
// everything the room records: scoring rounds, scores, secret ballots, signatures and the
// locked decisions. Presence is not stored (it is live state); everything that matters is
// written here before anyone is told about it.
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, numeric, pgEnum, pgTable, primaryKey, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { stamps, users } from './auth';
import { applications } from './applications';
import { calls, fundingMode } from './programs';
import type { ReviewVeto } from './reviews';

/** scheduled: being prepared; open: in session; closed: ended (minutes drafted). */
export const meetingStatus = pgEnum('meeting_status', ['scheduled', 'open', 'closed']);
/** chair and expert members score and vote; the secretary and observers do neither. */
export const meetingRole = pgEnum('meeting_role', ['chair', 'secretary', 'expert', 'observer']);
export const decisionOutcome = pgEnum('decision_outcome', ['fund', 'decline', 'defer']);
export const ballotChoice = pgEnum('ballot_choice', ['fund', 'decline', 'abstain']);
export const signatureKind = pgEnum('signature_kind', ['sheet', 'summary']);

export const meetings = pgTable(
	'meetings',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		callId: uuid('call_id')
			.notNull()
			.references(() => calls.id),
		title: text('title').notNull(),
		startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
		/** A room, or empty. */
		place: text('place').notNull().default(''),
		/** A video-conference link, or empty. */
		videoLink: text('video_link').notNull().default(''),
		status: meetingStatus('status').notNull().default('scheduled'),
		/** Share of the voting members who must be present to decide (default two thirds). */
		quorum: numeric('quorum', { precision: 4, scale: 3 }).notNull().default('0.667'),
		/** Share of the votes cast a ballot needs to carry (default two thirds). */
		ballotThreshold: numeric('ballot_threshold', { precision: 4, scale: 3 }).notNull().default('0.667'),
		/** The agenda item the chair has the room on (null before the start and after the close). */
		currentItemId: uuid('current_item_id'),
		startedAt: timestamp('started_at', { withTimezone: true }),
		closedAt: timestamp('closed_at', { withTimezone: true }),
		/** The minutes document drafted at the close. */
		minutesDocumentId: uuid('minutes_document_id'),
		createdBy: uuid('created_by').references(() => users.id),
		...stamps
	},
	(t) => [index('meetings_call_idx').on(t.callId)]
);

/** A person in the meeting and their role; one chair and one secretary per meeting. */
export const meetingMembers = pgTable(
	'meeting_members',
	{
		meetingId: uuid('meeting_id')
			.notNull()
			.references(() => meetings.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id),
		role: meetingRole('role').notNull()
	},
	(t) => [primaryKey({ columns: [t.meetingId, t.userId] }), index('meeting_members_user_idx').on(t.userId)]
);

/** One application on the agenda, in order, with its time box and its room state. */
export const meetingItems = pgTable(
	'meeting_items',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		meetingId: uuid('meeting_id')
			.notNull()
			.references(() => meetings.id, { onDelete: 'cascade' }),
		applicationId: uuid('application_id')
			.notNull()
			.references(() => applications.id),
		position: integer('position').notNull(),
		timeboxMinutes: integer('timebox_minutes').notNull().default(20),
		/** When the chair first brought the room to this item: the time box counts from here. */
		startedAt: timestamp('started_at', { withTimezone: true }),
		/** The scoring round in progress (1, 2, ...). */
		round: integer('round').notNull().default(1),
		/** The shared notes document of this item, created when the meeting starts. */
		notesDocumentId: uuid('notes_document_id'),
		/** The chair's summary of the panel's view, which every member confirms. */
		summary: text('summary').notNull().default(''),
		summaryAt: timestamp('summary_at', { withTimezone: true })
	},
	(t) => [unique('meeting_items_application').on(t.meetingId, t.applicationId), index('meeting_items_meeting_idx').on(t.meetingId, t.position)]
);

/** A scoring round of an item; revealed once, by the chair or when all present members submitted. */
export const meetingRounds = pgTable(
	'meeting_rounds',
	{
		itemId: uuid('item_id')
			.notNull()
			.references(() => meetingItems.id, { onDelete: 'cascade' }),
		round: integer('round').notNull(),
		openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
		revealedAt: timestamp('revealed_at', { withTimezone: true }),
		revealedBy: uuid('revealed_by').references(() => users.id)
	},
	(t) => [primaryKey({ columns: [t.itemId, t.round] })]
);

/** One member's score sheet in one round. Resubmitting before the reveal replaces it. */
export const meetingScores = pgTable(
	'meeting_scores',
	{
		itemId: uuid('item_id')
			.notNull()
			.references(() => meetingItems.id, { onDelete: 'cascade' }),
		round: integer('round').notNull(),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id),
		/** rubric_items.id → score 0–100. */
		scores: jsonb('scores').$type<Record<string, number>>().notNull().default({}),
		deductions: jsonb('deductions').$type<Record<string, number>>().notNull().default({}),
		veto: jsonb('veto').$type<ReviewVeto | null>(),
		/** Weighted total computed by the server; null when vetoed. */
		total: numeric('total', { precision: 6, scale: 2 }),
		opinion: text('opinion').notNull().default(''),
		submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.itemId, t.round, t.userId] })]
);

/**
 * A secret ballot (无记名投票) on an item. Who voted is in meeting_ballot_voters; how they voted
 * exists only as these counts, so no one (not even with the database) can tell one vote.
 */
export const meetingBallots = pgTable('meeting_ballots', {
	id: uuid('id').primaryKey().defaultRandom(),
	itemId: uuid('item_id')
		.notNull()
		.references(() => meetingItems.id, { onDelete: 'cascade' }),
	threshold: numeric('threshold', { precision: 4, scale: 3 }).notNull(),
	/** How many voting members were eligible (present, not recused) when it opened. */
	eligible: integer('eligible').notNull(),
	fund: integer('fund').notNull().default(0),
	decline: integer('decline').notNull().default(0),
	abstain: integer('abstain').notNull().default(0),
	openedBy: uuid('opened_by').references(() => users.id),
	openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
	closedAt: timestamp('closed_at', { withTimezone: true })
});

export const meetingBallotVoters = pgTable(
	'meeting_ballot_voters',
	{
		ballotId: uuid('ballot_id')
			.notNull()
			.references(() => meetingBallots.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id)
	},
	(t) => [primaryKey({ columns: [t.ballotId, t.userId] })]
);

/** A member's signature: of their final score sheet, or of the chair's summary (with any dissent). */
export const meetingSignatures = pgTable(
	'meeting_signatures',
	{
		itemId: uuid('item_id')
			.notNull()
			.references(() => meetingItems.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id),
		kind: signatureKind('kind').notNull(),
		/** The round signed (sheet) — the sheet signed is that round's score. */
		round: integer('round'),
		dissent: text('dissent').notNull().default(''),
		signedAt: timestamp('signed_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.itemId, t.userId, t.kind] })]
);

/**
 * A locked decision. Rows are only ever inserted, locked: a trigger refuses UPDATE and DELETE.
 * An admin's reopen is a row in meeting_decision_reopens; the next lock is a new version.
 */
export const meetingDecisions = pgTable(
	'meeting_decisions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		itemId: uuid('item_id')
			.notNull()
			.references(() => meetingItems.id),
		applicationId: uuid('application_id')
			.notNull()
			.references(() => applications.id),
		version: integer('version').notNull(),
		outcome: decisionOutcome('outcome').notNull(),
		/** In 10k yuan (万元); only for 'fund'. */
		amount: numeric('amount', { precision: 12, scale: 2 }),
		fundingMode: fundingMode('funding_mode'),
		rationale: text('rationale').notNull(),
		/** What the panel saw when it decided: final round, aggregate, ballot counts. */
		basis: jsonb('basis').$type<Record<string, unknown>>().notNull().default({}),
		lockedBy: uuid('locked_by')
			.notNull()
			.references(() => users.id),
		lockedAt: timestamp('locked_at', { withTimezone: true }).notNull().defaultNow(),
		/** SHA-256 of the decision's canonical JSON, for audits years later. */
		sha256: text('sha256').notNull(),
		/** The audit chain's head when the decision was locked (`#seq seal`), printed on its record. */
		auditAnchor: text('audit_anchor')
	},
	(t) => [
		unique('meeting_decisions_version').on(t.itemId, t.version),
		check('meeting_decisions_amount', sql`(${t.outcome} = 'fund') = (${t.amount} IS NOT NULL)`)
	]
);

/** An admin's reopening of a locked decision, with the reason. The decision row stays. */
export const meetingDecisionReopens = pgTable('meeting_decision_reopens', {
	decisionId: uuid('decision_id')
		.primaryKey()
		.references(() => meetingDecisions.id),
	reason: text('reason').notNull(),
	reopenedBy: uuid('reopened_by')
		.notNull()
		.references(() => users.id),
	reopenedAt: timestamp('reopened_at', { withTimezone: true }).notNull().defaultNow()
});

/** Who attended: the first and last time each member was in the room while it was open. */
export const meetingAttendance = pgTable(
	'meeting_attendance',
	{
		meetingId: uuid('meeting_id')
			.notNull()
			.references(() => meetings.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id),
		firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
		lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.meetingId, t.userId] })]
);

/**
 * A member's recusal (回避) from an application on a meeting's agenda, established when a
 * conflict made them recused (at scheduling, at the start, as the room reaches the item, or
 * declared during the meeting). It stays in force for the meeting whatever later happens to
 * the conflict (an institution changed, a declaration withdrawn) until the secretary or an
 * admin lifts it with a written reason. Keyed by application, not agenda item, so taking an
 * item off the agenda and putting it back keeps it.
 */
export const meetingRecusals = pgTable(
	'meeting_recusals',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		meetingId: uuid('meeting_id')
			.notNull()
			.references(() => meetings.id, { onDelete: 'cascade' }),
		applicationId: uuid('application_id')
			.notNull()
			.references(() => applications.id),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id),
		/** What made them recused: institution, declared or recorded. */
		source: text('source').notNull(),
		reason: text('reason').notNull(),
		establishedAt: timestamp('established_at', { withTimezone: true }).notNull().defaultNow(),
		liftedAt: timestamp('lifted_at', { withTimezone: true }),
		liftedBy: uuid('lifted_by').references(() => users.id),
		liftReason: text('lift_reason')
	},
	(t) => [
		index('meeting_recusals_meeting_idx').on(t.meetingId, t.userId),
		uniqueIndex('meeting_recusals_in_force').on(t.meetingId, t.applicationId, t.userId).where(sql`${t.liftedAt} IS NULL`),
		check('meeting_recusals_lift', sql`(${t.liftedAt} IS NULL) = (${t.liftReason} IS NULL)`)
	]
);

/**
 * The minutes' addenda waiting to be written (an outbox). A change after the meeting closed is
 * recorded here in the same transaction as the change, then appended to the minutes; a crash
 * in between leaves the row pending and start-up writes it, so the minutes never silently miss
 * a reopen or a new decision.
 */
export const meetingMinutesAddenda = pgTable(
	'meeting_minutes_addenda',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		meetingId: uuid('meeting_id')
			.notNull()
			.references(() => meetings.id),
		decisionId: uuid('decision_id')
			.notNull()
			.references(() => meetingDecisions.id),
		kind: text('kind', { enum: ['reopened', 'decided'] }).notNull(),
		/** The blocks to append, rendered when the change was made (what it said then). */
		blocks: jsonb('blocks').$type<unknown[]>().notNull(),
		/** Who made the change (the addendum document, if one is needed, is created in their name). */
		createdBy: uuid('created_by')
			.notNull()
			.references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		appliedAt: timestamp('applied_at', { withTimezone: true }),
		/** The minutes document it went into (the minutes, or their addendum document once locked). */
		documentId: uuid('document_id')
	},
	(t) => [unique('meeting_minutes_addenda_once').on(t.decisionId, t.kind), index('meeting_minutes_addenda_pending').on(t.meetingId, t.appliedAt)]
);
