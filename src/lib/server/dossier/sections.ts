// The dossier's sections: each builder reads one part of a decided application's record and
// returns the files it contributes. The package (build.ts) is the concatenation of SECTIONS in
// order, so adding a part (the objections and their handling, from the publications domain)
// is one more builder in that list — nothing else changes, the manifest covers it.
import { and, asc, eq, like } from 'drizzle-orm';
import {
	applicationAttachments,
	applications,
	auditLog,
	calls,
	documents,
	experts,
	intakeChecks,
	meetingDecisionReopens,
	meetingDecisions,
	meetingItems,
	meetingRounds,
	meetingScores,
	meetings,
	publicationObjectionFiles,
	publicationObjectionNotes,
	publicationObjections,
	publicationRows,
	publications,
	reviews,
	users
} from '$db/schema';
import type { DbOrTx } from '../db';
import type { PMNode } from '$lib/editor/extensions';
import { currentContent } from '../documents';
import { renderHtml, escapeHtml } from '../documents/render';
import { textOfJSON } from '../documents/content';
import { opinionContext } from '../opinions/context';

export interface DossierFile {
	path: string;
	bytes: Uint8Array;
}

export interface DossierContext {
	db: DbOrTx;
	applicationId: string;
	number: string;
	/** The item whose decision is in force, with its meeting. */
	itemId: string;
	meetingId: string;
	decisionId: string;
}

export interface DossierSection {
	name: string;
	build(ctx: DossierContext): Promise<DossierFile[]>;
}

const enc = new TextEncoder();
const json = (path: string, value: unknown): DossierFile => ({ path, bytes: enc.encode(JSON.stringify(value, null, 2) + '\n') });
const text = (path: string, value: string): DossierFile => ({ path, bytes: enc.encode(value) });

function htmlPage(title: string, body: string): string {
	return `<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
		'<style>body{font-family:sans-serif;max-width:48rem;margin:2rem auto;line-height:1.6}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.25rem .5rem;text-align:left}</style>' +
		`</head><body>${body}</body></html>\n`;
}

/** A safe file name inside the package: no folders, no control characters. */
function safeName(name: string): string {
	const cleaned = [...name].map((c) => (c.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(c) ? '_' : c)).join('').trim();
	return cleaned.slice(0, 120) || 'file';
}

const application: DossierSection = {
	name: 'application',
	async build({ db, applicationId }) {
		const [row] = await db
			.select({ a: applications, callCode: calls.code, callTitle: calls.title })
			.from(applications)
			.innerJoin(calls, eq(calls.id, applications.callId))
			.where(eq(applications.id, applicationId));
		const a = row.a;
		const files = await db.select().from(applicationAttachments).where(eq(applicationAttachments.applicationId, applicationId)).orderBy(asc(applicationAttachments.createdAt));
		const meta = { ...a, call: { code: row.callCode, title: row.callTitle }, attachments: files.map((f) => ({ id: f.id, kind: f.kind, fileName: f.fileName, size: f.size, sha256: f.sha256 })) };
		const rows: [string, string][] = [
			['申报编号', a.number],
			['申报批次', `${row.callTitle}（${row.callCode}）`],
			['项目名称', a.title],
			['申报单位', a.enterpriseName],
			['统一社会信用代码', a.creditCode],
			['联系人', `${a.contactName} ${a.contactPhone}`],
			['申请金额（万元）', a.requestedAmount],
			['项目摘要', a.summary]
		];
		const body =
			`<h1>${escapeHtml(a.title)}</h1><table>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(String(v ?? ''))}</td></tr>`).join('')}</table>` +
			`<h2>项目团队</h2><ul>${a.team.map((t) => `<li>${escapeHtml(`${t.name}（${t.role}${t.title ? '，' + t.title : ''}）`)}</li>`).join('')}</ul>` +
			`<h2>经费预算</h2><ul>${a.budget.map((b) => `<li>${escapeHtml(`${b.item}：${b.amount} 万元 ${b.note ?? ''}`)}</li>`).join('')}</ul>`;
		return [
			json('application/application.json', meta),
			text('application/application.html', htmlPage(`${a.number} ${a.title}`, body)),
			...files.map((f, i) => ({ path: `application/attachments/${String(i + 1).padStart(2, '0')}-${safeName(f.fileName)}`, bytes: new Uint8Array(f.data) }))
		];
	}
};

const intake: DossierSection = {
	name: 'intake',
	async build({ db, applicationId }) {
		const checks = await db.select().from(intakeChecks).where(eq(intakeChecks.applicationId, applicationId)).orderBy(asc(intakeChecks.checkedAt));
		const history = await db
			.select({ seq: auditLog.seq, at: auditLog.at, actorName: auditLog.actorName, action: auditLog.action, details: auditLog.details })
			.from(auditLog)
			.where(and(eq(auditLog.entityType, 'application'), eq(auditLog.entityId, applicationId), like(auditLog.action, 'application.%')))
			.orderBy(asc(auditLog.seq));
		return [json('intake/intake.json', { checks, history })];
	}
};

const reviewSheets: DossierSection = {
	name: 'reviews',
	async build({ db, applicationId }) {
		const rows = await db
			.select({ r: reviews, expertName: experts.name, institution: experts.institution })
			.from(reviews)
			.innerJoin(experts, eq(experts.id, reviews.expertId))
			.where(eq(reviews.applicationId, applicationId))
			.orderBy(asc(reviews.form), asc(reviews.createdAt));
		return rows.map((row, i) => json(`reviews/${String(i + 1).padStart(2, '0')}-${row.r.form}.json`, { ...row.r, expert: { name: row.expertName, institution: row.institution } }));
	}
};

const meetingScoresSection: DossierSection = {
	name: 'meeting',
	async build({ db, itemId, meetingId }) {
		const [m] = await db.select({ id: meetings.id, title: meetings.title, startsAt: meetings.startsAt, closedAt: meetings.closedAt }).from(meetings).where(eq(meetings.id, meetingId));
		const [item] = await db.select().from(meetingItems).where(eq(meetingItems.id, itemId));
		const rounds = await db.select().from(meetingRounds).where(eq(meetingRounds.itemId, itemId)).orderBy(asc(meetingRounds.round));
		const scores = await db
			.select({ s: meetingScores, name: users.name })
			.from(meetingScores)
			.innerJoin(users, eq(users.id, meetingScores.userId))
			.where(eq(meetingScores.itemId, itemId))
			.orderBy(asc(meetingScores.round), asc(users.name));
		return [json('meeting/scores.json', { meeting: m, item: { id: item.id, position: item.position, summary: item.summary }, rounds, scores: scores.map((x) => ({ ...x.s, name: x.name })) })];
	}
};

const opinion: DossierSection = {
	name: 'opinion',
	async build({ db, itemId }) {
		const ctx = await opinionContext(db, itemId);
		if (!ctx?.opinion) return [json('opinion/opinion.json', { opinion: null })];
		const name = (id: string) => ctx.members.find((m) => m.userId === id)?.name ?? '';
		const content = ctx.lock ? (JSON.parse(ctx.lock.content) as PMNode) : null;
		const meta = {
			documentId: ctx.opinion.documentId,
			lead: name(ctx.opinion.leadUserId),
			finalized: ctx.lock ? { sha256: ctx.lock.sha256, lockedAt: ctx.lock.lockedAt, lockedBy: name(ctx.lock.lockedBy), auditAnchor: ctx.lock.auditAnchor } : null,
			signatures: ctx.signatures.map((s) => ({ name: name(s.userId), kind: s.kind, dissent: s.dissent, sha256: s.sha256, signedAt: s.signedAt, valid: s.sha256 === ctx.currentSha256 })),
			notSigned: ctx.excusals.map((e) => ({ name: name(e.userId), reason: e.reason, recordedBy: name(e.recordedBy), recordedAt: e.recordedAt })),
			release: ctx.release ? { options: ctx.release.options, viewSha256: ctx.release.viewSha256, releasedBy: ctx.release.releasedBy, releasedAt: ctx.release.releasedAt, view: ctx.release.view } : null,
			content
		};
		const files = [json('opinion/opinion.json', meta)];
		if (content) files.push(text('opinion/opinion.html', htmlPage('专家组意见', renderHtml(content))));
		return files;
	}
};

const decision: DossierSection = {
	name: 'decision',
	async build({ db, itemId }) {
		const versions = await db
			.select({ d: meetingDecisions, reopen: meetingDecisionReopens })
			.from(meetingDecisions)
			.leftJoin(meetingDecisionReopens, eq(meetingDecisionReopens.decisionId, meetingDecisions.id))
			.where(eq(meetingDecisions.itemId, itemId))
			.orderBy(asc(meetingDecisions.version));
		return [json('decision/decision.json', { versions: versions.map((v) => ({ ...v.d, reopened: v.reopen })) })];
	}
};

/** The minutes' record of this item: its own section and every addendum that names it. */
const minutes: DossierSection = {
	name: 'minutes',
	async build({ db, meetingId, number }) {
		const [m] = await db.select({ minutesDocumentId: meetings.minutesDocumentId }).from(meetings).where(eq(meetings.id, meetingId));
		const docs = await db.select({ id: documents.id, title: documents.title }).from(documents).where(and(eq(documents.meetingId, meetingId), eq(documents.kind, 'minutes')));
		const ids = [m?.minutesDocumentId, ...docs.map((d) => d.id)].filter((x, i, all): x is string => !!x && all.indexOf(x) === i);
		const parts: string[] = [];
		for (const id of ids) {
			const { doc, json: content } = await currentContent(db, id);
			doc.destroy();
			const lines = textOfJSON(content).split('\n');
			const title = docs.find((d) => d.id === id)?.title ?? '';
			let taking = false;
			const taken: string[] = [];
			for (const line of lines) {
				const heading = /^\d+\.\s+\S+-\d+/.test(line) || /^补充记录/.test(line) || /^[一二三四五六七八九十]、/.test(line);
				if (heading) taking = line.includes(number);
				if (taking) taken.push(line);
			}
			if (taken.length) parts.push(`# ${title}\n${taken.join('\n')}`);
		}
		return [text('minutes/excerpt.txt', parts.join('\n\n') + '\n')];
	}
};

/**
 * Objections lodged against the application while its list was published (公示), and their
 * handling: who objected (the package is for the division and admins, as the handling page
 * is), the grounds, notes, the outcome with its reason, and every file attached.
 */
const objections: DossierSection = {
	name: 'objections',
	async build({ db, applicationId }) {
		const rows = await db
			.select({ o: publicationObjections, label: publicationRows.label, publication: publications.title, publicationId: publications.id })
			.from(publicationObjections)
			.innerJoin(publicationRows, eq(publicationRows.id, publicationObjections.rowId))
			.innerJoin(publications, eq(publications.id, publicationObjections.publicationId))
			.where(eq(publicationRows.applicationId, applicationId))
			.orderBy(asc(publicationObjections.createdAt));
		const files: DossierFile[] = [];
		for (const [i, r] of rows.entries()) {
			const dir = `objections/${String(i + 1).padStart(2, '0')}`;
			const notes = await db.select().from(publicationObjectionNotes).where(eq(publicationObjectionNotes.objectionId, r.o.id)).orderBy(asc(publicationObjectionNotes.createdAt));
			const attached = await db.select().from(publicationObjectionFiles).where(eq(publicationObjectionFiles.objectionId, r.o.id)).orderBy(asc(publicationObjectionFiles.createdAt));
			const { receiptHash: _receipt, ip: _ip, ...objection } = r.o;
			void _receipt;
			void _ip;
			files.push(
				json(`${dir}/objection.json`, {
					publication: { id: r.publicationId, title: r.publication },
					item: r.label,
					objection,
					notes: notes.map((n) => ({ body: n.body, authorId: n.authorId, createdAt: n.createdAt })),
					files: attached.map((f) => ({ name: f.fileName, sha256: f.sha256, size: f.size, noteId: f.noteId }))
				})
			);
			for (const [j, f] of attached.entries()) files.push({ path: `${dir}/files/${j + 1}-${safeName(f.fileName)}`, bytes: new Uint8Array(f.data) });
		}
		return files;
	}
};

/** The sections, in package order. */
export const SECTIONS: DossierSection[] = [application, intake, reviewSheets, meetingScoresSection, opinion, decision, minutes, objections];
