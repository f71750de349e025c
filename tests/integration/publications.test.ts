// Issue 11, publication (公示) and objections, from the side of those the rules guard against:
// a late or automated objector, a member of the public reading what they must not, a non-staff
// user trying to publish or handle, someone writing the database directly, two finalizations
// at once. Domain level on the demo data (PGlite, or Postgres with DATABASE_URL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import * as s from '../../db/schema';
import { createTestDatabase, dbError, type TestDatabase } from '../helpers/db';
import { seedDemo } from '../../src/lib/server/demo/seed';
import { principal, actorOf } from '../helpers/factories';
import { DEMO_PUBLICATION_TITLE, DEMO_SECOND_MEETING_TITLE } from '../../src/lib/server/demo/publications';
import {
	acknowledgeObjection,
	decideObjection,
	finalizePublication,
	lodgeObjection,
	objectionByReceipt,
	objectionsOf,
	periodEnd,
	publicPublications,
	publish
} from '../../src/lib/server/publications';

let t: TestDatabase;
beforeAll(async () => {
	t = await createTestDatabase();
	await seedDemo(t.db);
}, 180_000);
afterAll(async () => {
	await t?.drop();
});

async function demoPublication() {
	const [pub] = await t.db.select().from(s.publications).where(eq(s.publications.title, DEMO_PUBLICATION_TITLE));
	const rows = await t.db.select().from(s.publicationRows).where(eq(s.publicationRows.publicationId, pub.id));
	return { pub, rows };
}

const objector = (rowId: string) => ({
	kind: 'person' as const,
	name: '钱多多',
	organization: '某某研究院',
	title: '研究员',
	contactName: '',
	phone: '010-12345678',
	address: '北京市海淀区中关村大街 1 号',
	rowId,
	grounds: '申报单位的核心专利权属存在争议，详见所附材料，请核查。'
});

describe('the demo publication', () => {
	it('lists the funded items of the closed second meeting, and one pending objection', async () => {
		const { pub, rows } = await demoPublication();
		expect(pub.status).toBe('open');
		expect(rows.map((r) => r.label).sort()).toEqual(['IF2026-0006', 'IF2026-0007', 'IF2026-0010']);
		const objections = await t.db.select().from(s.publicationObjections).where(eq(s.publicationObjections.publicationId, pub.id));
		expect(objections).toHaveLength(1);
		expect(objections[0].status).toBe('received');
		const [m] = await t.db.select().from(s.meetings).where(eq(s.meetings.title, DEMO_SECOND_MEETING_TITLE));
		expect(m.status).toBe('closed');
		expect(m.minutesDocumentId).not.toBeNull();
	});
});

describe('working days', () => {
	it('skip weekends and holidays and count make-up working days (2026 National Day)', async () => {
		const { loadExceptions } = await import('../../src/lib/server/publications');
		const start = new Date('2026-09-29T10:00:00+08:00');
		const ex = await loadExceptions(t.db, start);
		// 9-30 (Wed) is day 1; 10-1..10-7 holidays; 10-8 (Thu) 2, 10-9 (Fri) 3, 10-10 (Sat, make-up) 4, 10-12 5.
		expect(periodEnd(start, 5, 'workingDays', ex).toISOString()).toBe(new Date('2026-10-13T00:00:00+08:00').toISOString());
		expect(periodEnd(start, 5, 'days', ex).toISOString()).toBe(new Date('2026-10-05T00:00:00+08:00').toISOString());
	});
});

describe('who may publish and handle', () => {
	it('refuses publishing to an expert, an applicant and another division; a second open list of the call', async () => {
		const { pub } = await demoPublication();
		for (const u of ['expert1', 'applicant1', 'planner']) {
			const p = await principal(t.db, u);
			const r = await publish(t.db, p, actorOf(p), pub.callId, { kind: 'funding', title: '不应发布', notice: '', periodLength: 7, periodUnit: 'workingDays' });
			expect(r).toEqual({ ok: false, code: 'forbidden' });
		}
		const staff = await principal(t.db, 'intake');
		const again = await publish(t.db, staff, actorOf(staff), pub.callId, { kind: 'funding', title: '重复公示', notice: '', periodLength: 7, periodUnit: 'workingDays' });
		expect(again).toEqual({ ok: false, code: 'alreadyOpen' });
	});

	it('shows objections (with identity) only to the call’s staff; others cannot acknowledge or decide', async () => {
		const { pub } = await demoPublication();
		const [o] = await t.db.select().from(s.publicationObjections).where(eq(s.publicationObjections.publicationId, pub.id));
		for (const u of ['expert1', 'applicant1', 'planner', 'chair']) {
			const p = await principal(t.db, u);
			expect(await objectionsOf(t.db, p, pub.id)).toEqual({ ok: false, code: 'forbidden' });
			expect(await acknowledgeObjection(t.db, p, actorOf(p), o.id)).toEqual({ ok: false, code: 'forbidden' });
			expect(await decideObjection(t.db, p, actorOf(p), o.id, 'dismissed', '不成立的理由')).toEqual({ ok: false, code: 'forbidden' });
		}
		const [after] = await t.db.select().from(s.publicationObjections).where(eq(s.publicationObjections.id, o.id));
		expect(after.status).toBe('received');
	});
});

describe('the public view', () => {
	it('holds no expert, score or declined applicant', async () => {
		const json = JSON.stringify(await publicPublications(t.db));
		const experts = await t.db.select({ name: s.experts.name }).from(s.experts);
		for (const e of experts) expect(json).not.toContain(e.name);
		expect(json).not.toContain('西安秦川智能装备有限公司');
		expect(json).not.toContain('IF2026-0009');
		expect(json).not.toMatch(/score|total|ballot|basis|rationale/i);
		// Nor the objector.
		expect(json).not.toContain('赵文博');
		expect(json).toContain('武汉光谷激光装备有限公司');
	});
});

describe('objections', () => {
	it('are refused after the period (late) and before it, with nothing written', async () => {
		const { pub, rows } = await demoPublication();
		const before = await t.db.$count(s.publicationObjections);
		const late = await lodgeObjection(t.db, pub.id, objector(rows[0].id), [], { userId: null, ip: '1.2.3.4', now: new Date(pub.endsAt.getTime() + 1) });
		expect(late).toEqual({ ok: false, code: 'late' });
		const exactlyAtEnd = await lodgeObjection(t.db, pub.id, objector(rows[0].id), [], { userId: null, ip: '1.2.3.4', now: pub.endsAt });
		expect(exactlyAtEnd).toEqual({ ok: false, code: 'late' });
		const early = await lodgeObjection(t.db, pub.id, objector(rows[0].id), [], { userId: null, ip: '1.2.3.4', now: new Date(pub.startsAt.getTime() - 1000) });
		expect(early).toEqual({ ok: false, code: 'early' });
		expect(await t.db.$count(s.publicationObjections)).toBe(before);
	});

	it('refuses a row of another publication and a replayed token nonce', async () => {
		const { pub } = await demoPublication();
		const wrong = await lodgeObjection(t.db, pub.id, objector('00000000-0000-4000-8000-000000000000'), [], { userId: null, ip: null });
		expect(wrong).toEqual({ ok: false, code: 'noSuchRow' });
		const { rows } = await demoPublication();
		const first = await lodgeObjection(t.db, pub.id, objector(rows[0].id), [], { userId: null, ip: null, nonce: 'nonce-replay-test' });
		expect(first.ok).toBe(true);
		const before = await t.db.$count(s.publicationObjections);
		const replay = await lodgeObjection(t.db, pub.id, objector(rows[0].id), [], { userId: null, ip: null, nonce: 'nonce-replay-test' });
		expect(replay).toEqual({ ok: false, code: 'tokenUsed' });
		expect(await t.db.$count(s.publicationObjections)).toBe(before);
		if (first.ok) expect((await objectionByReceipt(t.db, first.receipt))?.status).toBe('received');
	});

	it('refuses files that are not PDF/JPEG/PNG or too large', async () => {
		const { pub, rows } = await demoPublication();
		const exe = await lodgeObjection(t.db, pub.id, objector(rows[0].id), [{ name: 'a.pdf', type: 'application/pdf', bytes: new TextEncoder().encode('MZ not a pdf') }], { userId: null, ip: null });
		expect(exe).toEqual({ ok: false, code: 'fileType' });
		const big = new Uint8Array(5 * 1024 * 1024 + 1);
		big.set([0x89, 0x50, 0x4e, 0x47]);
		expect(await lodgeObjection(t.db, pub.id, objector(rows[0].id), [{ name: 'b.png', type: 'image/png', bytes: big }], { userId: null, ip: null })).toEqual({ ok: false, code: 'fileTooLarge' });
	});
});

describe('handling, reopening and finalization', () => {
	it('an upheld objection reopens the decision and takes the item off the final list; finalize waits for nothing pending', async () => {
		const { pub, rows } = await demoPublication();
		const staff = await principal(t.db, 'intake');
		const pending = await t.db.select().from(s.publicationObjections).where(eq(s.publicationObjections.publicationId, pub.id));
		const after = new Date(pub.endsAt.getTime() + 1000);
		expect(await finalizePublication(t.db, { principal: staff, actor: actorOf(staff) }, pub.id, new Date(pub.endsAt.getTime() - 1000))).toEqual({ ok: false, code: 'periodRunning' });
		expect(await finalizePublication(t.db, { principal: staff, actor: actorOf(staff) }, pub.id, after)).toEqual({ ok: false, code: 'pending' });
		// Decide before acknowledging: refused.
		const target = pending.find((o) => rows.find((r) => r.id === o.rowId)?.label === 'IF2026-0007')!;
		expect(await decideObjection(t.db, staff, actorOf(staff), target.id, 'upheld', '经核查，业绩表述不实。')).toEqual({ ok: false, code: 'notAcknowledged' });
		for (const o of pending) expect(await acknowledgeObjection(t.db, staff, actorOf(staff), o.id)).toEqual({ ok: true });
		const upheld = await decideObjection(t.db, staff, actorOf(staff), target.id, 'upheld', '经核查，业绩表述不实。');
		expect(upheld.ok).toBe(true);
		for (const o of pending.filter((x) => x.id !== target.id)) expect((await decideObjection(t.db, staff, actorOf(staff), o.id, 'dismissed', '经核查，异议理由不成立。')).ok).toBe(true);
		// Decided twice: refused.
		expect(await decideObjection(t.db, staff, actorOf(staff), target.id, 'dismissed', '改判')).toEqual({ ok: false, code: 'decided' });

		const app7 = rows.find((r) => r.label === 'IF2026-0007')!;
		const reopens = await t.db.select().from(s.meetingDecisionReopens).where(eq(s.meetingDecisionReopens.decisionId, app7.decisionId!));
		expect(reopens).toHaveLength(1);
		expect(reopens[0].reason).toContain('异议成立');
		const [app] = await t.db.select().from(s.applications).where(eq(s.applications.id, app7.applicationId!));
		expect(app.status).not.toBe('decided');

		// Two staff (or two nodes) at once: one finalization.
		const admin = await principal(t.db, 'admin');
		const results = await Promise.all([
			finalizePublication(t.db, { principal: staff, actor: actorOf(staff) }, pub.id, after),
			finalizePublication(t.db, { principal: admin, actor: actorOf(admin) }, pub.id, after),
			finalizePublication(t.db, null, pub.id, after)
		]);
		expect(results.every((r) => r.ok)).toBe(true);
		expect(results.filter((r) => r.ok && !r.already)).toHaveLength(1);
		const finals = await t.db.select().from(s.auditLog).where(eq(s.auditLog.action, 'publication.finalized'));
		expect(finals).toHaveLength(1);
		const [locked] = await t.db.select().from(s.publications).where(eq(s.publications.id, pub.id));
		expect(locked.status).toBe('final');
		expect(locked.sha256).toMatch(/^[0-9a-f]{64}$/);
		expect((locked.finalList ?? []).map((r) => r.label)).toEqual(['IF2026-0006', 'IF2026-0010']);
		const publicView = (await publicPublications(t.db)).find((p) => p.id === pub.id)!;
		expect(publicView.rows.map((r) => r.label)).toEqual(['IF2026-0006', 'IF2026-0010']);

		// Late objection to a final list: refused (not open).
		expect(await lodgeObjection(t.db, pub.id, objector(rows[0].id), [], { userId: null, ip: null })).toEqual({ ok: false, code: 'notOpen' });
	});

	it('the database refuses changes to a published snapshot and to a final list', async () => {
		const { pub, rows } = await demoPublication();
		expect(await dbError(t.db.update(s.publicationRows).set({ amount: '999.00' }).where(eq(s.publicationRows.id, rows[0].id)))).toMatch(/published snapshot/);
		expect(await dbError(t.db.delete(s.publicationRows).where(eq(s.publicationRows.id, rows[0].id)))).toMatch(/published snapshot/);
		expect(await dbError(t.db.update(s.publications).set({ title: '篡改' }).where(eq(s.publications.id, pub.id)))).toMatch(/final/);
		expect(await dbError(t.db.delete(s.publications).where(eq(s.publications.id, pub.id)))).toMatch(/published snapshot/);
		expect(await dbError(t.db.execute(sql`UPDATE publications SET sha256 = repeat('0', 64) WHERE id = ${pub.id}`))).toMatch(/final/);
		const [o] = await t.db.select().from(s.publicationObjections).where(and(eq(s.publicationObjections.publicationId, pub.id)));
		expect(await dbError(t.db.update(s.publicationObjections).set({ status: 'received' }).where(eq(s.publicationObjections.id, o.id)))).toMatch(/final/);
	});
});
