// Importing applications from the center's earlier systems into a call: every row is checked
// (required columns, credit code, scope, ceiling, duplicates in the file and in the call) and
// every problem listed by line and column; nothing is written unless the whole file is valid.
import { and, eq, ne } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { applications, calls, enterprises } from '$db/schema';
import type { Db, DbOrTx } from '../db';
import { audit, type AuditActor } from '../audit';
import { normalizeCreditCode } from '$lib/credit-code';
import { fromBeijingInput } from '$lib/datetime';
import { parseCsv, type ColumnSpec } from './csv';
import { parseField, parseMode, parseYesNo, type RowError } from './rows';
import { EMAIL, PHONE } from '../applications/schemas';
import { creditCodeProblem } from '$lib/credit-code';
import { nextNumber } from '../applications/drafts';

function creditCodeMessage(code: string): string | null {
	const problem = creditCodeProblem(code);
	if (problem === 'length') return m.credit_code_length();
	if (problem === 'charset') return m.credit_code_charset();
	if (problem === 'check') return m.credit_code_check();
	return null;
}

type Key =
	| 'externalRef'
	| 'enterpriseName'
	| 'creditCode'
	| 'contactName'
	| 'contactPhone'
	| 'contactEmail'
	| 'title'
	| 'field'
	| 'fundingMode'
	| 'requestedAmount'
	| 'isMajor'
	| 'summary'
	| 'leader'
	| 'budgetTotal'
	| 'status'
	| 'rejectionReason'
	| 'submittedAt';

export const APPLICATION_COLUMNS: ColumnSpec<Key>[] = [
	{ key: 'externalRef', headers: ['原项目编号', '项目编号', 'external_ref'] },
	{ key: 'enterpriseName', headers: ['企业名称', '申报单位', 'enterprise'], required: true },
	{ key: 'creditCode', headers: ['统一社会信用代码', '信用代码', 'credit_code'], required: true },
	{ key: 'contactName', headers: ['联系人', 'contact'], required: true },
	{ key: 'contactPhone', headers: ['联系电话', '电话', 'phone'], required: true },
	{ key: 'contactEmail', headers: ['电子邮箱', '邮箱', 'email'] },
	{ key: 'title', headers: ['项目名称', 'project'], required: true },
	{ key: 'field', headers: ['技术领域', '领域'], required: true },
	{ key: 'fundingMode', headers: ['支持方式', 'mode', 'funding'], required: true },
	{ key: 'requestedAmount', headers: ['申请金额（万元）', '申请金额', 'amount'], required: true },
	{ key: 'isMajor', headers: ['重大项目', 'major'] },
	{ key: 'summary', headers: ['项目摘要', '摘要'], required: true },
	{ key: 'leader', headers: ['项目负责人', '负责人'] },
	{ key: 'budgetTotal', headers: ['项目总预算（万元）', '项目总预算', 'budget'] },
	{ key: 'status', headers: ['状态'] },
	{ key: 'rejectionReason', headers: ['不予受理原因', 'rejection_reason'] },
	{ key: 'submittedAt', headers: ['提交时间', 'submitted_at'] }
];

/** The example file offered for download, in the columns the import reads. */
export function applicationTemplate(): string {
	const header = APPLICATION_COLUMNS.map((c) => c.headers[0]);
	const example = ['OLD-2025-118', '南京示例智能科技有限公司', '91320100MA1XXXXXXX', '王工', '025-12345678', 'wang@example.cn', '工业视觉缺陷检测系统', '电子信息', '无偿资助', '80', '否', '面向电子制造的高精度视觉检测系统研发与产业化。', '王工', '200', '已提交', '', '2026-09-01 10:00'];
	return '\ufeff' + [header, example].map((r) => r.join(',')).join('\r\n') + '\r\n';
}

export interface ImportedApplication {
	line: number;
	externalRef: string | null;
	enterpriseName: string;
	creditCode: string;
	contactName: string;
	contactPhone: string;
	contactEmail: string | null;
	title: string;
	field: NonNullable<ReturnType<typeof parseField>>;
	fundingMode: NonNullable<ReturnType<typeof parseMode>>;
	requestedAmount: number;
	isMajor: boolean;
	summary: string;
	leader: string | null;
	budgetTotal: number | null;
	status: 'submitted' | 'accepted' | 'rejected';
	rejectionReason: string | null;
	submittedAt: Date | null;
}

export interface ImportCheck<T> {
	ok: boolean;
	rows: T[];
	errors: RowError[];
	ignoredColumns: string[];
	total: number;
}

const STATUS: Record<string, 'submitted' | 'accepted' | 'rejected'> = {
	已提交: 'submitted',
	待受理: 'submitted',
	submitted: 'submitted',
	已受理: 'accepted',
	受理: 'accepted',
	accepted: 'accepted',
	不予受理: 'rejected',
	rejected: 'rejected'
};

function fileMessage(code: string, column?: string, line?: number): string {
	if (code === 'empty') return m.import_empty();
	if (code === 'missingColumn') return m.import_missing_column({ column: column ?? '' });
	if (code === 'tooManyRows') return m.import_too_many_rows();
	return m.import_malformed({ line: line ?? 0 });
}

/** Checks every row against the call; returns the rows ready to write, or every error. */
export async function checkApplicationImport(db: DbOrTx, callId: string, text: string): Promise<ImportCheck<ImportedApplication>> {
	const [call] = await db.select().from(calls).where(eq(calls.id, callId));
	const parsed = parseCsv(text, APPLICATION_COLUMNS);
	const errors: RowError[] = parsed.fileErrors.map((e) => ({ line: e.line ?? 0, column: e.column ?? '', message: fileMessage(e.code, e.column, e.line) }));
	const out: ImportedApplication[] = [];
	if (errors.length || !call) return { ok: false, rows: [], errors, ignoredColumns: parsed.ignoredColumns, total: parsed.rows.length };
	const header = (k: Key) => parsed.headerOf[k] ?? APPLICATION_COLUMNS.find((c) => c.key === k)!.headers[0];
	const existing = new Map(
		(
			await db
				.select({ creditCode: applications.creditCode, number: applications.number })
				.from(applications)
				.where(and(eq(applications.callId, callId), ne(applications.status, 'withdrawn')))
		).map((r) => [r.creditCode, r.number])
	);
	const seen = new Map<string, number>();
	for (const { line, values } of parsed.rows) {
		const v = (k: Key) => values[k] ?? '';
		const fail = (k: Key, message: string) => errors.push({ line, column: header(k), message });
		const before = errors.length;
		for (const k of ['enterpriseName', 'contactName', 'title', 'summary'] as const) {
			if (!v(k)) fail(k, m.v_required());
		}
		if (v('enterpriseName').length > 100) fail('enterpriseName', m.v_too_long({ max: 100 }));
		if (v('title').length > 100) fail('title', m.v_too_long({ max: 100 }));
		if (v('summary').length > 5000) fail('summary', m.v_too_long({ max: 5000 }));
		const code = normalizeCreditCode(v('creditCode'));
		const codeProblem = code ? creditCodeMessage(code) : m.v_required();
		if (codeProblem) fail('creditCode', codeProblem);
		else if (existing.has(code)) fail('creditCode', m.import_duplicate_in_call({ number: existing.get(code)! }));
		else if (seen.has(code)) fail('creditCode', m.import_duplicate_in_file({ line: seen.get(code)! }));
		if (code) seen.set(code, seen.get(code) ?? line);
		if (!v('contactPhone')) fail('contactPhone', m.v_required());
		else if (!PHONE.test(v('contactPhone'))) fail('contactPhone', m.v_phone());
		if (v('contactEmail') && !EMAIL.test(v('contactEmail'))) fail('contactEmail', m.v_email());
		const field = parseField(v('field'));
		if (!v('field')) fail('field', m.v_required());
		else if (!field) fail('field', m.import_unknown_value({ value: v('field') }));
		else if (!call.fields.includes(field)) fail('field', m.app_v_field_scope());
		const mode = parseMode(v('fundingMode'));
		if (!v('fundingMode')) fail('fundingMode', m.v_required());
		else if (!mode) fail('fundingMode', m.import_unknown_value({ value: v('fundingMode') }));
		else if (!call.fundingModes.includes(mode)) fail('fundingMode', m.app_v_mode_scope());
		const isMajor = parseYesNo(v('isMajor'), false);
		if (isMajor === null) fail('isMajor', m.import_yes_no());
		const amount = Number(v('requestedAmount').replace(/,/g, ''));
		const ceiling = Number(isMajor ? call.majorCeiling : call.ceiling);
		if (!v('requestedAmount')) fail('requestedAmount', m.v_required());
		else if (!Number.isFinite(amount) || amount <= 0) fail('requestedAmount', m.import_number());
		else if (amount > ceiling) fail('requestedAmount', m.app_v_ceiling({ ceiling }));
		let budgetTotal: number | null = null;
		if (v('budgetTotal')) {
			budgetTotal = Number(v('budgetTotal').replace(/,/g, ''));
			if (!Number.isFinite(budgetTotal) || budgetTotal <= 0) fail('budgetTotal', m.import_number());
			else if (Number.isFinite(amount) && amount > budgetTotal) fail('budgetTotal', m.app_v_budget_total({ total: budgetTotal }));
		}
		const status = v('status') ? STATUS[v('status').replace(/\s/g, '').toLowerCase()] : 'submitted';
		if (!status) fail('status', m.import_unknown_value({ value: v('status') }));
		if (status === 'rejected' && !v('rejectionReason')) fail('rejectionReason', m.import_rejection_reason());
		let submittedAt: Date | null = null;
		if (v('submittedAt')) {
			submittedAt = fromBeijingInput(v('submittedAt').replace(/\//g, '-'));
			if (!submittedAt) fail('submittedAt', m.import_date());
		}
		if (errors.length > before) continue;
		out.push({
			line,
			externalRef: v('externalRef') || null,
			enterpriseName: v('enterpriseName'),
			creditCode: code,
			contactName: v('contactName'),
			contactPhone: v('contactPhone'),
			contactEmail: v('contactEmail') || null,
			title: v('title'),
			field: field!,
			fundingMode: mode!,
			requestedAmount: amount,
			isMajor: isMajor!,
			summary: v('summary'),
			leader: v('leader') || null,
			budgetTotal,
			status: status!,
			rejectionReason: status === 'rejected' ? v('rejectionReason') : null,
			submittedAt
		});
	}
	return { ok: errors.length === 0, rows: out, errors, ignoredColumns: parsed.ignoredColumns, total: parsed.rows.length };
}

/** Checks again and, only if every row is valid, writes them all in one transaction. */
export async function importApplications(db: Db, actor: AuditActor, callId: string, text: string): Promise<ImportCheck<ImportedApplication> & { created: number }> {
	return db.transaction(async (tx) => {
		const check = await checkApplicationImport(tx, callId, text);
		if (!check.ok) return { ...check, created: 0 };
		const [call] = await tx.select().from(calls).where(eq(calls.id, callId));
		for (const r of check.rows) {
			let [ent] = await tx.select({ id: enterprises.id }).from(enterprises).where(eq(enterprises.creditCode, r.creditCode));
			if (!ent) {
				[ent] = await tx
					.insert(enterprises)
					.values({ name: r.enterpriseName, creditCode: r.creditCode, contactName: r.contactName, contactPhone: r.contactPhone, contactEmail: r.contactEmail })
					.returning({ id: enterprises.id });
			}
			const number = await nextNumber(tx, callId, call.code);
			const [app] = await tx
				.insert(applications)
				.values({
					number,
					callId,
					enterpriseId: ent.id,
					enterpriseName: r.enterpriseName,
					creditCode: r.creditCode,
					contactName: r.contactName,
					contactPhone: r.contactPhone,
					contactEmail: r.contactEmail,
					title: r.title,
					field: r.field,
					fundingMode: r.fundingMode,
					requestedAmount: String(r.requestedAmount),
					isMajor: r.isMajor,
					summary: r.summary,
					team: r.leader ? [{ name: r.leader, role: '项目负责人' }] : [],
					budget: r.budgetTotal ? [{ item: '项目总预算', amount: r.budgetTotal }] : [],
					status: r.status,
					rejectionReason: r.rejectionReason,
					submittedAt: r.submittedAt ?? new Date(),
					externalRef: r.externalRef
				})
				.returning({ id: applications.id });
			await audit(tx, actor, 'application.imported', { type: 'application', id: app.id }, { number, externalRef: r.externalRef, status: r.status, line: r.line });
		}
		await audit(tx, actor, 'import.applications', { type: 'call', id: callId }, { rows: check.rows.length });
		return { ...check, created: check.rows.length };
	});
}
