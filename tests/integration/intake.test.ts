// Calls, applications and intake against a real database (PGlite, or Postgres with
// DATABASE_URL): attachments as bytea, the status machine in code and in the database,
// frozen submissions and rubrics, drafts to submission, formal review, CSV and XLSX imports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import * as s from '../../db/schema';
import { createTestDatabase, dbError, type TestDatabase } from '../helpers/db';
import { actorOf, applicationByNumber, callByCode, completeDraft, newApplicant, principal, submittedApplications } from '../helpers/factories';
import { seedDemo, STEPS } from '../../src/lib/server/demo/seed';
import { makePdf } from '../../src/lib/server/demo/pdf';
import { addAttachment, createDraft, listAttachments, saveDraft, submitApplication } from '../../src/lib/server/applications/drafts';
import { IllegalTransition, transition } from '../../src/lib/server/applications/status';
import { acceptApplication, bulkAccept, intakeContext, rejectApplication, saveChecks } from '../../src/lib/server/intake';
import { getVisibleApplication, listApplications, pageOfApplications } from '../../src/lib/server/applications/queries';
import { pageLinks, parsePageRequest } from '../../src/lib/paging';
import { updateCall } from '../../src/lib/server/calls/manage';
import { callSettingsSchema } from '../../src/lib/server/calls/schemas';
import { loadRubrics } from '../../src/lib/server/calls/queries';
import { checkApplicationImport, importApplications } from '../../src/lib/server/imports/applications';
import { checkExpertImport, importExperts } from '../../src/lib/server/imports/experts';
import { decodeCsv } from '../../src/lib/server/imports/csv';
import { withCellErrors } from '../../src/lib/server/imports/preview';
import { readUploadBytes } from '../../src/lib/server/messages/imports';
import { toCsv } from '../../src/lib/server/exports/table';
import { parse } from '../../src/lib/server/validation';
import { toBeijingInput } from '../../src/lib/datetime';
import { makeCreditCode } from '../../src/lib/credit-code';

let t: TestDatabase;

beforeAll(async () => {
	t = await createTestDatabase();
	// The organization alone: these tests make the applications and reviews they need.
	await seedDemo(t.db, STEPS.filter((step) => step.name === 'organization'));
});
afterAll(async () => t?.drop());

async function auditActions(entityId: string) {
	return (await t.db.select({ action: s.auditLog.action, details: s.auditLog.details }).from(s.auditLog).where(eq(s.auditLog.entityId, entityId))).map((r) => r.action);
}

describe('attachments in the database', () => {
	it('store and return bytes unchanged (bytea as Uint8Array on this driver)', async () => {
		const app = await applicationByNumber(t.db, 'IF2026-0001');
		const bytes = new Uint8Array(70_000).map((_, i) => (i * 31 + 7) % 256);
		bytes.set(new TextEncoder().encode('%PDF-1.4'), 0);
		const [row] = await t.db
			.insert(s.applicationAttachments)
			.values({ applicationId: app.id, kind: 'other', fileName: 'raw.pdf', size: bytes.length, sha256: 'x', data: bytes })
			.returning({ id: s.applicationAttachments.id });
		const [back] = await t.db.select({ data: s.applicationAttachments.data }).from(s.applicationAttachments).where(eq(s.applicationAttachments.id, row.id));
		expect(back.data).toBeInstanceOf(Uint8Array);
		expect(back.data.length).toBe(bytes.length);
		expect(Buffer.from(back.data).equals(Buffer.from(bytes))).toBe(true);
		await t.db.delete(s.applicationAttachments).where(eq(s.applicationAttachments.id, row.id));
	});
});

describe('the application status machine', () => {
	it('refuses illegal transitions in code, and writes an audit entry for legal ones', async () => {
		const intake = await principal(t.db, 'intake');
		const app = await applicationByNumber(t.db, 'IF2026-0011'); // submitted
		await expect(transition(t.db, actorOf(intake), app, 'assigned')).rejects.toBeInstanceOf(IllegalTransition);
		await expect(transition(t.db, actorOf(intake), app, 'draft')).rejects.toBeInstanceOf(IllegalTransition);
		const rejected = await applicationByNumber(t.db, 'IF2026-0017');
		await expect(transition(t.db, actorOf(intake), rejected, 'accepted')).rejects.toBeInstanceOf(IllegalTransition);
		expect((await applicationByNumber(t.db, 'IF2026-0011')).status).toBe('submitted');
	});

	it('the database refuses them too, whoever writes', async () => {
		const app = await applicationByNumber(t.db, 'IF2026-0012');
		expect(await dbError(t.db.execute(sql`UPDATE applications SET status = 'reviewed' WHERE id = ${app.id}`))).toMatch(/not allowed/);
		expect(await dbError(t.db.execute(sql`UPDATE applications SET status = 'draft' WHERE id = ${app.id}`))).toMatch(/not allowed/);
		const rejected = await applicationByNumber(t.db, 'IF2026-0018');
		expect(await dbError(t.db.execute(sql`UPDATE applications SET status = 'accepted' WHERE id = ${rejected.id}`))).toMatch(/not allowed/);
	});

	it('freezes a submitted application’s content and takes no new attachment', async () => {
		const app = await applicationByNumber(t.db, 'IF2026-0012');
		expect(await dbError(t.db.execute(sql`UPDATE applications SET title = 'changed' WHERE id = ${app.id}`))).toMatch(/submitted/);
		expect(await dbError(t.db.execute(sql`UPDATE applications SET requested_amount = 1 WHERE id = ${app.id}`))).toMatch(/submitted/);
		const pdf = makePdf([['late']]);
		expect(
			await dbError(t.db.insert(s.applicationAttachments).values({ applicationId: app.id, kind: 'other', fileName: 'late.pdf', size: pdf.length, sha256: 'x', data: pdf }))
		).toMatch(/submitted/);
	});
});

describe('a call’s rubric', () => {
	it('cannot change once an application has been submitted: in the app and in the database', async () => {
		const call = await callByCode(t.db, 'IF2026');
		const admin = await principal(t.db, 'admin');
		const rubrics = await loadRubrics(t.db, call.id);
		const settings = parse(callSettingsSchema, {
			code: call.code,
			year: String(call.year),
			title: call.title,
			titleEn: call.titleEn,
			description: '',
			status: 'open',
			opensAt: toBeijingInput(call.opensAt),
			closesAt: toBeijingInput(call.closesAt),
			fields: call.fields,
			fundingModes: call.fundingModes,
			ceiling: '100',
			majorCeiling: '200',
			reviewersPerApplication: '3',
			financeReviewers: '1',
			maxPerExpert: '10',
			selection: 'matching',
			minTechnicalShare: '0.6',
			poolFactor: '3',
			aggregation: 'mean',
			discrepancyThreshold: '15',
			checklist: JSON.stringify(call.intakeChecklist)
		});
		expect(settings.ok).toBe(true);
		if (!settings.ok) return;
		const result = await updateCall(t.db, actorOf(admin), call.id, settings.data, rubrics);
		expect(result).toEqual({ ok: false, problem: 'rubricLocked' });
		// Settings alone still save.
		expect(await updateCall(t.db, actorOf(admin), call.id, settings.data, null)).toEqual({ ok: true, id: call.id });
		const item = rubrics[0].groups[0].items[0];
		expect(await dbError(t.db.execute(sql`UPDATE rubric_items SET weight = 6 WHERE id = ${item.id}`))).toMatch(/locked/);
		expect(await dbError(t.db.execute(sql`DELETE FROM rubric_rules WHERE rubric_id = ${rubrics[0].id}`))).toMatch(/locked/);
		expect(await dbError(t.db.execute(sql`INSERT INTO rubric_groups (rubric_id, key, name, name_en) VALUES (${rubrics[0].id}, 'x', 'x', 'x')`))).toMatch(/locked/);
	});

	it('refuses call settings that break the rules, with a message per field', () => {
		const bad = parse(callSettingsSchema, {
			code: 'if 2027',
			year: '2027',
			title: '',
			titleEn: '',
			description: '',
			status: 'open',
			opensAt: '2027-03-01T00:00',
			closesAt: '2027-02-01T00:00',
			fields: [],
			fundingModes: ['grant'],
			ceiling: '100',
			majorCeiling: '50',
			reviewersPerApplication: '3',
			financeReviewers: '0',
			maxPerExpert: '10',
			selection: 'draw',
			minTechnicalShare: '0.6',
			poolFactor: '3',
			aggregation: 'mean',
			discrepancyThreshold: '15',
			checklist: '[]'
		});
		expect(bad.ok).toBe(false);
		if (bad.ok) return;
		expect(Object.keys(bad.errors).sort()).toEqual(['closesAt', 'code', 'fields', 'financeReviewers', 'majorCeiling', 'title']);
		expect(bad.errors.closesAt).toBe('截止时间必须晚于开始时间。');
	});
});

describe('from draft to submission', () => {
	it('an applicant starts a draft, saves it, attaches PDFs and submits; then it is frozen', async () => {
		const call = await callByCode(t.db, 'IF2026');
		const p = await newApplicant(t.db);
		const actor = actorOf(p);
		const created = await createDraft(t.db, p, actor, { callId: call.id, title: '柔性压力传感器', field: 'electronicInformation', fundingMode: 'grant' });
		expect(created.ok).toBe(true);
		if (!created.ok) return;
		// One application per enterprise per call: asking again returns the same one.
		expect(await createDraft(t.db, p, actor, { callId: call.id, title: 'x', field: 'biomedicine', fundingMode: 'grant' })).toEqual({ ok: true, id: created.id, existing: true });
		const draft = completeDraft();
		expect((await saveDraft(t.db, p, created.id, { ...draft, summary: '半成品' })).ok).toBe(true);

		// Incomplete: each problem by field, nothing submitted.
		const incomplete = await submitApplication(t.db, p, actor, created.id, { ...draft, creditCode: '91110108734251710X', requestedAmount: 150, summary: '短', team: [] });
		expect(incomplete.ok).toBe(false);
		if (!incomplete.ok && incomplete.problem === 'invalid') expect(Object.keys(incomplete.errors).sort()).toEqual(['attachments', 'budget', 'creditCode', 'requestedAmount', 'summary', 'team']);

		// Attachments are checked by content.
		expect(await addAttachment(t.db, p, actor, created.id, { kind: 'proposal', name: 'proposal.pdf', bytes: new TextEncoder().encode('not a pdf at all') })).toEqual({ ok: false, problem: 'notPdf' });
		expect((await addAttachment(t.db, p, actor, created.id, { kind: 'proposal', name: '../../申报书.pdf', bytes: makePdf([['Proposal'], ['Plan']]) })).ok).toBe(true);
		expect((await addAttachment(t.db, p, actor, created.id, { kind: 'financials', name: '财务报表', bytes: makePdf([['Accounts']]) })).ok).toBe(true);
		const files = await listAttachments(t.db, created.id);
		expect(files.map((f) => [f.kind, f.fileName, f.pages])).toEqual([
			['proposal', '申报书.pdf', 2],
			['financials', '财务报表.pdf', 1]
		]);

		const ok = await submitApplication(t.db, p, actor, created.id, draft);
		expect(ok).toEqual({ ok: true });
		const [app] = await t.db.select().from(s.applications).where(eq(s.applications.id, created.id));
		expect(app.status).toBe('submitted');
		expect(app.submittedAt).toBeInstanceOf(Date);
		expect(await auditActions(created.id)).toEqual(expect.arrayContaining(['application.created', 'application.attachment_added', 'application.status']));
		// Nothing more can be added or changed.
		expect((await saveDraft(t.db, p, created.id, draft)).ok).toBe(false);
		expect(await addAttachment(t.db, p, actor, created.id, { kind: 'other', name: 'late.pdf', bytes: makePdf([['late']]) })).toEqual({ ok: false, problem: 'notDraft' });
	});

	it('nothing is submitted after the close date, and another enterprise’s application stays hidden', async () => {
		const call = await callByCode(t.db, 'IF2026');
		const p = await newApplicant(t.db);
		const created = await createDraft(t.db, p, actorOf(p), { callId: call.id, title: '项目', field: 'biomedicine', fundingMode: 'grant' });
		if (!created.ok) throw new Error('draft');
		const late = new Date(call.closesAt.getTime() + 1000);
		expect(await submitApplication(t.db, p, actorOf(p), created.id, completeDraft({ field: 'biomedicine' }), late)).toEqual({ ok: false, problem: 'callClosed' });
		const other = await newApplicant(t.db);
		expect(await getVisibleApplication(t.db, other, created.id)).toBeNull();
		expect((await saveDraft(t.db, other, created.id, completeDraft())).ok).toBe(false);
		// Staff never see drafts.
		expect(await getVisibleApplication(t.db, await principal(t.db, 'intake'), created.id)).toBeNull();
	});
});

describe('formal review at intake', () => {
	it('accepts only when every checklist item passed; rejects with the reason the applicant reads', async () => {
		const intake = await principal(t.db, 'intake');
		const call = await callByCode(t.db, 'IF2026');
		const app = await applicationByNumber(t.db, 'IF2026-0013');
		const keys = call.intakeChecklist.map((c) => c.key);
		expect(await acceptApplication(t.db, intake, actorOf(intake), app.id, [{ key: keys[0], passed: true, note: '' }])).toEqual({ ok: false, problem: 'incomplete' });
		expect(await saveChecks(t.db, intake, actorOf(intake), app.id, keys.map((key) => ({ key, passed: key !== 'budget', note: key === 'budget' ? '预算表缺少明细' : '' })))).toEqual({ ok: true });
		expect(await acceptApplication(t.db, intake, actorOf(intake), app.id)).toEqual({ ok: false, problem: 'failedChecks' });
		expect(await acceptApplication(t.db, intake, actorOf(intake), app.id, [{ key: 'budget', passed: true, note: '已补充说明' }])).toEqual({ ok: true });
		expect((await applicationByNumber(t.db, 'IF2026-0013')).status).toBe('accepted');
		expect(await acceptApplication(t.db, intake, actorOf(intake), app.id)).toEqual({ ok: false, problem: 'notSubmitted' });

		const other = await applicationByNumber(t.db, 'IF2026-0014');
		const reason = '申报材料中缺少经审计的上一年度财务报表。';
		expect(await rejectApplication(t.db, intake, actorOf(intake), other.id, reason)).toEqual({ ok: true });
		const after = await applicationByNumber(t.db, 'IF2026-0014');
		expect([after.status, after.rejectionReason]).toEqual(['rejected', reason]);
		const [entry] = await t.db.select().from(s.auditLog).where(and(eq(s.auditLog.entityId, other.id), eq(s.auditLog.action, 'application.status')));
		expect(entry.details).toMatchObject({ from: 'submitted', to: 'rejected', reason });
	});

	it('staff of another division see nothing of the call', async () => {
		const planner = await principal(t.db, 'planner');
		const app = await applicationByNumber(t.db, 'IF2026-0015');
		expect(await intakeContext(t.db, planner, app.id)).toBeNull();
		expect(await acceptApplication(t.db, planner, actorOf(planner), app.id)).toEqual({ ok: false, problem: 'notFound' });
		expect((await applicationByNumber(t.db, 'IF2026-0015')).status).toBe('submitted');
	});

	it('bulk acceptance skips applications with a finding against them', async () => {
		const intake = await principal(t.db, 'intake');
		const a = await applicationByNumber(t.db, 'IF2026-0015');
		const b = await applicationByNumber(t.db, 'IF2026-0016');
		const done = await applicationByNumber(t.db, 'IF2026-0002');
		// The demo applications have no attachments: a formal finding.
		const first = await bulkAccept(t.db, intake, actorOf(intake), [a.id, b.id, done.id]);
		expect(first.accepted).toEqual([]);
		expect(first.skipped.map((x) => x.reason).sort()).toEqual(['findings', 'findings', 'notSubmitted']);
		for (const id of [a.id, b.id]) {
			const pdf = makePdf([['x']]);
			await t.db.execute(sql`ALTER TABLE application_attachments DISABLE TRIGGER application_attachments_guard`);
			for (const kind of ['proposal', 'financials'] as const) await t.db.insert(s.applicationAttachments).values({ applicationId: id, kind, fileName: `${kind}.pdf`, size: pdf.length, sha256: 'x', data: pdf });
			await t.db.execute(sql`ALTER TABLE application_attachments ENABLE TRIGGER application_attachments_guard`);
		}
		const second = await bulkAccept(t.db, intake, actorOf(intake), [a.id, b.id]);
		expect(second.accepted.sort()).toEqual([a.id, b.id].sort());
		const checks = await t.db.select().from(s.intakeChecks).where(eq(s.intakeChecks.applicationId, a.id));
		expect(checks.length).toBe((await callByCode(t.db, 'IF2026')).intakeChecklist.length);
		expect(checks.every((c) => c.passed)).toBe(true);
	});
});

describe('CSV import, all or nothing', () => {
	const header = '企业名称,统一社会信用代码,联系人,联系电话,项目名称,技术领域,支持方式,申请金额（万元）,项目摘要,状态,不予受理原因';
	const code = (org: string) => makeCreditCode('9', '1', '320100', org);

	it('lists every error by line and column and writes nothing', async () => {
		const call = await callByCode(t.db, 'IF2026');
		const before = (await t.db.select({ n: sql<number>`count(*)::int` }).from(s.applications))[0].n;
		const csv = [
			header,
			`南京一号科技有限公司,${code('11111111')},张三,025-1234567,智能传感器,电子信息,无偿资助,80,研发智能传感器及其产业化。,已提交,`,
			`南京二号科技有限公司,91320100111111110X,李四,abc,项目二,占星术,无偿资助,500,摘要,已提交,`,
			`南京三号科技有限公司,${code('11111111')},,025-1234567,项目三,新材料,贷款贴息,50,摘要,不予受理,`,
			`南京四号科技有限公司,${code('22222222')},王五,025-1234567,项目四,Biomedicine,grant,60,摘要,已受理,`
		].join('\n');
		const check = await checkApplicationImport(t.db, call.id, csv);
		expect(check.ok).toBe(false);
		expect(check.errors.map((e) => [e.line, e.column])).toEqual([
			[3, '统一社会信用代码'],
			[3, '联系电话'],
			[3, '技术领域'],
			[3, '申请金额（万元）'],
			[4, '联系人'],
			[4, '统一社会信用代码'],
			[4, '不予受理原因']
		]);
		expect(check.errors.find((e) => e.line === 4 && e.column === '统一社会信用代码')!.message).toBe('与第 2 行重复。');
		const result = await importApplications(t.db, actorOf(await principal(t.db, 'intake')), call.id, csv);
		expect(result.created).toBe(0);
		expect((await t.db.select({ n: sql<number>`count(*)::int` }).from(s.applications))[0].n).toBe(before);
	});

	it('imports a valid file (GBK from Excel too) in one go, numbered in the call', async () => {
		const call = await callByCode(t.db, 'IF2026');
		const csv = [
			'序号,' + header + ',提交时间',
			`1,苏州甲科技有限公司,${code('33333333')},张三,0512-1234567,甲项目研发,新材料,无偿资助,80,新材料研发及产业化项目摘要。,已提交,,2026/09/01 10:00`,
			`2,苏州乙科技有限公司,${code('44444444')},李四,0512-7654321,乙项目研发,生物医药,贷款贴息,90,生物医药研发项目摘要。,已受理,,`
		].join('\r\n');
		const gbk = encodeGbk(csv);
		expect(decodeCsv(gbk)).toBe(csv);
		const check = await checkApplicationImport(t.db, call.id, decodeCsv(gbk));
		expect(check.errors).toEqual([]);
		expect(check.ignoredColumns).toEqual(['序号']);
		const result = await importApplications(t.db, actorOf(await principal(t.db, 'intake')), call.id, decodeCsv(gbk));
		expect(result.created).toBe(2);
		const imported = await t.db.select().from(s.applications).where(eq(s.applications.enterpriseName, '苏州乙科技有限公司'));
		expect(imported[0]).toMatchObject({ status: 'accepted', field: 'biomedicine', fundingMode: 'interestSubsidy' });
		expect(imported[0].number).toMatch(/^IF2026-\d{4}$/);
		// The same file again: every row is now a duplicate in the call.
		const again = await checkApplicationImport(t.db, call.id, csv);
		expect(again.errors.map((e) => e.line)).toEqual([2, 3]);
	});

	it('imports experts with the same all-or-nothing rule', async () => {
		const bad = ['姓名,工作单位,职称,专家类别,主要技术领域,其他技术领域', '张明,南京大学,教授,技术专家,新材料,节能与新能源；资源环境', ',南京大学,教授,会计,火箭,电子信息', '陈宏远,清华大学,教授,技术专家,电子信息,'].join('\n');
		const check = await checkExpertImport(t.db, bad);
		expect(check.errors.map((e) => [e.line, e.column])).toEqual([
			[3, '姓名'],
			[3, '专家类别'],
			[3, '主要技术领域'],
			[4, '姓名']
		]);
		expect((await importExperts(t.db, actorOf(await principal(t.db, 'intake')), bad)).created).toBe(0);
		const good = ['姓名,工作单位,职称,专家类别,主要技术领域,其他技术领域,在库', '张明,南京大学,教授,技术专家,新材料,节能与新能源；资源环境,是', '李华,立信会计师事务所,注册会计师,财务专家,高技术服务业,,否'].join('\n');
		expect((await importExperts(t.db, actorOf(await principal(t.db, 'intake')), good)).created).toBe(2);
		const [zhang] = await t.db.select().from(s.experts).where(eq(s.experts.name, '张明'));
		expect(zhang).toMatchObject({ kind: 'technical', primaryField: 'newMaterials', secondaryFields: ['newEnergy', 'resourcesEnvironment'], active: true });
	});

	it('exports CSV with a byte-order mark and formulas neutralized', () => {
		const csv = toCsv({ name: 'x', columns: [{ header: '名称', value: (r: { a: string }) => r.a }], rows: [{ a: '=1+1' }, { a: '中文,"引号"' }] });
		expect(csv.charCodeAt(0)).toBe(0xfeff);
		expect(csv).toBe('\ufeff名称\r\n\'=1+1\r\n"中文,""引号"""\r\n');
	});
});

describe('XLSX import, the same checks and the same all-or-nothing', () => {
	const code = (org: string) => makeCreditCode('9', '1', '320100', org);
	const count = async () => (await t.db.select({ n: sql<number>`count(*)::int` }).from(s.applications))[0].n;

	/** A workbook as Excel users make them: the rows on the first sheet, something else on a second. */
	async function workbook(rows: unknown[][]): Promise<Uint8Array> {
		const book = new ExcelJS.Workbook();
		const sheet = book.addWorksheet('申报项目');
		rows.forEach((cells, i) => cells.forEach((v, j) => (sheet.getRow(i + 1).getCell(j + 1).value = v as ExcelJS.CellValue)));
		book.addWorksheet('说明').addRow(['本页不导入']);
		return new Uint8Array((await book.xlsx.writeBuffer()) as ArrayBuffer);
	}

	/** What the import page does with an upload: read it, check it, add the workbook's cell errors. */
	async function checkUpload(callId: string, bytes: Uint8Array) {
		const upload = await readUploadBytes(bytes);
		if (!upload.ok) throw new Error(upload.message);
		return { text: upload.text, check: withCellErrors(await checkApplicationImport(t.db, callId, upload.text), upload.cellErrors) };
	}

	const header = ['序号', '企业名称', '统一社会信用代码', '联系人', '联系电话', '项目名称', '技术领域', '支持方式', '申请金额（万元）', '重大项目', '项目摘要', '提交时间'];

	it('imports a valid workbook with Chinese headers: numbers, dates, rich text, formulas and booleans read as typed', async () => {
		const call = await callByCode(t.db, 'IF2026');
		const before = await count();
		const bytes = await workbook([
			header,
			[1, '无锡甲科技有限公司', code('55555555'), '张三', '0510-1234567', '甲项目研发', '新材料', '无偿资助', 80, false, '新材料研发及产业化项目摘要。', new Date(Date.UTC(2026, 8, 1, 10, 30))],
			[],
			[
				2,
				{ richText: [{ text: '无锡乙' }, { font: { bold: true }, text: '科技有限公司' }] },
				code('66666666'),
				'李四',
				{ text: '0510-7654321', hyperlink: 'tel:05107654321' },
				'乙项目研发',
				{ formula: '"生物"&"医药"', result: '生物医药' },
				'贷款贴息',
				{ formula: '0.1*3*100', result: 0.1 * 3 * 100 },
				'否',
				'生物医药研发项目摘要。',
				new Date(Date.UTC(2026, 8, 2))
			]
		]);
		const { text, check } = await checkUpload(call.id, bytes);
		expect(check.errors).toEqual([]);
		expect(check.ignoredColumns).toEqual(['序号']);
		expect(check.rows.map((r) => [r.line, r.enterpriseName, r.requestedAmount, r.isMajor])).toEqual([
			[2, '无锡甲科技有限公司', 80, false],
			[4, '无锡乙科技有限公司', 30, false]
		]);
		// The confirmation posts this text back: the import reads it as any CSV.
		const result = await importApplications(t.db, actorOf(await principal(t.db, 'intake')), call.id, text);
		expect(result.created).toBe(2);
		expect(await count()).toBe(before + 2);
		const [a] = await t.db.select().from(s.applications).where(eq(s.applications.enterpriseName, '无锡甲科技有限公司'));
		expect(toBeijingInput(a.submittedAt)).toBe('2026-09-01T10:30');
		const [b] = await t.db.select().from(s.applications).where(eq(s.applications.enterpriseName, '无锡乙科技有限公司'));
		expect(b).toMatchObject({ field: 'biomedicine', fundingMode: 'interestSubsidy', requestedAmount: '30.00', contactPhone: '0510-7654321' });
		expect(toBeijingInput(b.submittedAt)).toBe('2026-09-02T00:00');
	});

	it('lists every error by worksheet row and column, formula errors too, and writes nothing', async () => {
		const call = await callByCode(t.db, 'IF2026');
		const before = await count();
		const bytes = await workbook([
			header,
			[1, '常州一号科技有限公司', code('77777777'), '王五', '0519-1234567', '项目一', '电子信息', '无偿资助', 80, '否', '摘要一。', null],
			[],
			[],
			[2, '常州二号科技有限公司', code('88888888'), '', 'abc', '项目二', { formula: 'VLOOKUP(1,X:X,2,0)', result: { error: '#N/A' } }, '无偿资助', '八十', '也许', '摘要二。', null]
		]);
		const { text, check } = await checkUpload(call.id, bytes);
		expect(check.ok).toBe(false);
		expect(check.errors.map((e) => [e.line, e.column])).toEqual([
			[5, '联系人'],
			[5, '联系电话'],
			[5, '重大项目'],
			[5, '申请金额（万元）'],
			[5, '技术领域']
		]);
		expect(check.errors.at(-1)!.message).toBe('单元格的公式出错（#N/A），请修正后重新上传。');
		// Nothing is written even if the good rows alone are sent: the file as a whole is refused.
		const result = await importApplications(t.db, actorOf(await principal(t.db, 'intake')), call.id, text);
		expect(result.created).toBe(0);
		expect(await count()).toBe(before);
	});

	it('imports experts from a workbook with English headers as well', async () => {
		const bytes = await workbook([
			['name', 'institution', 'title', 'kind', 'primary_field', 'secondary_fields', 'active'],
			['周强', { richText: [{ text: '东南大学' }] }, '教授', 'technical', 'new materials', 'Biomedicine; 资源环境', true],
			['吴敏', '南京审计大学', '副教授', '财务专家', '高技术服务业', null, false]
		]);
		const upload = await readUploadBytes(bytes);
		expect(upload.ok).toBe(true);
		if (!upload.ok) return;
		expect((await checkExpertImport(t.db, upload.text)).errors).toEqual([]);
		expect((await importExperts(t.db, actorOf(await principal(t.db, 'intake')), upload.text)).created).toBe(2);
		const [zhou] = await t.db.select().from(s.experts).where(eq(s.experts.name, '周强'));
		expect(zhou).toMatchObject({ institution: '东南大学', primaryField: 'newMaterials', secondaryFields: ['biomedicine', 'resourcesEnvironment'], active: true });
		const [wu] = await t.db.select().from(s.experts).where(eq(s.experts.name, '吴敏'));
		expect(wu).toMatchObject({ kind: 'finance', active: false });
	});

	it('tells files apart by their bytes and refuses what is neither a workbook nor text', async () => {
		// A PDF named .csv or .xlsx is still a PDF.
		const pdf = await readUploadBytes(makePdf([['不是表格']]));
		expect(pdf).toEqual({ ok: false, message: '无法识别该文件：请上传 Excel（.xlsx）或 CSV 文件。' });
		const xls = await readUploadBytes(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]));
		expect(xls.ok || xls.message).toMatch(/旧版 Excel（\.xls）/);
		// A ZIP, but not a workbook (a damaged download, say).
		const damaged = (await workbook([['姓名']])).subarray(0, 200);
		expect(await readUploadBytes(damaged)).toEqual({ ok: false, message: '无法读取该 Excel 文件：文件可能已损坏，或不是 .xlsx 工作簿。' });
		// CSV still reads as CSV, whatever its name.
		const csv = await readUploadBytes(new TextEncoder().encode('姓名,工作单位\r\n张明,南京大学\r\n'));
		expect(csv).toMatchObject({ ok: true, text: '姓名,工作单位\r\n张明,南京大学\r\n' });
		expect(await readUploadBytes(new Uint8Array(5 * 1024 * 1024 + 1))).toEqual({ ok: false, message: '文件超过 5 MB。' });
	});
});

describe('the application list in pages', () => {
	const prefix = '分页测试';

	it('counts the whole filtered list and splits it into pages that neither overlap nor leave gaps', async () => {
		await submittedApplications(t.db, 'IF2026', prefix, 120);
		const intake = await principal(t.db, 'intake');
		const filter = { q: prefix };

		const first = await pageOfApplications(t.db, intake, filter, { page: 1, size: 50 });
		expect([first.rows.length, first.total, first.page, first.pages]).toEqual([50, 120, 1, 3]);
		const third = await pageOfApplications(t.db, intake, filter, { page: 3, size: 50 });
		expect([third.rows.length, third.total, third.page]).toEqual([20, 120, 3]);
		// A page past the end (an old link) shows the last page.
		const beyond = await pageOfApplications(t.db, intake, filter, { page: 9, size: 50 });
		expect([beyond.page, beyond.pages, beyond.rows.map((r) => r.id)]).toEqual([3, 3, third.rows.map((r) => r.id)]);
		const bigger = await pageOfApplications(t.db, intake, filter, { page: 2, size: 100 });
		expect([bigger.rows.length, bigger.pages]).toEqual([20, 2]);

		// Sorted by amount, where many rows tie, every row is on exactly one page, in the order of the whole list.
		const sorted = { ...filter, sort: 'amount' as const, dir: 'desc' as const };
		const whole = await listApplications(t.db, intake, { ...sorted, limit: null });
		expect(whole.rows.length).toBe(120);
		const paged = [];
		for (let page = 1; page <= 3; page++) paged.push(...(await pageOfApplications(t.db, intake, sorted, { page, size: 50 })).rows);
		expect(paged.map((r) => r.id)).toEqual(whole.rows.map((r) => r.id));
		expect(new Set(paged.map((r) => r.id)).size).toBe(120);
		expect(paged[0].requestedAmount).toBe('70.00');
		expect(paged.at(-1)!.requestedAmount).toBe('50.00');

		// An empty result is page 1 of 1.
		const none = await pageOfApplications(t.db, intake, { q: '没有这样的企业' }, { page: 4, size: 50 });
		expect([none.rows.length, none.total, none.page, none.pages]).toEqual([0, 0, 1, 1]);
	});

	it('reads the page from the URL, refusing sizes other than 50, 100, 200', () => {
		expect(parsePageRequest(new URLSearchParams('page=3&size=100&status=submitted'))).toEqual({ page: 3, size: 100 });
		expect(parsePageRequest(new URLSearchParams('page=-1&size=7'))).toEqual({ page: 1, size: 50 });
		expect(parsePageRequest(new URLSearchParams('page=2.5&size=200'))).toEqual({ page: 1, size: 200 });
		expect(pageLinks(1, 1)).toEqual([1]);
		expect(pageLinks(6, 12)).toEqual([1, null, 4, 5, 6, 7, 8, null, 12]);
		expect(pageLinks(2, 5)).toEqual([1, 2, 3, 4, 5]);
	});
});

/** GB18030 encoding of a string, through the decoder (Node has no GBK encoder). */
function encodeGbk(text: string): Uint8Array {
	const decoder = new TextDecoder('gb18030');
	const table = new Map<string, number[]>();
	for (let hi = 0x81; hi <= 0xfe; hi++) {
		for (let lo = 0x40; lo <= 0xfe; lo++) {
			if (lo === 0x7f) continue;
			const ch = decoder.decode(new Uint8Array([hi, lo]));
			if (ch.length === 1 && !table.has(ch)) table.set(ch, [hi, lo]);
		}
	}
	const out: number[] = [];
	for (const ch of text) {
		const code = ch.charCodeAt(0);
		if (code < 0x80) out.push(code);
		else {
			const bytes = table.get(ch);
			if (!bytes) throw new Error(`cannot encode ${ch}`);
			out.push(...bytes);
		}
	}
	return new Uint8Array(out);
}
