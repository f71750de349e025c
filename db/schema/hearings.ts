// Hearings (答辩): an agenda item of a panel meeting at which the applicant defends the project
// in the room (DOMAIN.md: identity check, at most 12 minutes of presentation, then questions;
// at most 3 people per project, who see nothing of other projects). The item's hearing
// settings, the experts' questions submitted before the meeting, and the applicant's
// representatives with their identity check. Self-contained: only references other tables.
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { meetingItems, meetings } from './meetings';

/** pending: not begun; presentation: the applicant presents; questions: the panel asks; ended. */
export const hearingPhase = pgEnum('hearing_phase', ['pending', 'presentation', 'questions', 'ended']);
/** How the secretary checked a representative's identity: an ID document seen, or in person. */
export const hearingCheckMethod = pgEnum('hearing_check_method', ['document', 'confirmed']);

/** The hearing of one agenda item, with its time box and what the applicant may see. */
export const hearings = pgTable(
	'hearings',
	{
		itemId: uuid('item_id')
			.primaryKey()
			.references(() => meetingItems.id, { onDelete: 'cascade' }),
		meetingId: uuid('meeting_id')
			.notNull()
			.references(() => meetings.id, { onDelete: 'cascade' }),
		/** When the applicant is invited to be at the room (the hearing invitation's time). */
		scheduledAt: timestamp('scheduled_at', { withTimezone: true }).notNull(),
		presentationMinutes: integer('presentation_minutes').notNull().default(12),
		questionMinutes: integer('question_minutes').notNull().default(13),
		maxRepresentatives: integer('max_representatives').notNull().default(3),
		/** The applicant sees the experts' questions without their authors (the default). */
		anonymousQuestions: boolean('anonymous_questions').notNull().default(true),
		/** The applicant may see who sits on the panel (not by default). */
		showMembers: boolean('show_members').notNull().default(false),
		phase: hearingPhase('phase').notNull().default('pending'),
		presentationStartedAt: timestamp('presentation_started_at', { withTimezone: true }),
		questionsStartedAt: timestamp('questions_started_at', { withTimezone: true }),
		endedAt: timestamp('ended_at', { withTimezone: true }),
		invitedBy: uuid('invited_by').references(() => users.id),
		invitedAt: timestamp('invited_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('hearings_meeting_idx').on(t.meetingId),
		check('hearings_minutes', sql`${t.presentationMinutes} BETWEEN 1 AND 60 AND ${t.questionMinutes} BETWEEN 1 AND 60`),
		check('hearings_representatives', sql`${t.maxRepresentatives} BETWEEN 1 AND 10`)
	]
);

/** An expert's question for the applicant, submitted before the meeting. */
export const hearingQuestions = pgTable(
	'hearing_questions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		itemId: uuid('item_id')
			.notNull()
			.references(() => hearings.itemId, { onDelete: 'cascade' }),
		authorId: uuid('author_id')
			.notNull()
			.references(() => users.id),
		body: text('body').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('hearing_questions_item_idx').on(t.itemId)]
);

/**
 * A person the applicant sends to the hearing (at most the hearing's maximum). They join with
 * the enterprise's account once the secretary has checked their identity in.
 */
export const hearingRepresentatives = pgTable(
	'hearing_representatives',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		itemId: uuid('item_id')
			.notNull()
			.references(() => hearings.itemId, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		/** Their position in the enterprise (总经理, 技术负责人, ...). */
		position: text('position').notNull().default(''),
		addedBy: uuid('added_by').references(() => users.id),
		addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
		checkMethod: hearingCheckMethod('check_method'),
		/** The ID document's kind (居民身份证, 护照, ...) and its last four characters. */
		idType: text('id_type'),
		idLast4: text('id_last4'),
		checkedInBy: uuid('checked_in_by').references(() => users.id),
		checkedInAt: timestamp('checked_in_at', { withTimezone: true })
	},
	(t) => [
		index('hearing_representatives_item_idx').on(t.itemId),
		check('hearing_representatives_checked', sql`(${t.checkedInAt} IS NULL) = (${t.checkedInBy} IS NULL) AND (${t.checkedInAt} IS NULL) = (${t.checkMethod} IS NULL)`),
		check('hearing_representatives_document', sql`${t.checkMethod} IS DISTINCT FROM 'document' OR (${t.idType} IS NOT NULL AND ${t.idLast4} ~ '^[0-9A-Za-z]{4}$')`)
	]
);
