// Demo panel meeting: today's first Innovation Fund panel, chaired by 陈宏远 with 刘芳 (Fund
// Intake) as secretary, six experts and an observer, and five applications on the agenda with
// 20 minutes each. Two experts have conflicts on it (吴建平 works for one applicant and has
// declared a second; 周雪琴 has declared a third), and the staff's order sends 吴建平 out twice,
// so the agenda builder has something to suggest.
import { and, eq, inArray, sql } from 'drizzle-orm';
import * as s from '$db/schema';
import type { Db } from '../db';
import type { SeedStep } from './step';
import { audit } from '../audit';
import { stateConflict } from '../conflicts';
import { setAgenda, setMembers, type MemberInput } from '../meetings/schedule/commands';

export const DEMO_MEETING_TITLE = '2026年度创新基金项目会评（第一组）';
/** In the staff's order; 0004 is 吴建平's own company. */
const AGENDA = ['IF2026-0002', 'IF2026-0004', 'IF2026-0003', 'IF2026-0008', 'IF2026-0005'];
const DECLARED: { username: string; number: string; reason: string }[] = [
	{ username: 'expert6', number: 'IF2026-0008', reason: '近两年为该企业提供过有偿技术咨询' },
	{ username: 'expert5', number: 'IF2026-0005', reason: '该企业技术负责人为本人指导毕业的博士研究生' }
];

/** Today at 14:00 Beijing time. */
function todayAt2pm(now = new Date()): Date {
	const beijing = new Date(now.getTime() + 8 * 3600 * 1000);
	return new Date(Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth(), beijing.getUTCDate(), 14 - 8, 0));
}

export const meetingsStep: SeedStep = {
	name: 'meetings',
	async done(tx) {
		const [row] = await tx
			.select({ seq: s.auditLog.seq })
			.from(s.auditLog)
			.where(and(eq(s.auditLog.action, 'demo.seeded'), sql`${s.auditLog.details}->>'step' = 'meetings'`))
			.limit(1);
		return !!row;
	},
	async run(tx) {
		const [call] = await tx.select({ id: s.calls.id }).from(s.calls).where(eq(s.calls.code, 'IF2026'));
		if (!call) return;
		const people = await tx
			.select({ id: s.users.id, username: s.users.username, name: s.users.name })
			.from(s.users)
			.where(inArray(s.users.username, ['chair', 'intake', 'chenlei', ...Array.from({ length: 6 }, (_, i) => `expert${i + 1}`)]));
		const user = (username: string) => {
			const u = people.find((x) => x.username === username);
			if (!u) throw new Error(`demo meeting: no user ${username}`);
			return u;
		};
		const apps = await tx.select({ id: s.applications.id, number: s.applications.number, status: s.applications.status }).from(s.applications).where(inArray(s.applications.number, AGENDA));
		const app = (number: string) => apps.find((a) => a.number === number)!;

		for (const d of DECLARED) {
			const u = user(d.username);
			const [expert] = await tx.select({ id: s.experts.id }).from(s.experts).where(eq(s.experts.userId, u.id));
			await stateConflict(tx, { id: u.id, name: u.name }, { expertId: expert.id, applicationId: app(d.number).id, source: 'declared', reason: d.reason });
		}

		const intake = user('intake');
		const actor = { id: intake.id, name: intake.name };
		const [meeting] = await tx
			.insert(s.meetings)
			.values({ callId: call.id, title: DEMO_MEETING_TITLE, startsAt: todayAt2pm(), place: '中心第一会议室（主楼三层）', videoLink: '', createdBy: intake.id })
			.returning({ id: s.meetings.id });
		await audit(tx, actor, 'meeting.created', { type: 'meeting', id: meeting.id }, { callId: call.id, title: DEMO_MEETING_TITLE });

		const members: MemberInput[] = [
			{ userId: user('chair').id, role: 'chair' },
			{ userId: intake.id, role: 'secretary' },
			...Array.from({ length: 6 }, (_, i) => ({ userId: user(`expert${i + 1}`).id, role: 'expert' as const })),
			{ userId: user('chenlei').id, role: 'observer' }
		];
		// Nested calls open savepoints on this transaction, and check what they are given.
		const db = tx as unknown as Db;
		const set = await setMembers(db, actor, meeting.id, members);
		if (!set.ok) throw new Error(`demo meeting members: ${JSON.stringify(set.errors)}`);
		const agenda = await setAgenda(
			db,
			actor,
			meeting.id,
			AGENDA.map((number) => ({ applicationId: app(number).id, timeboxMinutes: 20 }))
		);
		if (!agenda.ok) throw new Error(`demo meeting agenda: ${JSON.stringify(agenda.errors)}`);
		await audit(tx, { name: 'system' }, 'demo.seeded', null, { step: 'meetings' });
	}
};


