// Shared documents (plans, guidelines, minutes, notes): the document and its owner, the Yjs
// updates that make up its content (appended, then compacted into a snapshot), named and
// automatic versions, the lock that finalizes it, comments anchored to its text, and the
// people it is shared with. The collaboration server (src/lib/server/collab/) writes the
// updates; the documents domain (src/lib/server/documents/) everything else. Triggers in the
// documents_lock migration make a locked document's content immutable in the database itself.
import { sql } from 'drizzle-orm';
import {
	bigint,
	check,
	index,
	integer,
	pgEnum,
	pgTable,
	primaryKey,
	text,
	timestamp,
	unique,
	uuid,
	type AnyPgColumn
} from 'drizzle-orm/pg-core';
import { users } from './auth';
import { bytea } from './bytea';
import { divisions } from './org';
import { programs } from './programs';

export const documentKind = pgEnum('document_kind', ['plan', 'guideline', 'minutes', 'notes', 'other']);

/** Whose document it is; the owner decides who may open it (src/lib/server/documents/access.ts). */
export const documentOwnerKind = pgEnum('document_owner_kind', ['division', 'program', 'meeting']);

/** A right granted to one person on one document, on top of what the owner gives. */
export const documentShareAccess = pgEnum('document_share_access', ['view', 'comment', 'edit']);

export const documentVersionKind = pgEnum('document_version_kind', ['initial', 'manual', 'auto', 'restore', 'lock', 'reopen']);

/** A shared document. Its content is the Yjs document made of its snapshot and updates. */
export const documents = pgTable(
	'documents',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		title: text('title').notNull(),
		kind: documentKind('kind').notNull(),
		ownerKind: documentOwnerKind('owner_kind').notNull(),
		divisionId: uuid('division_id').references(() => divisions.id),
		programId: uuid('program_id').references(() => programs.id),
		/**
		 * Meeting-owned documents (minutes, per-item notes). Plain ids without foreign keys: the
		 * meetings domain arrives later and resolves access through a registered resolver.
		 */
		meetingId: uuid('meeting_id'),
		agendaItemId: uuid('agenda_item_id'),
		/** The template it was created from, if any (annualPlan, callGuideline). */
		template: text('template'),
		/**
		 * The last sequence number handed to an update of this document. Appenders take it under
		 * this row's lock, so update numbers commit in order: the database is the source of order.
		 */
		updateSeq: bigint('update_seq', { mode: 'number' }).notNull().default(0),
		/** The lock in force (finalized), or null while the document is open for editing. */
		lockId: uuid('lock_id').references((): AnyPgColumn => documentLocks.id),
		createdBy: uuid('created_by').references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		/** Last time an update was appended. */
		editedAt: timestamp('edited_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('documents_division_idx').on(t.divisionId),
		index('documents_program_idx').on(t.programId),
		index('documents_meeting_idx').on(t.meetingId),
		check(
			'documents_owner',
			sql`(${t.ownerKind} = 'division' AND ${t.divisionId} IS NOT NULL) OR (${t.ownerKind} = 'program' AND ${t.programId} IS NOT NULL) OR (${t.ownerKind} = 'meeting' AND ${t.meetingId} IS NOT NULL)`
		)
	]
);

/** One accepted Yjs update (or a small batch merged into one), numbered per document. */
export const documentUpdates = pgTable(
	'document_updates',
	{
		documentId: uuid('document_id')
			.notNull()
			.references(() => documents.id, { onDelete: 'cascade' }),
		seq: bigint('seq', { mode: 'number' }).notNull(),
		data: bytea('data').notNull(),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.documentId, t.seq] })]
);

/** The compacted state of a document: every update up to and including `upToSeq`, merged. */
export const documentSnapshots = pgTable('document_snapshots', {
	documentId: uuid('document_id')
		.primaryKey()
		.references(() => documents.id, { onDelete: 'cascade' }),
	upToSeq: bigint('up_to_seq', { mode: 'number' }).notNull(),
	state: bytea('state').notNull(),
	/** The plain text at that point, for search. */
	text: text('text').notNull().default(''),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
});

/** A version of a document: saved by hand (named), automatically, or at a lock or reopen. Never changed. */
export const documentVersions = pgTable(
	'document_versions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		documentId: uuid('document_id')
			.notNull()
			.references(() => documents.id, { onDelete: 'cascade' }),
		/** 1, 2, 3 … per document. */
		number: integer('number').notNull(),
		kind: documentVersionKind('kind').notNull(),
		name: text('name'),
		/** The full Yjs state at that version. */
		state: bytea('state').notNull(),
		/** The ProseMirror JSON of that state, for viewing and comparing without Yjs. */
		content: text('content').notNull(),
		upToSeq: bigint('up_to_seq', { mode: 'number' }).notNull(),
		createdBy: uuid('created_by').references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [unique('document_versions_number').on(t.documentId, t.number)]
);

/**
 * A finalization: the content as locked, its SHA-256, who and when; and, if an admin reopened
 * it, who, when and why. The content columns never change (trigger).
 */
export const documentLocks = pgTable(
	'document_locks',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		documentId: uuid('document_id')
			.notNull()
			.references((): AnyPgColumn => documents.id, { onDelete: 'cascade' }),
		versionId: uuid('version_id')
			.notNull()
			.references(() => documentVersions.id),
		/** ProseMirror JSON of the final content, exactly as hashed. */
		content: text('content').notNull(),
		/** Hex SHA-256 of `content` (UTF-8). */
		contentSha256: text('content_sha256').notNull(),
		lockedBy: uuid('locked_by')
			.notNull()
			.references(() => users.id),
		lockedAt: timestamp('locked_at', { withTimezone: true }).notNull().defaultNow(),
		reopenedBy: uuid('reopened_by').references(() => users.id),
		reopenedAt: timestamp('reopened_at', { withTimezone: true }),
		reopenReason: text('reopen_reason'),
		/** The audit chain's head when the document was locked (`#seq seal`), printed on its record. */
		auditAnchor: text('audit_anchor')
	},
	(t) => [index('document_locks_document_idx').on(t.documentId)]
);

/**
 * A comment on a range of a document's text, or a reply in its thread. The range is two Yjs
 * relative positions, so it follows the text through everyone's edits.
 */
export const documentComments = pgTable(
	'document_comments',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		documentId: uuid('document_id')
			.notNull()
			.references(() => documents.id, { onDelete: 'cascade' }),
		/** The thread's first comment; null for that first comment itself. */
		parentId: uuid('parent_id').references((): AnyPgColumn => documentComments.id, { onDelete: 'cascade' }),
		anchorStart: bytea('anchor_start'),
		anchorEnd: bytea('anchor_end'),
		/** The text the range covered when the comment was made. */
		quote: text('quote').notNull().default(''),
		body: text('body').notNull(),
		authorId: uuid('author_id')
			.notNull()
			.references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		resolvedAt: timestamp('resolved_at', { withTimezone: true }),
		resolvedBy: uuid('resolved_by').references(() => users.id)
	},
	(t) => [index('document_comments_document_idx').on(t.documentId, t.createdAt), index('document_comments_parent_idx').on(t.parentId)]
);

/** A person given a right on a document beyond what its owner gives (e.g. an expert asked to comment). */
export const documentShares = pgTable(
	'document_shares',
	{
		documentId: uuid('document_id')
			.notNull()
			.references(() => documents.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		access: documentShareAccess('access').notNull(),
		grantedBy: uuid('granted_by').references(() => users.id),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.documentId, t.userId] }), index('document_shares_user_idx').on(t.userId)]
);
