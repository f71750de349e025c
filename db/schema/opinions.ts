// The panel's opinion (专家组意见) on a meeting item: a shared document drafted by a lead expert,
// co-signed (or dissented from) by the item's non-recused voting members, finalized by the
// chair through the documents' lock (hashed), and released to the applicant by the division in
// a form it chose. A signature carries the SHA-256 of the text signed: when the text changes
// afterwards the signature no longer counts (opinions/state.ts compares it with the text now).
import { index, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './auth';
import { applications } from './applications';
import { documents } from './documents';
import { meetingItems, meetings } from './meetings';

export const opinionSignatureKind = pgEnum('opinion_signature_kind', ['sign', 'dissent']);

/** One opinion per agenda item; its text is the document. */
export const panelOpinions = pgTable(
	'panel_opinions',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		itemId: uuid('item_id')
			.notNull()
			.unique()
			.references(() => meetingItems.id, { onDelete: 'cascade' }),
		meetingId: uuid('meeting_id')
			.notNull()
			.references(() => meetings.id, { onDelete: 'cascade' }),
		applicationId: uuid('application_id')
			.notNull()
			.references(() => applications.id),
		documentId: uuid('document_id')
			.notNull()
			.unique()
			.references(() => documents.id),
		leadUserId: uuid('lead_user_id')
			.notNull()
			.references(() => users.id),
		leadChosenBy: uuid('lead_chosen_by')
			.notNull()
			.references(() => users.id),
		leadChosenAt: timestamp('lead_chosen_at', { withTimezone: true }).notNull().defaultNow(),
		/** When the lead last submitted the draft for signing, and the SHA-256 of that text. */
		submittedAt: timestamp('submitted_at', { withTimezone: true }),
		submittedSha256: text('submitted_sha256'),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('panel_opinions_application_idx').on(t.applicationId)]
);

/** A member's co-signature or written dissent, bound to the text's SHA-256 when given. */
export const panelOpinionSignatures = pgTable(
	'panel_opinion_signatures',
	{
		opinionId: uuid('opinion_id')
			.notNull()
			.references(() => panelOpinions.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id),
		kind: opinionSignatureKind('kind').notNull(),
		dissent: text('dissent').notNull().default(''),
		/** SHA-256 of the canonical content signed. */
		sha256: text('sha256').notNull(),
		signedAt: timestamp('signed_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.opinionId, t.userId] })]
);

/** The chair's record that a member did not sign, and why (so the opinion may be finalized). */
export const panelOpinionExcusals = pgTable(
	'panel_opinion_excusals',
	{
		opinionId: uuid('opinion_id')
			.notNull()
			.references(() => panelOpinions.id, { onDelete: 'cascade' }),
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id),
		reason: text('reason').notNull(),
		recordedBy: uuid('recorded_by')
			.notNull()
			.references(() => users.id),
		recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.opinionId, t.userId] })]
);

/**
 * What the division released to the applicant: the options chosen and the exact view built
 * from them (frozen JSON, never rebuilt), who and when. One release per opinion.
 */
export const panelOpinionReleases = pgTable('panel_opinion_releases', {
	opinionId: uuid('opinion_id')
		.primaryKey()
		.references(() => panelOpinions.id, { onDelete: 'cascade' }),
	options: jsonb('options').$type<Record<string, boolean>>().notNull(),
	view: jsonb('view').$type<Record<string, unknown>>().notNull(),
	viewSha256: text('view_sha256').notNull(),
	releasedBy: uuid('released_by')
		.notNull()
		.references(() => users.id),
	releasedAt: timestamp('released_at', { withTimezone: true }).notNull().defaultNow()
});
