// Applications (申报) to a call, from draft to decision.
import { boolean, index, jsonb, numeric, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { stamps } from './auth';
import { enterprises, technicalField } from './org';
import { calls, fundingMode } from './programs';
import { APPLICATION_STATUSES } from '../../src/lib/values/applications';

export const applicationStatus = pgEnum('application_status', APPLICATION_STATUSES);

export interface TeamMember {
	name: string;
	role: string;
	title?: string;
}

/** One line of an application's budget, amounts in 10k yuan. */
export interface BudgetLine {
	item: string;
	amount: number;
	note?: string;
}

/** An enterprise's application to a call. */
export const applications = pgTable(
	'applications',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** Human number shown everywhere, e.g. IF2026-0007. */
		number: text('number').notNull().unique(),
		callId: uuid('call_id')
			.notNull()
			.references(() => calls.id),
		enterpriseId: uuid('enterprise_id').references(() => enterprises.id),
		enterpriseName: text('enterprise_name').notNull(),
		creditCode: text('credit_code').notNull(),
		contactName: text('contact_name').notNull(),
		contactPhone: text('contact_phone').notNull(),
		contactEmail: text('contact_email'),
		title: text('title').notNull(),
		field: technicalField('field').notNull(),
		fundingMode: fundingMode('funding_mode').notNull().default('grant'),
		/** Requested amount in 10k yuan (万元). */
		requestedAmount: numeric('requested_amount', { precision: 12, scale: 2 }).notNull(),
		isMajor: boolean('is_major').notNull().default(false),
		summary: text('summary').notNull().default(''),
		team: jsonb('team').$type<TeamMember[]>().notNull().default([]),
		budget: jsonb('budget').$type<BudgetLine[]>().notNull().default([]),
		status: applicationStatus('status').notNull().default('draft'),
		/** Reason the applicant sees when intake does not accept the application. */
		rejectionReason: text('rejection_reason'),
		submittedAt: timestamp('submitted_at', { withTimezone: true }),
		/** The number in the system it was imported from, if any. */
		externalRef: text('external_ref'),
		...stamps
	},
	(t) => [
		index('applications_call_status_idx').on(t.callId, t.status),
		index('applications_enterprise_idx').on(t.enterpriseId),
		// One application per enterprise per call (a withdrawn draft does not count).
		uniqueIndex('applications_one_per_enterprise').on(t.callId, t.enterpriseId).where(sql`${t.status} <> 'withdrawn'`)
	]
);
