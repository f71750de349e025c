// Verifies the audit trail without trusting the database: every row's seal (HMAC with the
// key the database never holds), the hash chain recomputed here rather than by the schema's
// function, seq continuity from 1, the anchors in the anchor file (HMAC'd lines; each must
// match the row at its seq, and no anchor may point past the last row — truncation) and the
// anchors printed on locked decisions and documents.
import { sql } from 'drizzle-orm';
import { rows, type DbOrTx } from '../db';
import { keyFingerprint, type AuditSecrets } from './secrets';
import { computeSeal, linkOf, rowHash } from './seal';
import { parseAnchorText, readAnchors, type Anchor, type ChainHead } from './anchors';

export type ProblemKind =
	| 'seal' // the row is not what was sealed: edited, re-hashed, moved or renumbered
	| 'hash' // the database's own hash does not hold
	| 'link' // prev_hash is not the previous row's hash
	| 'missing' // a seq is missing: a row was deleted
	| 'unsealed' // a row without a seal after sealing began: written behind the app's back
	| 'anchor_line' // a line of the anchor file is not one the app wrote
	| 'anchor' // the row at an anchor's seq is not the anchored one
	| 'truncated' // an anchor points past the last row: the newest rows were removed
	| 'record'; // a locked record's printed anchor does not match the chain

export interface Problem {
	kind: ProblemKind;
	/** The audit row concerned (null for an anchor-file line). */
	seq: number | null;
	/** The anchor file line, for anchor problems. */
	line?: number;
	detail?: string;
}

export interface VerifyReport {
	ok: boolean;
	/** Rows read. */
	count: number;
	sealed: number;
	head: ChainHead | null;
	keyFingerprint: string;
	anchors: { path: string; count: number; checked: number; newest: Anchor | null; recent: Anchor[] };
	records: { checked: number };
	/** The first problem in chain order, then the rest (at most 50). */
	firstBad: Problem | null;
	problems: Problem[];
	checkedAt: string;
}

interface Row {
	seq: string | number;
	at: string;
	actor_id: string | null;
	actor_name: string | null;
	ip: string | null;
	action: string;
	entity_type: string | null;
	entity_id: string | null;
	details: string | null;
	prev_hash: string | null;
	hash: string | null;
	seal: string | null;
}

const BATCH = 2000;
const MAX_PROBLEMS = 50;

export async function verifyAudit(db: DbOrTx, secrets: AuditSecrets): Promise<VerifyReport> {
	const { key } = secrets;
	// Anchors first: every anchor in the file was written after its row committed.
	const file = readAnchors(secrets.anchorsPath, key);
	const problems: Problem[] = [];
	const add = (p: Problem) => problems.length < MAX_PROBLEMS * 4 && problems.push(p);
	for (const b of file.bad) add({ kind: 'anchor_line', seq: null, line: b.line, detail: b.reason });

	const bySeq = new Map<number, { seal: string | null; hash: string | null; line?: number; record?: string }[]>();
	const want = (seq: number, w: { seal: string | null; hash: string | null; line?: number; record?: string }) => {
		const list = bySeq.get(seq) ?? [];
		list.push(w);
		bySeq.set(seq, list);
	};
	for (const a of file.anchors) want(a.seq, { seal: a.seal, hash: a.hash, line: a.line });

	const records = await rows<{ kind: string; id: string; anchor: string }>(
		db,
		sql`SELECT 'decision' AS kind, id::text, audit_anchor AS anchor FROM meeting_decisions WHERE audit_anchor IS NOT NULL
			UNION ALL SELECT 'document', id::text, audit_anchor FROM document_locks WHERE audit_anchor IS NOT NULL`
	);
	for (const r of records) {
		const parsed = parseAnchorText(r.anchor);
		if (!parsed) add({ kind: 'record', seq: null, detail: `${r.kind} ${r.id}` });
		else if (parsed.seq > 0) want(parsed.seq, { seal: parsed.seal, hash: parsed.hash, record: `${r.kind} ${r.id}` });
	}

	const [{ unnumbered }] = await rows<{ unnumbered: number }>(db, sql`SELECT count(*)::int AS unnumbered FROM audit_log WHERE seq IS NULL`);
	if (unnumbered > 0) add({ kind: 'missing', seq: null, detail: `${unnumbered} rows without seq` });

	let count = 0;
	let sealed = 0;
	let prev: { seq: number; seal: string | null; hash: string | null } | undefined;
	let anchorsChecked = 0;
	for (;;) {
		const batch = await rows<Row>(
			db,
			sql`SELECT seq, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, actor_id::text AS actor_id, actor_name, ip, action,
				entity_type, entity_id, details::text AS details, prev_hash, hash, seal
				FROM audit_log WHERE seq > ${prev?.seq ?? 0} ORDER BY seq LIMIT ${BATCH}`
		);
		for (const r of batch) {
			const seq = Number(r.seq);
			count++;
			const expected = (prev?.seq ?? 0) + 1;
			if (seq !== expected) add({ kind: 'missing', seq: expected, detail: expected === seq - 1 ? `${expected}` : `${expected}–${seq - 1}` });
			if (r.prev_hash !== (prev?.hash ?? '')) add({ kind: 'link', seq });
			const hash = rowHash({ prevHash: r.prev_hash, seq, at: r.at, actorId: r.actor_id, actorName: r.actor_name, ip: r.ip, action: r.action, entityType: r.entity_type, entityId: r.entity_id, detailsText: r.details });
			if (hash !== r.hash) add({ kind: 'hash', seq });
			if (r.seal) {
				sealed++;
				let details: unknown;
				try {
					details = r.details === null ? null : JSON.parse(r.details);
				} catch {
					details = r.details;
				}
				// The seal links to the row before it in the chain the app wrote, whatever the
				// database shows now: a deleted or renumbered row breaks the next seal.
				const link = seq === 1 ? '' : linkOf(prev?.seq === seq - 1 ? prev : { seal: null, hash: null });
				const fields = { seq, link, at: r.at, actorId: r.actor_id, actorName: r.actor_name, ip: r.ip, action: r.action, entityType: r.entity_type, entityId: r.entity_id, details };
				if (computeSeal(key, fields) !== r.seal) add({ kind: 'seal', seq });
			} else if (sealed > 0) {
				add({ kind: 'unsealed', seq });
			}
			for (const w of bySeq.get(seq) ?? []) {
				anchorsChecked++;
				const matches = (w.seal === null || w.seal === r.seal) && (w.hash === null || w.hash === r.hash);
				if (!matches) add(w.record ? { kind: 'record', seq, detail: w.record } : { kind: 'anchor', seq, line: w.line });
			}
			prev = { seq, seal: r.seal, hash: r.hash };
		}
		if (batch.length < BATCH) break;
	}
	const last = prev?.seq ?? 0;
	// Anchors past the last row: the newest rows were removed. The first row missing is the bad one.
	const beyond = [...bySeq.entries()].filter(([seq]) => seq > last).sort((a, b) => a[0] - b[0]);
	for (const [seq, ws] of beyond) {
		for (const w of ws) add({ kind: w.record ? 'record' : 'truncated', seq: last + 1, line: w.line, detail: w.record ?? `${seq}` });
	}

	// Chain order: row problems by seq, anchor-file lines after them.
	problems.sort((a, b) => (a.seq ?? Number.MAX_SAFE_INTEGER) - (b.seq ?? Number.MAX_SAFE_INTEGER));
	const newest = file.anchors.reduce<Anchor | null>((n, a) => (!n || a.seq >= n.seq ? a : n), null);
	return {
		ok: problems.length === 0,
		count,
		sealed,
		head: prev ? { seq: prev.seq, seal: prev.seal, hash: prev.hash } : null,
		keyFingerprint: keyFingerprint(key),
		anchors: { path: secrets.anchorsPath, count: file.anchors.length, checked: anchorsChecked, newest, recent: file.anchors.slice(-10).reverse() },
		records: { checked: records.length },
		firstBad: problems[0] ?? null,
		problems: problems.slice(0, MAX_PROBLEMS),
		checkedAt: new Date().toISOString()
	};
}

/** One line per problem, for the command line (bilingual, like the start-up banner). */
export function describeProblem(p: Problem): string {
	const at = p.seq === null ? '' : `#${p.seq}`;
	switch (p.kind) {
		case 'seal':
			return `${at} 封印不符：该条目被修改、重算哈希、移动或重新编号 / seal does not match: the entry was edited, re-hashed, moved or renumbered`;
		case 'hash':
			return `${at} 哈希不符：该条目被修改 / hash does not match: the entry was edited`;
		case 'link':
			return `${at} 链接断开：前一条目被修改或删除 / link broken: the entry before it was changed or removed`;
		case 'missing':
			return `${at} 条目缺失（${p.detail}）：中间的条目被删除 / entries missing (${p.detail}): deleted from the middle`;
		case 'unsealed':
			return `${at} 未封印的条目：绕过应用写入 / unsealed entry: written behind the app's back`;
		case 'anchor_line':
			return `锚点文件第 ${p.line} 行无效（${p.detail}）/ anchor file line ${p.line} is not valid (${p.detail})`;
		case 'anchor':
			return `${at} 与锚点文件第 ${p.line} 行不符：已锚定的条目被改写 / does not match anchor line ${p.line}: an anchored entry was rewritten`;
		case 'truncated':
			return `${at} 最新的条目被删除：锚点文件第 ${p.line} 行记录了第 ${p.detail} 条 / the newest entries were removed: anchor line ${p.line} records entry ${p.detail}`;
		case 'record':
			return `${at} 锁定记录上的审计锚点不符（${p.detail}）/ the audit anchor printed on a locked record does not match (${p.detail})`;
	}
}
