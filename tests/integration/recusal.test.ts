// Recusal is a fact once established, tried from the recused member's side: a raw
// socket.io-client as the recused expert, and their own principal at the documents' door and at
// /collab. Whatever they (or anyone short of the secretary or an admin lifting it with a reason)
// do — change their institution, have a declaration withdrawn, have the agenda rebuilt,
// reconnect, outlast a server restart — they stay recused on every channel.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, isNull, sql } from 'drizzle-orm';
import * as s from '../../db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { seedDemo, STEPS } from '../../src/lib/server/demo/seed';
import { meetingFixture, roomClient, startRealtime, type MeetingFixture, type RealtimeServer, type RoomClient } from '../helpers/meetings';
import { rawConnect, sessionCookie, waitFor } from '../helpers/collab';
import { principal } from '../helpers/factories';
import { accessTo } from '../../src/lib/server/documents/access';
import { updateOwnProfile } from '../../src/lib/server/experts/manage';
import type { ItemView, MeetingView } from '../../src/lib/meetings/protocol';

let t: TestDatabase;
let server: RealtimeServer;
let clients: RoomClient[] = [];
/** expert6's institution as seeded: the applicant of IF2026-0004. */
let home = '';

beforeAll(async () => {
	t = await createTestDatabase();
	await seedDemo(t.db, STEPS.filter((step) => step.name === 'organization'));
	server = await startRealtime();
	home = (await expertOf('expert6')).institution;
});
afterEach(async () => {
	for (const c of clients) expect(c.gaps, `${c.username} missed a state`).toBe(0);
	for (const c of clients) c.close();
	clients = [];
	// Each test starts from expert6 at their seeded institution, with no request pending.
	const x6 = await expertOf('expert6');
	await t.db.update(s.experts).set({ institution: home }).where(eq(s.experts.id, x6.id));
	if (s.expertInstitutionChanges) await t.db.delete(s.expertInstitutionChanges);
});
afterAll(async () => {
	await server?.close();
	await t?.drop();
});

async function expertOf(username: string) {
	const [row] = await t.db.select({ expert: s.experts }).from(s.experts).innerJoin(s.users, eq(s.users.id, s.experts.userId)).where(eq(s.users.username, username));
	return row.expert;
}

async function userId(username: string) {
	const [u] = await t.db.select({ id: s.users.id }).from(s.users).where(eq(s.users.username, username));
	return u.id;
}

async function connect(meetingId: string, ...usernames: string[]): Promise<RoomClient[]> {
	const out = await Promise.all(usernames.map((u) => roomClient(t.db, server.url, u, meetingId)));
	clients.push(...out);
	for (const c of out) await c.join();
	return out;
}

function sheet(view: MeetingView, value: number) {
	return Object.fromEntries(view.rubric.groups.flatMap((g) => g.items.map((i) => [i.id, value])));
}

/** What the recused member must never have received, on any event. */
function secretsOf(f: MeetingFixture, index: number, extra: string[]): string[] {
	return [f.items[index].number, f.items[index].title, ...extra];
}

/** The member is recused from the item on every channel: room state, notes document, /collab. */
async function expectRecused(client: RoomClient, chair: RoomClient, itemIndex: number, secrets: string[], username: string, from = 0) {
	const item = chair.state!.items[itemIndex] as ItemView;
	await waitFor(() => (chair.state!.items[itemIndex] as ItemView).recusedUserIds?.includes(client.state!.me.userId), 5000, 'chair sees the recusal');
	expect(client.state!.items[itemIndex]).toEqual({ id: item.id, position: item.position, recused: true });
	const all = client.received
		.slice(from)
		.map((r) => r.json)
		.join('\n');
	for (const secret of secrets) expect(all.includes(secret), `${username} received "${secret}"`).toBe(false);
	if (item.notesDocumentId) {
		const p = await principal(t.db, username);
		expect((await accessTo(t.db, p, item.notesDocumentId))?.access.access ?? 'none').toBe('none');
		const refused = await rawConnect(`${server.url.replace('http', 'ws')}/collab/${item.notesDocumentId}`, { cookie: await sessionCookie(t.db, await userId(username)) });
		expect('status' in refused && refused.status).toBe(403);
	}
}

const actor = (id: string, name: string) => ({ id, name });

describe('an established recusal stays in force', () => {
	it('survives the expert changing their own institution after the reveal, its approval, reconnects and a restart', async () => {
		const f = await meetingFixture(t.db, { requiresBallot: false });
		const [chair, e1, e2, e6] = await connect(f.meetingId, 'chair', 'expert1', 'expert2', 'expert6');
		const recused = f.items[1].id; // IF2026-0004: expert6 works at the applicant.
		expect((await chair.send('meeting:start', {})).ok).toBe(true);
		expect((await chair.send('meeting:goto', { itemId: recused })).ok).toBe(true);
		for (const c of [chair, e1, e2]) expect((await c.send('score:submit', { itemId: recused, round: 1, scores: sheet(e1.state!, 88), opinion: '钙钛矿叠层效率领先' })).ok).toBe(true);
		await chair.until((v) => (v.items[1] as ItemView).rounds[0].revealed, 'revealed without e6');
		const secrets = secretsOf(f, 1, ['钙钛矿', '"total":88']);

		// expert6 edits their own institution, as the profile page does.
		const x6 = await expertOf('expert6');
		const u6 = await userId('expert6');
		const result = await updateOwnProfile(t.db, actor(u6, x6.name), x6.id, {
			institution: '中国科学院电工研究所',
			title: x6.title,
			primaryField: x6.primaryField,
			secondaryFields: x6.secondaryFields,
			email: x6.email,
			phone: x6.phone
		});
		expect(result).toBeTruthy();
		// Only a request: the institution that decides conflicts is unchanged.
		expect((await expertOf('expert6')).institution).toBe(home);
		// The chair moves away and back: the room recomputes and must not let expert6 in.
		await chair.send('meeting:goto', { itemId: f.items[2].id });
		await chair.send('meeting:goto', { itemId: recused });
		await e6.until((v) => v.meeting.currentItemId === recused, 'e6 follows the tracker');
		await new Promise((r) => setTimeout(r, 200));
		await expectRecused(e6, chair, 1, secrets, 'expert6');

		// Staff approve the change: the old institution still counts for this meeting.
		const { decideInstitutionChange } = await import('../../src/lib/server/experts/manage');
		const [change] = await t.db.select().from(s.expertInstitutionChanges).where(eq(s.expertInstitutionChanges.expertId, x6.id));
		const intake = await userId('intake');
		expect(await decideInstitutionChange(t.db, actor(intake, '刘芳'), { expertId: x6.id, changeId: change.id, approve: true, note: '已核实调动' })).toBe(true);
		expect((await expertOf('expert6')).institution).toBe('中国科学院电工研究所');
		await chair.send('meeting:goto', { itemId: f.items[0].id });
		await chair.send('meeting:goto', { itemId: recused });
		await e6.until((v) => v.meeting.currentItemId === recused, 'e6 follows again');
		await new Promise((r) => setTimeout(r, 200));
		await expectRecused(e6, chair, 1, secrets, 'expert6');

		// A reconnect changes nothing.
		e6.socket.disconnect();
		e6.socket.connect();
		await e6.join();
		await expectRecused(e6, chair, 1, secrets, 'expert6');

		// Nor does a restart: the room is rebuilt from the database alone.
		const port = Number(new URL(server.url).port);
		await server.close();
		await waitFor(() => !e6.socket.connected && !chair.socket.connected, 10_000, 'sockets dropped');
		server = await startRealtime(port);
		for (const c of [chair, e1, e2, e6]) {
			await waitFor(() => c.socket.connected, 15_000, `${c.username} reconnected`);
			await c.join();
		}
		await expectRecused(e6, chair, 1, secrets, 'expert6');
		expect(await e6.send('score:submit', { itemId: recused, round: 1, scores: sheet(e1.state!, 60) })).toMatchObject({ ok: false, error: 'recused' });
	});

	it('survives staff withdrawing the declared conflict, and a reconnect', async () => {
		const { stateConflict } = await import('../../src/lib/server/conflicts');
		const { withdrawConflict } = await import('../../src/lib/server/conflicts/withdraw');
		const { emit } = await import('../../src/lib/server/events');
		const f = await meetingFixture(t.db, { numbers: ['IF2026-0003', 'IF2026-0005', 'IF2026-0006'], requiresBallot: false });
		const [chair, e1, e2] = await connect(f.meetingId, 'chair', 'expert1', 'expert2');
		expect((await chair.send('meeting:start', {})).ok).toBe(true);
		// expert2 declares a conflict with the second item during the meeting.
		const x2 = await expertOf('expert2');
		const [app] = await t.db.select({ id: s.meetingItems.applicationId }).from(s.meetingItems).where(eq(s.meetingItems.id, f.items[1].id));
		const declared = await stateConflict(t.db, actor(await userId('expert2'), x2.name), { expertId: x2.id, applicationId: app.id, source: 'declared', reason: '曾为该企业提供技术咨询' });
		emit('conflicts.changed', {});
		await e2.until((v) => v.items[1].recused, 'recused on the declaration');
		// What expert2 saw of the item before declaring is theirs; nothing after.
		const from = e2.received.length;
		// Staff withdraw it, with a reason: the recusal in this meeting stays.
		expect(await withdrawConflict(t.db, actor(await userId('intake'), '刘芳'), { conflictId: declared.id, reason: '专家称误报' })).toBe(true);
		await new Promise((r) => setTimeout(r, 200));
		await chair.send('meeting:goto', { itemId: f.items[1].id });
		for (const c of [chair, e1]) expect((await c.send('score:submit', { itemId: f.items[1].id, round: 1, scores: sheet(e1.state!, 71), opinion: '市场前景广阔但资金紧张' })).ok).toBe(true);
		await chair.until((v) => (v.items[1] as ItemView).rounds[0].revealed, 'revealed without e2');
		const secrets = secretsOf(f, 1, ['市场前景广阔', '"total":71']);
		await expectRecused(e2, chair, 1, secrets, 'expert2', from);
		e2.socket.disconnect();
		e2.socket.connect();
		await e2.join();
		await expectRecused(e2, chair, 1, secrets, 'expert2', from);
		// The recusal is on record in the database, in force.
		const rows = await t.db
			.select()
			.from(s.meetingRecusals)
			.where(and(eq(s.meetingRecusals.meetingId, f.meetingId), isNull(s.meetingRecusals.liftedAt)));
		expect(rows.map((r) => r.userId)).toContain(e2.state!.me.userId);
	});

	it('survives a schedule change after the institution changed, before the meeting starts', async () => {
		const { setAgenda, setMembers } = await import('../../src/lib/server/meetings/schedule/commands');
		const { meetingOverview } = await import('../../src/lib/server/meetings/schedule/queries');
		const { updateExpert } = await import('../../src/lib/server/experts/manage');
		const f = await meetingFixture(t.db, { numbers: ['IF2026-0002', 'IF2026-0004'], requiresBallot: false });
		const ids = await Promise.all(f.items.map(async (i) => (await t.db.select({ a: s.meetingItems.applicationId }).from(s.meetingItems).where(eq(s.meetingItems.id, i.id)))[0].a));
		const intake = actor(await userId('intake'), '刘芳');
		// Scheduling establishes the recusal.
		expect((await setAgenda(t.db, intake, f.meetingId, ids.map((applicationId) => ({ applicationId, timeboxMinutes: 20 })))).ok).toBe(true);
		// Staff then record expert6's move to another institution.
		const x6 = await expertOf('expert6');
		const { id: _id, userId: _u, createdAt: _c, updatedAt: _up, ...rest } = x6;
		expect(await updateExpert(t.db, intake, x6.id, { ...rest, institution: '中国科学院电工研究所' })).toBe(true);
		// The agenda is rebuilt: the item taken off and put back; the members set again.
		expect((await setAgenda(t.db, intake, f.meetingId, [{ applicationId: ids[0], timeboxMinutes: 20 }])).ok).toBe(true);
		expect((await setAgenda(t.db, intake, f.meetingId, ids.map((applicationId) => ({ applicationId, timeboxMinutes: 25 })))).ok).toBe(true);
		const members = await t.db.select().from(s.meetingMembers).where(eq(s.meetingMembers.meetingId, f.meetingId));
		expect((await setMembers(t.db, intake, f.meetingId, members.map((x) => ({ userId: x.userId, role: x.role })))).ok).toBe(true);
		// expert6's own view of the meeting page shows nothing of the item.
		const p6 = await principal(t.db, 'expert6');
		const overview = await meetingOverview(t.db, p6, { meetingId: f.meetingId, callId: '', title: '', status: 'scheduled', role: 'expert', organizer: false, mayEnter: true });
		expect(overview!.agenda[1]).toMatchObject({ recused: true });
		expect(JSON.stringify(overview)).not.toContain(f.items[1].title);
		const [chair, e6] = await connect(f.meetingId, 'chair', 'expert6');
		expect((await chair.send('meeting:start', {})).ok).toBe(true);
		await chair.send('meeting:goto', { itemId: chair.state!.items[1].id });
		await e6.until((v) => v.meeting.currentItemId === chair.state!.items[1].id, 'on the item');
		await expectRecused(e6, chair, 1, [f.items[1].title], 'expert6');
	});

	it('is lifted only by the secretary or an admin, with a reason, once no conflict holds', async () => {
		const { liftRecusal, listRecusals } = await import('../../src/lib/server/meetings/recusals');
		const { decideInstitutionChange } = await import('../../src/lib/server/experts/manage');
		const f = await meetingFixture(t.db, { requiresBallot: false });
		const [chair, e6] = await connect(f.meetingId, 'chair', 'expert6');
		expect((await chair.send('meeting:start', {})).ok).toBe(true);
		const intake = actor(await userId('intake'), '刘芳');
		const [row] = (await listRecusals(t.db, f.meetingId)).filter((r) => r.userId === e6.state!.me.userId);
		expect(row).toMatchObject({ stillConflicted: true, liftedAt: null });
		// While expert6 still works at the applicant, nothing lifts it.
		expect(await liftRecusal(t.db, intake, { meetingId: f.meetingId, recusalId: row.id, reason: '误判' })).toBe('stillConflicted');
		// The move approved, the secretary lifts it with a reason; it is audited and the room lets them in.
		const x6 = await expertOf('expert6');
		await updateOwnProfile(t.db, actor(e6.state!.me.userId, x6.name), x6.id, { institution: '中国科学院电工研究所', title: x6.title, primaryField: x6.primaryField, secondaryFields: x6.secondaryFields, email: x6.email, phone: x6.phone });
		const [change] = await t.db.select().from(s.expertInstitutionChanges).where(eq(s.expertInstitutionChanges.expertId, x6.id));
		// Pending: the requested institution does not free them either.
		expect(await liftRecusal(t.db, intake, { meetingId: f.meetingId, recusalId: row.id, reason: '误判' })).toBe('stillConflicted');
		await decideInstitutionChange(t.db, intake, { expertId: x6.id, changeId: change.id, approve: true, note: '' });
		expect(await liftRecusal(t.db, intake, { meetingId: f.meetingId, recusalId: row.id, reason: '已调离该企业满三年，经处务会同意参加评审' })).toBe('ok');
		expect(await liftRecusal(t.db, intake, { meetingId: f.meetingId, recusalId: row.id, reason: '再次' })).toBe('notFound');
		const [audited] = await t.db.select().from(s.auditLog).where(eq(s.auditLog.action, 'meeting.recusal_lifted'));
		expect(audited.details).toMatchObject({ recusalId: row.id, reason: '已调离该企业满三年，经处务会同意参加评审' });
		const { emit } = await import('../../src/lib/server/events');
		emit('meeting.changed', { meetingId: f.meetingId });
		await e6.until((v) => !v.items[1].recused, 'back in after the lift');
		// The record stays as it was lifted: no raw SQL edits or deletes it.
		const { dbError } = await import('../helpers/db');
		for (const statement of [
			sql`UPDATE meeting_recusals SET lift_reason = '改写' WHERE id = ${row.id}`,
			sql`DELETE FROM meeting_recusals WHERE id = ${row.id}`,
			sql`UPDATE meeting_recusals SET reason = '无' WHERE meeting_id = ${f.meetingId}`
		])
			expect(await dbError(t.db.execute(statement))).toMatch(/meeting_recusals is a record/);
		const kept = await t.db.select().from(s.meetingRecusals).where(eq(s.meetingRecusals.id, row.id));
		expect(kept[0]).toMatchObject({ liftReason: '已调离该企业满三年，经处务会同意参加评审' });
	});

	it('keeps one request per expert: saving again keeps it, the old institution back withdraws it', async () => {
		const x6 = await expertOf('expert6');
		const who = actor(await userId('expert6'), x6.name);
		const profile = (institution: string, phone: string | null = x6.phone) => ({ institution, title: x6.title, primaryField: x6.primaryField, secondaryFields: x6.secondaryFields, email: x6.email, phone });
		expect(await updateOwnProfile(t.db, who, x6.id, profile('中国科学院电工研究所'))).toEqual({ institution: 'requested' });
		expect(await updateOwnProfile(t.db, who, x6.id, profile('中国科学院电工研究所', '010-62781234'))).toEqual({ institution: 'requested' });
		const pending = await t.db.select().from(s.expertInstitutionChanges).where(and(eq(s.expertInstitutionChanges.expertId, x6.id), eq(s.expertInstitutionChanges.status, 'pending')));
		expect(pending).toHaveLength(1);
		expect((await expertOf('expert6')).phone).toBe('010-62781234');
		expect(await updateOwnProfile(t.db, who, x6.id, profile(home))).toEqual({ institution: 'withdrawn' });
		expect(await t.db.select().from(s.expertInstitutionChanges).where(eq(s.expertInstitutionChanges.status, 'pending'))).toHaveLength(0);
		expect((await expertOf('expert6')).institution).toBe(home);
	});

	it('cannot be un-recused with raw SQL while in force', async () => {
		const { dbError } = await import('../helpers/db');
		const f = await meetingFixture(t.db, { requiresBallot: false });
		const { establishRecusals } = await import('../../src/lib/server/meetings/recusals');
		expect(await establishRecusals(t.db, f.meetingId)).toBe(1);
		const [row] = await t.db.select().from(s.meetingRecusals).where(eq(s.meetingRecusals.meetingId, f.meetingId));
		for (const statement of [
			sql`DELETE FROM meeting_recusals WHERE id = ${row.id}`,
			sql`UPDATE meeting_recusals SET lifted_at = now() WHERE id = ${row.id}`,
			sql`UPDATE meeting_recusals SET lifted_at = now(), lifted_by = ${row.userId}, lift_reason = ' ' WHERE id = ${row.id}`,
			sql`UPDATE meeting_recusals SET user_id = (SELECT id FROM users WHERE username = 'expert1') WHERE id = ${row.id}`,
			sql`TRUNCATE meeting_recusals`
		])
			expect(await dbError(t.db.execute(statement))).toMatch(/meeting_recusals/);
		expect(await t.db.select().from(s.meetingRecusals).where(and(eq(s.meetingRecusals.id, row.id), isNull(s.meetingRecusals.liftedAt)))).toHaveLength(1);
		// Deleting the (scheduled) meeting takes its recusals with it.
		await t.db.delete(s.meetings).where(eq(s.meetings.id, f.meetingId));
		expect(await t.db.select().from(s.meetingRecusals).where(eq(s.meetingRecusals.meetingId, f.meetingId))).toHaveLength(0);
	});
});
