// The center's organization: divisions and their staff, the expert database, and the
// enterprises that apply.
import { boolean, index, pgEnum, pgTable, primaryKey, text, uuid, integer } from 'drizzle-orm/pg-core';
import { users, stamps } from './auth';
// Relative, not $lib: drizzle-kit loads the schema without SvelteKit's aliases.
import { TECHNICAL_FIELDS } from '../../src/lib/values/fields';

export const divisionRole = pgEnum('division_role', ['head', 'deputy', 'staff']);

/** The seven technical fields of the center's programs (GLOSSARY.md). */
export const technicalField = pgEnum('technical_field', TECHNICAL_FIELDS);

/** Technical experts score the technical form, finance experts the finance form. */
export const expertKind = pgEnum('expert_kind', ['technical', 'finance']);

/** A division (处) of the center, e.g. the Fund Intake Division. */
export const divisions = pgTable('divisions', {
	id: uuid('id').primaryKey().defaultRandom(),
	code: text('code').notNull().unique(),
	name: text('name').notNull(),
	nameEn: text('name_en').notNull(),
	sort: integer('sort').notNull().default(0)
});

/** A staff member's place in a division: head, deputy head or staff. */
export const memberships = pgTable(
	'memberships',
	{
		userId: uuid('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		divisionId: uuid('division_id')
			.notNull()
			.references(() => divisions.id, { onDelete: 'cascade' }),
		role: divisionRole('role').notNull().default('staff')
	},
	(t) => [primaryKey({ columns: [t.userId, t.divisionId] }), index('memberships_division_idx').on(t.divisionId)]
);

/** An entry in the expert database (专家库); linked to an account once the expert signs in. */
export const experts = pgTable(
	'experts',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		userId: uuid('user_id')
			.unique()
			.references(() => users.id, { onDelete: 'set null' }),
		name: text('name').notNull(),
		institution: text('institution').notNull(),
		title: text('title').notNull().default(''),
		kind: expertKind('kind').notNull().default('technical'),
		primaryField: technicalField('primary_field').notNull(),
		secondaryFields: technicalField('secondary_fields').array().notNull().default([]),
		email: text('email'),
		phone: text('phone'),
		active: boolean('active').notNull().default(true),
		...stamps
	},
	(t) => [index('experts_field_idx').on(t.primaryField)]
);

/** An applicant enterprise; its account registers itself. */
export const enterprises = pgTable('enterprises', {
	id: uuid('id').primaryKey().defaultRandom(),
	userId: uuid('user_id')
		.unique()
		.references(() => users.id, { onDelete: 'set null' }),
	name: text('name').notNull(),
	/** Unified social credit code (统一社会信用代码), 18 characters, GB 32100-2015. */
	creditCode: text('credit_code').unique(),
	contactName: text('contact_name').notNull(),
	contactPhone: text('contact_phone').notNull(),
	contactEmail: text('contact_email'),
	...stamps
});
