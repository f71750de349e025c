// Importing the expert database from a CSV: every row checked, every problem listed by line
// and column, nothing written unless the whole file is valid. An expert already in the
// database (same name at the same institution) is a duplicate, not an update.
import { m } from '$lib/paraglide/messages';
import { experts } from '$db/schema';
import type { Db, DbOrTx } from '../db';
import { audit, type AuditActor } from '../audit';
import { normalizeInstitution } from '$lib/institutions';
import { parseCsv, type ColumnSpec } from './csv';
import { parseField, parseYesNo, splitList, type RowError } from './rows';
import { EMAIL, PHONE } from '../applications/schemas';
import type { ImportCheck } from './applications';

type Key = 'name' | 'institution' | 'title' | 'kind' | 'primaryField' | 'secondaryFields' | 'email' | 'phone' | 'active';

export const EXPERT_COLUMNS: ColumnSpec<Key>[] = [
	{ key: 'name', headers: ['姓名', 'name'], required: true },
	{ key: 'institution', headers: ['工作单位', '单位', 'institution'], required: true },
	{ key: 'title', headers: ['职称', '职务', 'title'] },
	{ key: 'kind', headers: ['专家类别', '类别', 'kind'] },
	{ key: 'primaryField', headers: ['主要技术领域', '技术领域', 'primary_field'], required: true },
	{ key: 'secondaryFields', headers: ['其他技术领域', '熟悉领域', 'secondary_fields'] },
	{ key: 'email', headers: ['电子邮箱', '邮箱', 'email'] },
	{ key: 'phone', headers: ['联系电话', '电话', 'phone'] },
	{ key: 'active', headers: ['在库', '是否在库', 'active'] }
];

export function expertTemplate(): string {
	const header = EXPERT_COLUMNS.map((c) => c.headers[0]);
	const example = ['张明', '南京大学', '教授', '技术专家', '新材料', '节能与新能源；资源环境', 'zhang@example.edu.cn', '025-83591234', '是'];
	return '\ufeff' + [header, example].map((r) => r.join(',')).join('\r\n') + '\r\n';
}

export interface ImportedExpert {
	line: number;
	name: string;
	institution: string;
	title: string;
	kind: 'technical' | 'finance';
	primaryField: NonNullable<ReturnType<typeof parseField>>;
	secondaryFields: NonNullable<ReturnType<typeof parseField>>[];
	email: string | null;
	phone: string | null;
	active: boolean;
}

const KIND: Record<string, 'technical' | 'finance'> = { 技术专家: 'technical', 技术: 'technical', technical: 'technical', 财务专家: 'finance', 财务: 'finance', finance: 'finance' };

export async function checkExpertImport(db: DbOrTx, text: string): Promise<ImportCheck<ImportedExpert>> {
	const parsed = parseCsv(text, EXPERT_COLUMNS);
	const errors: RowError[] = parsed.fileErrors.map((e) => ({
		line: e.line ?? 0,
		column: e.column ?? '',
		message:
			e.code === 'empty' ? m.import_empty() : e.code === 'missingColumn' ? m.import_missing_column({ column: e.column ?? '' }) : e.code === 'tooManyRows' ? m.import_too_many_rows() : m.import_malformed({ line: e.line ?? 0 })
	}));
	const out: ImportedExpert[] = [];
	if (errors.length) return { ok: false, rows: [], errors, ignoredColumns: parsed.ignoredColumns, total: parsed.rows.length };
	const header = (k: Key) => parsed.headerOf[k] ?? EXPERT_COLUMNS.find((c) => c.key === k)!.headers[0];
	const key = (name: string, institution: string) => `${name.replace(/\s/g, '')}|${normalizeInstitution(institution)}`;
	const existing = new Set((await db.select({ name: experts.name, institution: experts.institution }).from(experts)).map((e) => key(e.name, e.institution)));
	const seen = new Map<string, number>();
	for (const { line, values } of parsed.rows) {
		const v = (k: Key) => values[k] ?? '';
		const fail = (k: Key, message: string) => errors.push({ line, column: header(k), message });
		const before = errors.length;
		if (!v('name')) fail('name', m.v_required());
		else if (v('name').length > 50) fail('name', m.v_too_long({ max: 50 }));
		if (!v('institution')) fail('institution', m.v_required());
		else if (v('institution').length > 100) fail('institution', m.v_too_long({ max: 100 }));
		if (v('title').length > 50) fail('title', m.v_too_long({ max: 50 }));
		const kind = v('kind') ? KIND[v('kind').replace(/\s/g, '').toLowerCase()] : 'technical';
		if (!kind) fail('kind', m.import_unknown_value({ value: v('kind') }));
		const primary = parseField(v('primaryField'));
		if (!v('primaryField')) fail('primaryField', m.v_required());
		else if (!primary) fail('primaryField', m.import_unknown_value({ value: v('primaryField') }));
		const secondary: NonNullable<ReturnType<typeof parseField>>[] = [];
		for (const s of splitList(v('secondaryFields'))) {
			const f = parseField(s);
			if (!f) fail('secondaryFields', m.import_unknown_value({ value: s }));
			else if (f !== primary && !secondary.includes(f)) secondary.push(f);
		}
		if (v('email') && !EMAIL.test(v('email'))) fail('email', m.v_email());
		if (v('phone') && !PHONE.test(v('phone'))) fail('phone', m.v_phone());
		const active = parseYesNo(v('active'), true);
		if (active === null) fail('active', m.import_yes_no());
		if (v('name') && v('institution')) {
			const k = key(v('name'), v('institution'));
			if (existing.has(k)) fail('name', m.import_expert_exists());
			else if (seen.has(k)) fail('name', m.import_duplicate_in_file({ line: seen.get(k)! }));
			else seen.set(k, line);
		}
		if (errors.length > before) continue;
		out.push({
			line,
			name: v('name'),
			institution: v('institution'),
			title: v('title'),
			kind: kind!,
			primaryField: primary!,
			secondaryFields: secondary,
			email: v('email') || null,
			phone: v('phone') || null,
			active: active!
		});
	}
	return { ok: errors.length === 0, rows: out, errors, ignoredColumns: parsed.ignoredColumns, total: parsed.rows.length };
}

export async function importExperts(db: Db, actor: AuditActor, text: string): Promise<ImportCheck<ImportedExpert> & { created: number }> {
	return db.transaction(async (tx) => {
		const check = await checkExpertImport(tx, text);
		if (!check.ok) return { ...check, created: 0 };
		for (let i = 0; i < check.rows.length; i += 200) {
			await tx.insert(experts).values(
				check.rows.slice(i, i + 200).map((r) => ({
					name: r.name,
					institution: r.institution,
					title: r.title,
					kind: r.kind,
					primaryField: r.primaryField,
					secondaryFields: r.secondaryFields,
					email: r.email,
					phone: r.phone,
					active: r.active
				}))
			);
		}
		await audit(tx, actor, 'import.experts', null, { rows: check.rows.length });
		return { ...check, created: check.rows.length };
	});
}
