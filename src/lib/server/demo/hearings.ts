// Demo hearing (答辩): on the demo meeting's first item, IF2026-0002 (深圳市华芯微电子有限公司),
// whose contact 黄志伟 gets an applicant account (applicant2) to join it. The hearing keeps the
// national defaults (12 minutes of presentation, then questions, 25 in all; at most 3
// people; questions without names), 黄志伟 and a colleague are named as representatives (not
// yet checked in: the secretary does that at the door), and two experts have sent questions.
import { and, eq, sql } from 'drizzle-orm';
import * as s from '$db/schema';
import type { Db, DbOrTx } from '../db';
import type { SeedStep } from './step';
import { audit } from '../audit';
import { colorFor } from '../auth/colors';
import { loadPrincipal, type Principal } from '../auth/principal';
import { addQuestion, addRepresentative, setHearing } from '../meetings/hearings/commands';
import { HEARING_DEFAULTS } from '../meetings/hearings/schemas';
import { DEMO_MEETING_TITLE } from './meetings';

export const DEMO_HEARING_NUMBER = 'IF2026-0002';
export const DEMO_HEARING_APPLICANT = 'applicant2';

const QUESTIONS: { username: string; body: string }[] = [
	{ username: 'expert1', body: '驱动芯片的AEC-Q100认证目前进展到哪一阶段？请说明已完成的可靠性试验项目及预计取证时间。' },
	{ username: 'expert2', body: '与国外同类产品相比，贵公司产品在栅极驱动电流和隔离耐压上的具体指标如何？请说明量产良率和成本优势。' }
];

async function principalOf(tx: DbOrTx, username: string): Promise<Principal> {
	const [u] = await tx.select().from(s.users).where(eq(s.users.username, username));
	if (!u) throw new Error(`demo hearing: no user ${username}`);
	return loadPrincipal(tx, { id: u.id, username: u.username, name: u.name, email: u.email, isAdmin: u.isAdmin, active: u.active, locale: u.locale, color: u.color }, 'demo-seed');
}

export const hearingsStep: SeedStep = {
	name: 'hearings',
	async done(tx) {
		const [row] = await tx
			.select({ seq: s.auditLog.seq })
			.from(s.auditLog)
			.where(and(eq(s.auditLog.action, 'demo.seeded'), sql`${s.auditLog.details}->>'step' = 'hearings'`))
			.limit(1);
		return !!row;
	},
	async run(tx, { passwordHash }) {
		const [meeting] = await tx.select({ id: s.meetings.id, startsAt: s.meetings.startsAt }).from(s.meetings).where(eq(s.meetings.title, DEMO_MEETING_TITLE));
		if (!meeting) return;
		const [item] = await tx
			.select({ itemId: s.meetingItems.id, enterpriseId: s.applications.enterpriseId, contact: s.applications.contactName, phone: s.applications.contactPhone })
			.from(s.meetingItems)
			.innerJoin(s.applications, eq(s.applications.id, s.meetingItems.applicationId))
			.where(and(eq(s.meetingItems.meetingId, meeting.id), eq(s.applications.number, DEMO_HEARING_NUMBER)));
		if (!item?.enterpriseId) return;

		// The enterprise's account, so that its people can join the hearing.
		const [user] = await tx
			.insert(s.users)
			.values({ username: DEMO_HEARING_APPLICANT, name: item.contact, passwordHash, color: colorFor(DEMO_HEARING_APPLICANT), phone: item.phone })
			.returning({ id: s.users.id });
		await tx.update(s.enterprises).set({ userId: user.id }).where(eq(s.enterprises.id, item.enterpriseId));

		// Nested calls open savepoints on this transaction.
		const db = tx as unknown as Db;
		const intake = await principalOf(tx, 'intake');
		const set = await setHearing(db, intake, { id: intake.user.id, name: intake.user.name }, meeting.id, { itemId: item.itemId, scheduledAt: meeting.startsAt, ...HEARING_DEFAULTS });
		if (!set.ok) throw new Error(`demo hearing: ${set.code}`);
		for (const q of QUESTIONS) {
			const expert = await principalOf(tx, q.username);
			const r = await addQuestion(db, expert, { id: expert.user.id, name: expert.user.name }, item.itemId, q.body);
			if (!r.ok) throw new Error(`demo hearing question: ${r.code}`);
		}
		const applicant = await principalOf(tx, DEMO_HEARING_APPLICANT);
		for (const rep of [
			{ name: item.contact, position: '总经理' },
			{ name: '陈思远', position: '技术总监' }
		]) {
			const r = await addRepresentative(db, applicant, { id: applicant.user.id, name: applicant.user.name }, { itemId: item.itemId, ...rep });
			if (!r.ok) throw new Error(`demo hearing representative: ${r.code}`);
		}
		await audit(tx, { name: 'system' }, 'demo.seeded', null, { step: 'hearings' });
	}
};
