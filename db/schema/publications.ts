// Publication (公示) of a call's proposed list for an objection period, the written real-name
// objections (异议) lodged against its items and their handling, and the holiday calendar the
// period's working days are counted on. A published list is a snapshot: its rows are frozen at
// publication and the final list is locked like a decision (hash, who, when); triggers in the
// publications-triggers migration refuse any other change, whoever writes the database.
import { check, date, index, integer, jsonb, numeric, pgEnum, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { users } from './auth';
import { calls, fundingMode } from './programs';
import { applications } from './applications';
import { bytea } from './bytea';

/** What a day is in the calendar: a public holiday, or a weekend day worked instead (调休). */
export const calendarDayKind = pgEnum('calendar_day_kind', ['holiday', 'workday']);
/** A list of funded projects, or of accredited entities (high-tech enterprises, incubators). */
export const publicationKind = pgEnum('publication_kind', ['funding', 'accreditation']);
export const publicationPeriodUnit = pgEnum('publication_period_unit', ['workingDays', 'days']);
/** open: in its objection period (or past it, awaiting finalization); final: locked. */
export const publicationStatus = pgEnum('publication_status', ['open', 'final']);
export const objectorKind = pgEnum('objector_kind', ['person', 'organization']);
export const objectionStatus = pgEnum('objection_status', ['received', 'acknowledged', 'upheld', 'dismissed']);

/** Days that break the Monday–Friday rule. Admins edit it; 2026 is seeded by migration. */
export const calendarDays = pgTable('calendar_days', {
	day: date('day').primaryKey(),
	kind: calendarDayKind('kind').notNull(),
	name: text('name').notNull().default(''),
	updatedBy: uuid('updated_by').references(() => users.id),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/** One publication of a call's list, with its period. */
export const publications = pgTable(
	'publications',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		callId: uuid('call_id')
			.notNull()
			.references(() => calls.id),
		kind: publicationKind('kind').notNull().default('funding'),
		title: text('title').notNull(),
		/** What the public reads above the list: whom to write to, how. */
		notice: text('notice').notNull().default(''),
		periodLength: integer('period_length').notNull(),
		periodUnit: publicationPeriodUnit('period_unit').notNull(),
		startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
		/** The first instant after the period (objections are accepted before it). */
		endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
		status: publicationStatus('status').notNull().default('open'),
		publishedBy: uuid('published_by')
			.notNull()
			.references(() => users.id),
		publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
		/** Null when the period ended and the timer finalized it. */
		finalizedBy: uuid('finalized_by').references(() => users.id),
		finalizedAt: timestamp('finalized_at', { withTimezone: true }),
		/** The final list (rows not removed by an upheld objection), canonical. */
		finalList: jsonb('final_list').$type<Record<string, unknown>[]>(),
		/** SHA-256 of the canonical final list. */
		sha256: text('sha256'),
		auditAnchor: text('audit_anchor')
	},
	(t) => [
		index('publications_call_idx').on(t.callId),
		check('publications_period', sql`${t.endsAt} > ${t.startsAt} AND ${t.periodLength} > 0`),
		check('publications_final', sql`(${t.status} = 'final') = (${t.sha256} IS NOT NULL AND ${t.finalizedAt} IS NOT NULL)`)
	]
);

/** One row of a published list, frozen at publication. */
export const publicationRows = pgTable(
	'publication_rows',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		publicationId: uuid('publication_id')
			.notNull()
			.references(() => publications.id),
		position: integer('position').notNull(),
		applicationId: uuid('application_id').references(() => applications.id),
		/** The locked decision the row comes from (meeting_decisions.id), if any. */
		decisionId: uuid('decision_id'),
		/** The human number, e.g. IF2026-0006. */
		label: text('label').notNull(),
		title: text('title').notNull(),
		organization: text('organization').notNull(),
		/** 10k yuan (万元); null for an accreditation. */
		amount: numeric('amount', { precision: 12, scale: 2 }),
		fundingMode: fundingMode('funding_mode'),
		/** 'fund' or 'accredited'. */
		outcome: text('outcome').notNull()
	},
	(t) => [unique('publication_rows_position').on(t.publicationId, t.position), index('publication_rows_application_idx').on(t.applicationId)]
);

/** A written, real-name objection to one row of a publication. */
export const publicationObjections = pgTable(
	'publication_objections',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		publicationId: uuid('publication_id')
			.notNull()
			.references(() => publications.id),
		rowId: uuid('row_id')
			.notNull()
			.references(() => publicationRows.id),
		/** SHA-256 of the receipt code the objector keeps: the code itself is never stored. */
		receiptHash: text('receipt_hash').notNull().unique(),
		kind: objectorKind('kind').notNull(),
		/** A person's name, or an organization's full name. */
		name: text('name').notNull(),
		/** A person's employer; for an organization, empty. */
		organization: text('organization').notNull().default(''),
		title: text('title').notNull().default(''),
		/** An organization's contact person. */
		contactName: text('contact_name').notNull().default(''),
		phone: text('phone').notNull(),
		address: text('address').notNull(),
		grounds: text('grounds').notNull(),
		/** The account it was lodged from (an applicant), or null for the public form/API. */
		userId: uuid('user_id').references(() => users.id),
		ip: text('ip'),
		status: objectionStatus('status').notNull().default('received'),
		acknowledgedBy: uuid('acknowledged_by').references(() => users.id),
		acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
		/** The reason given with the decision: the objector reads it. */
		reason: text('reason'),
		decidedBy: uuid('decided_by').references(() => users.id),
		decidedAt: timestamp('decided_at', { withTimezone: true }),
		/** The meeting decision an upheld objection reopened. */
		reopenedDecisionId: uuid('reopened_decision_id'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('publication_objections_publication_idx').on(t.publicationId, t.status),
		check('publication_objections_decided', sql`(${t.status} IN ('upheld', 'dismissed')) = (${t.decidedAt} IS NOT NULL AND ${t.reason} IS NOT NULL)`)
	]
);

/** A handling note by staff on an objection (investigation). */
export const publicationObjectionNotes = pgTable('publication_objection_notes', {
	id: uuid('id').primaryKey().defaultRandom(),
	objectionId: uuid('objection_id')
		.notNull()
		.references(() => publicationObjections.id),
	authorId: uuid('author_id')
		.notNull()
		.references(() => users.id),
	body: text('body').notNull(),
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
});

/** A file: evidence from the objector (noteId null) or attached to a staff note. */
export const publicationObjectionFiles = pgTable(
	'publication_objection_files',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		objectionId: uuid('objection_id')
			.notNull()
			.references(() => publicationObjections.id),
		noteId: uuid('note_id').references(() => publicationObjectionNotes.id),
		fileName: text('file_name').notNull(),
		contentType: text('content_type').notNull(),
		size: integer('size').notNull(),
		sha256: text('sha256').notNull(),
		data: bytea('data').notNull(),
		uploadedBy: uuid('uploaded_by').references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('publication_objection_files_objection_idx').on(t.objectionId)]
);

/** The nonces of the public form's tokens already spent: a token is good for one objection. */
export const publicationFormNonces = pgTable('publication_form_nonces', {
	nonce: text('nonce').primaryKey(),
	usedAt: timestamp('used_at', { withTimezone: true }).notNull().defaultNow()
});
