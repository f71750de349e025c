// Seeds the demo organization into an empty database (demo mode only). Each step checks
// whether it has run and runs inside one transaction, so seeding twice changes nothing and a
// crash half-way leaves nothing half-made. Later features add their own steps to STEPS.
import { eq, sql } from 'drizzle-orm';
import * as s from '$db/schema';
import type { Db, Tx } from '../db';
import { hashPassword } from '../auth/password';
import { colorFor } from '../auth/colors';
import { audit } from '../audit';
import { makeCreditCode } from '$lib/credit-code';
import { FUNDING_MODES, TECHNICAL_FIELDS } from '$lib/values';
import {
	APPLICATIONS,
	DEMO_PASSWORD,
	DIVISIONS,
	EXPERTS,
	IF2026_CHECKLIST,
	IF_FINANCE_RUBRIC,
	IF_TECHNICAL_RUBRIC,
	PROGRAMS
} from './organization';
import { intakeSeed } from './intake-seed';
import { documentsStep } from './documents';
import { meetingsStep } from './meetings';
import { poolStep } from './pool';
import { notificationsStep } from './notifications';
import { hearingsStep } from './hearings';
import { publicationsStep } from './publications';
import { opinionsStep } from './opinions';

import type { SeedStep } from './step';

export type { SeedContext, SeedStep } from './step';

const organization: SeedStep = {
	name: 'organization',
	async done(tx) {
		const [row] = await tx.select({ id: s.divisions.id }).from(s.divisions).where(eq(s.divisions.code, 'office')).limit(1);
		return !!row;
	},
	async run(tx, { passwordHash }) {
		const divisionIds = new Map<string, string>();
		for (const [i, d] of DIVISIONS.entries()) {
			const [div] = await tx.insert(s.divisions).values({ code: d.code, name: d.name, nameEn: d.nameEn, sort: i }).returning();
			divisionIds.set(d.code, div.id);
			for (const p of d.people) {
				const [user] = await tx
					.insert(s.users)
					.values({ username: p.username, name: p.name, passwordHash, isAdmin: !!p.isAdmin, color: colorFor(p.username), email: `${p.username}@torch.example.cn` })
					.returning({ id: s.users.id });
				await tx.insert(s.memberships).values({ userId: user.id, divisionId: div.id, role: p.role });
			}
		}

		for (const e of EXPERTS) {
			let userId: string | null = null;
			if (e.username) {
				const [user] = await tx
					.insert(s.users)
					.values({ username: e.username, name: e.name, passwordHash, color: colorFor(e.username), email: `${e.username}@experts.example.cn` })
					.returning({ id: s.users.id });
				userId = user.id;
			}
			await tx.insert(s.experts).values({
				userId,
				name: e.name,
				institution: e.institution,
				title: e.title,
				kind: e.kind,
				primaryField: e.primaryField,
				secondaryFields: e.secondaryFields,
				email: e.username ? `${e.username}@experts.example.cn` : null
			});
		}

		const programIds = new Map<string, string>();
		for (const p of PROGRAMS) {
			const [program] = await tx
				.insert(s.programs)
				.values({ code: p.code, name: p.name, nameEn: p.nameEn, description: p.description, divisionId: divisionIds.get(p.lead)! })
				.returning();
			programIds.set(p.code, program.id);
			for (const d of p.divisions) await tx.insert(s.programDivisions).values({ programId: program.id, divisionId: divisionIds.get(d)! });
		}

		const [call] = await tx
			.insert(s.calls)
			.values({
				programId: programIds.get('innovation-fund')!,
				year: 2026,
				code: 'IF2026',
				title: '2026年度科技型中小企业技术创新基金项目申报',
				titleEn: '2026 Innovation Fund call for technology-based SMEs',
				status: 'open',
				opensAt: new Date('2026-03-01T00:00:00+08:00'),
				closesAt: new Date('2026-12-31T17:00:00+08:00'),
				fields: [...TECHNICAL_FIELDS],
				fundingModes: [...FUNDING_MODES],
				ceiling: '100',
				majorCeiling: '200',
				reviewersPerApplication: 3,
				selection: 'matching',
				aggregation: 'mean',
				discrepancyThreshold: '15',
				intakeChecklist: IF2026_CHECKLIST
			})
			.returning();

		await insertRubric(tx, call.id, 'technical', IF_TECHNICAL_RUBRIC);
		await insertRubric(tx, call.id, 'finance', IF_FINANCE_RUBRIC);

		for (const [i, a] of APPLICATIONS.entries()) {
			const creditCode = makeCreditCode('9', '1', a.region, a.org);
			let applicantUserId: string | null = null;
			if (a.applicant) {
				const [user] = await tx
					.insert(s.users)
					.values({ username: a.applicant, name: a.contact, passwordHash, color: colorFor(a.applicant), phone: a.phone })
					.returning({ id: s.users.id });
				applicantUserId = user.id;
			}
			const [enterprise] = await tx
				.insert(s.enterprises)
				.values({ userId: applicantUserId, name: a.enterprise, creditCode, contactName: a.contact, contactPhone: a.phone })
				.returning({ id: s.enterprises.id });
			const submitted = a.status !== 'draft';
			const submittedAt = submitted ? new Date(Date.UTC(2026, 8, 1 + i, 2, 30)) : null;
			await tx.insert(s.applications).values({
				number: `IF2026-${String(i + 1).padStart(4, '0')}`,
				callId: call.id,
				enterpriseId: enterprise.id,
				enterpriseName: a.enterprise,
				creditCode,
				contactName: a.contact,
				contactPhone: a.phone,
				title: a.title,
				field: a.field,
				fundingMode: a.mode,
				requestedAmount: String(a.amount),
				isMajor: a.amount > 100,
				summary: a.summary,
				team: [
					{ name: a.contact, role: '项目负责人', title: '高级工程师' },
					{ name: '技术骨干', role: '研发' }
				],
				budget: [
					{ item: '设备费', amount: Math.round(a.amount * 0.4) },
					{ item: '材料费', amount: Math.round(a.amount * 0.25) },
					{ item: '测试化验加工费', amount: Math.round(a.amount * 0.15) },
					{ item: '人员劳务费', amount: a.amount - Math.round(a.amount * 0.4) - Math.round(a.amount * 0.25) - Math.round(a.amount * 0.15) }
				],
				status: a.status,
				rejectionReason: a.rejection ?? null,
				submittedAt
			});
		}
		await audit(tx, { name: 'system' }, 'demo.seeded', null, { step: 'organization' });
	}
};

interface RubricSeed {
	name: string;
	nameEn: string;
	passMark?: string;
	groups: { key: string; name: string; nameEn: string; items: { key: string; name: string; nameEn: string; weight: number }[] }[];
	deductions: { key: string; name: string; nameEn: string; maxPoints: number }[];
	vetoes: { key: string; name: string; nameEn: string }[];
}

async function insertRubric(tx: Tx, callId: string, form: 'technical' | 'finance', r: RubricSeed): Promise<void> {
	const [rubric] = await tx
		.insert(s.rubrics)
		.values({ callId, form, name: r.name, nameEn: r.nameEn, passMark: r.passMark ?? null })
		.returning();
	for (const [gi, g] of r.groups.entries()) {
		const [group] = await tx.insert(s.rubricGroups).values({ rubricId: rubric.id, key: g.key, name: g.name, nameEn: g.nameEn, sort: gi }).returning();
		for (const [ii, item] of g.items.entries()) {
			await tx.insert(s.rubricItems).values({ groupId: group.id, key: item.key, name: item.name, nameEn: item.nameEn, weight: item.weight, sort: ii });
		}
	}
	for (const [i, d] of r.deductions.entries()) {
		await tx.insert(s.rubricRules).values({ rubricId: rubric.id, kind: 'deduction', key: d.key, name: d.name, nameEn: d.nameEn, maxPoints: d.maxPoints, sort: i });
	}
	for (const [i, v] of r.vetoes.entries()) {
		await tx.insert(s.rubricRules).values({ rubricId: rubric.id, kind: 'veto', key: v.key, name: v.name, nameEn: v.nameEn, sort: i });
	}
}

/** The seed steps, in order. Later features append theirs. */
export const STEPS: SeedStep[] = [organization, intakeSeed, documentsStep, meetingsStep, hearingsStep, publicationsStep, opinionsStep, poolStep, notificationsStep];
// opinions: after any step that locks decisions (it seeds nothing without one).

/** Runs every step not yet done. Returns the names of the steps that ran. */
export async function seedDemo(db: Db, steps: SeedStep[] = STEPS): Promise<string[]> {
	const ran: string[] = [];
	let passwordHash: string | undefined;
	for (const step of steps) {
		// Hash outside the transaction: Argon2 is slow and PGlite has one connection.
		const needed = await db.transaction((tx) => step.done(tx)).then((done) => !done);
		if (!needed) continue;
		passwordHash ??= await hashPassword(DEMO_PASSWORD);
		const hash = passwordHash;
		await db.transaction(async (tx) => {
			// Two processes starting on one empty database: the second waits, then sees it done.
			await tx.execute(sql`SELECT pg_advisory_xact_lock(72610002)`);
			if (await step.done(tx)) return;
			await step.run(tx, { passwordHash: hash });
			ran.push(step.name);
		});
	}
	return ran;
}
