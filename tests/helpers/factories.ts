// Small factories for the intake and review tests: principals by username, audit actors,
// a call of one's own, draft inputs and batches of submitted applications, built on the demo
// organization.
import { eq } from 'drizzle-orm';
import * as s from '../../db/schema';
import type { Db } from '../../src/lib/server/db';
import { loadPrincipal, type Principal } from '../../src/lib/server/auth/principal';
import type { AuditActor } from '../../src/lib/server/audit';
import type { DraftInput } from '../../src/lib/server/applications/schemas';
import { makeCreditCode } from '../../src/lib/credit-code';
import { importApplications } from '../../src/lib/server/imports/applications';

export async function principal(db: Db, username: string): Promise<Principal> {
	const [u] = await db.select().from(s.users).where(eq(s.users.username, username));
	if (!u) throw new Error(`no user ${username}`);
	return loadPrincipal(db, { id: u.id, username: u.username, name: u.name, email: u.email, isAdmin: u.isAdmin, active: u.active, locale: u.locale, color: u.color }, 'test-session');
}

export function actorOf(p: Principal): AuditActor {
	return { id: p.user.id, name: p.user.name, ip: '127.0.0.1' };
}

export async function callByCode(db: Db, code: string) {
	const [call] = await db.select().from(s.calls).where(eq(s.calls.code, code));
	return call;
}

export async function applicationByNumber(db: Db, number: string) {
	const [app] = await db.select().from(s.applications).where(eq(s.applications.number, number));
	return app;
}

export async function expertByUsername(db: Db, username: string) {
	const [row] = await db.select({ expert: s.experts }).from(s.experts).innerJoin(s.users, eq(s.users.id, s.experts.userId)).where(eq(s.users.username, username));
	return row.expert;
}

let enterpriseSerial = 0;

/** A fresh applicant account with its enterprise; returns the principal. */
export async function newApplicant(db: Db, name = `测试申报企业${++enterpriseSerial}科技有限公司`): Promise<Principal> {
	const username = `applicant-t${Date.now().toString(36)}${enterpriseSerial}`;
	const [user] = await db.insert(s.users).values({ username, name: '测试联系人', passwordHash: 'x' }).returning();
	await db.insert(s.enterprises).values({ userId: user.id, name, contactName: '测试联系人', contactPhone: '010-66668888' });
	return principal(db, username);
}

export function completeDraft(overrides: Partial<DraftInput> = {}): DraftInput {
	return {
		enterpriseName: '北京测试传感科技有限公司',
		creditCode: makeCreditCode('9', '1', '110108', String(10000000 + enterpriseSerial * 7919).slice(0, 8)),
		contactName: '王测试',
		contactPhone: '010-62750000',
		contactEmail: 'wang@example.cn',
		title: '高精度柔性压力传感器研发及产业化',
		field: 'electronicInformation',
		fundingMode: 'grant',
		requestedAmount: 80,
		isMajor: false,
		summary: '研发基于新型纳米复合材料的柔性压力传感器，面向可穿戴医疗和工业机器人触觉应用。',
		team: [{ name: '王测试', role: '项目负责人', title: '高级工程师' }],
		budget: [
			{ item: '设备费', amount: 60, note: '' },
			{ item: '材料费', amount: 40, note: '' }
		],
		...overrides
	};
}

/**
 * `count` submitted applications in a call, through the import (numbered and audited as real
 * ones are). Enterprise names start with `prefix`, a search term that finds these alone;
 * amounts repeat (50, 60, 70, 50, ...) so that sorting by amount has ties.
 */
export async function submittedApplications(db: Db, callCode: string, prefix: string, count: number, firstOrg = 60000000) {
	const call = await callByCode(db, callCode);
	const header = '企业名称,统一社会信用代码,联系人,联系电话,项目名称,技术领域,支持方式,申请金额（万元）,项目摘要';
	const rows = Array.from({ length: count }, (_, i) =>
		[`${prefix}${i + 1}科技有限公司`, makeCreditCode('9', '1', '320100', String(firstOrg + i)), '测试联系人', '025-1234567', `${prefix}项目${i + 1}`, '电子信息', '无偿资助', 50 + (i % 3) * 10, '分页测试用的项目摘要。'].join(',')
	);
	const intake = await principal(db, 'intake');
	const result = await importApplications(db, actorOf(intake), call.id, [header, ...rows].join('\n'));
	if (result.created !== count) throw new Error(`submittedApplications: ${JSON.stringify(result.errors.slice(0, 3))}`);
	return call;
}
