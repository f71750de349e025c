// The access table (src/lib/server/access/table.ts) checked against the real built server on
// the demo data, from the refused side: every deny in the table is tried on its channel and
// must be refused (and change nothing); every allow must answer. One table, generated cases:
// adding a route without a row here is caught by the route-coverage test at the end.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { io } from 'socket.io-client';
import { ACCESS_TABLE, ACTORS, ALL_ACTORS, type Actor, type Rule } from '../../src/lib/server/access/table';
import { openDatabase, rows } from '../../src/lib/server/db';
import { login, startServer, type TestServer } from '../helpers/server';
import { rawConnect } from '../helpers/collab';
import { completeDraft } from '../helpers/factories';

let srv: TestServer;
const cookie: Partial<Record<Actor, string>> = {};
const ids: Record<string, string> = {};
const counts = { denies: 0, allows: 0 };

/** Runs a query on the server's own database while the server is stopped (PGlite is one process). */
async function withDatabase<T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> {
	await srv.stop();
	const database = await openDatabase(srv.databaseUrl ? { databaseUrl: srv.databaseUrl, max: 1 } : { dataDir: srv.dataDir });
	try {
		return await fn(database.db);
	} finally {
		await database.close();
		await srv.restart();
	}
}

/** Reads the demo's ids from the server's own database. */
async function resolveFixtures(): Promise<void> {
	await withDatabase(async (db) => {
		const one = async (query: ReturnType<typeof sql>) => {
			const [row] = await rows<{ id: string }>(db, query);
			if (!row) throw new Error(`fixture not found: ${JSON.stringify(query)}`);
			return row.id;
		};
		ids.user = await one(sql`SELECT id FROM users WHERE username = 'expert1'`);
		ids.expert = await one(sql`SELECT e.id FROM experts e JOIN users u ON u.id = e.user_id WHERE u.username = 'expert1'`);
		ids.call = await one(sql`SELECT id FROM calls WHERE code = 'IF2026'`);
		ids.meeting = await one(sql`SELECT id FROM meetings WHERE status = 'scheduled' LIMIT 1`);
		ids.draft = await one(sql`SELECT a.id FROM applications a JOIN enterprises e ON e.id = a.enterprise_id JOIN users u ON u.id = e.user_id WHERE u.username = 'applicant1' AND a.status = 'draft' LIMIT 1`);
		ids.foreign = await one(sql`SELECT id FROM applications WHERE number = 'IF2026-0002'`);
		ids.review = await one(sql`SELECT ra.id FROM assignments ra JOIN experts e ON e.id = ra.expert_id JOIN users u ON u.id = e.user_id WHERE u.username = 'expert1' AND ra.status = 'active' LIMIT 1`);
		ids.plan = await one(sql`SELECT id FROM documents WHERE kind = 'plan' LIMIT 1`);
		ids.guideline = await one(sql`SELECT id FROM documents WHERE kind = 'guideline' LIMIT 1`);
		ids.planVersion = await one(sql`SELECT v.id FROM document_versions v WHERE v.document_id = ${ids.plan} ORDER BY v.created_at LIMIT 1`);
		ids.attachment = await one(sql`SELECT id FROM application_attachments WHERE application_id = ${ids.foreign} LIMIT 1`);
		ids.run = await one(sql`SELECT id FROM assignment_runs WHERE call_id = ${ids.call} LIMIT 1`);
		ids.publication = await one(sql`SELECT id FROM publications WHERE status = 'open' LIMIT 1`);
		ids.objection = await one(sql`SELECT id FROM publication_objections WHERE publication_id = ${ids.publication} LIMIT 1`);
		ids.objectionFile = await one(sql`SELECT id FROM publication_objection_files WHERE objection_id = ${ids.objection} LIMIT 1`);
		ids.item2 = await one(sql`SELECT mi.id FROM meeting_items mi JOIN applications a ON a.id = mi.application_id WHERE a.number = 'IF2026-0004'`);
		ids.hearing = await one(sql`SELECT item_id AS id FROM hearings LIMIT 1`);
	});
}

function fill(target: string): string {
	return target.replace(/\{(\w+)\}/g, (_, k: string) => {
		if (!ids[k]) throw new Error(`no fixture {${k}}`);
		return ids[k];
	});
}

function headers(actor: Actor, extra: Record<string, string> = {}): Record<string, string> {
	return { ...(cookie[actor] ? { cookie: cookie[actor]! } : {}), ...extra };
}

/** The audit rows that record a change (sign-ins excluded): a refused request adds none. */
async function changeCount(): Promise<number> {
	return withDatabase(async (db) => {
		const [row] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM audit_log WHERE action NOT LIKE 'auth.%'`);
		return Number(row.n);
	});
}

/** Valid bodies, so that a refusal is the guard's and not the validator's. */
const BODIES: Record<string, unknown> = {
	'PUT /api/applications/{foreign}': completeDraft(),
	'POST /api/documents/{plan}/comments': { anchorStart: 'a', anchorEnd: 'b', quote: '', body: '越权评论' },
	'POST /api/documents/{plan}/shares': { userId: '{user}', access: 'edit' },
	'POST /api/documents/{plan}/versions': { name: '越权版本' },
	'POST /api/documents/{plan}/reopen': { reason: '越权重新打开' }
};
const FIELDS: Record<string, Record<string, string>> = {
	'/applications/{foreign}?/reject': { reason: '材料不完整，不符合申报条件要求。' },
	'/applications/import?/preview': { callId: '{call}' },
	'/calls/{call}/publication?/preview': { kind: 'funding', title: '越权公示', periodLength: '7', periodUnit: 'workingDays' },
	'/calls/{call}/publication?/publish': { kind: 'funding', title: '越权公示', periodLength: '7', periodUnit: 'workingDays' },
	'/calls/{call}/publication?/acknowledge': { id: '{objection}' },
	'/calls/{call}/publication?/note': { id: '{objection}', body: '越权记录' },
	'/calls/{call}/publication?/decide': { id: '{objection}', outcome: 'dismissed', reason: '越权处理结果' },
	'/calls/{call}/publication?/finalize': { id: '{publication}' },
	'/meetings/new': { callId: '{call}', title: '越权会议', place: '第二会议室', startsAt: '2026-12-30T14:00', quorum: '0.667', ballotThreshold: '0.667' }
};

const byChannel = (channel: Rule['channel']) => ACCESS_TABLE.filter((r) => r.channel === channel);
const denied = (rule: Rule) => ALL_ACTORS.filter((a) => !rule.allow.includes(a));

beforeAll(async () => {
	srv = await startServer();
	await resolveFixtures();
	for (const actor of ALL_ACTORS) {
		const username = ACTORS[actor];
		if (username) cookie[actor] = await login(srv.url, username);
	}
}, 180_000);

afterAll(async () => {
	// The figures SECURITY.md quotes.
	console.log(`access matrix: ${counts.denies} denies and ${counts.allows} allows exercised over ${ACCESS_TABLE.length} rules`);
	await srv?.dispose();
});

/** A page or endpoint refused: sent to sign in, 401, 403 or 404 (a hidden object). */
function refused(actor: Actor, res: Response): boolean {
	if (actor === 'anonymous') return res.status === 401 || (res.status === 303 && (res.headers.get('location') ?? '').startsWith('/login'));
	return res.status === 403 || res.status === 404;
}

describe('pages', () => {
	for (const rule of byChannel('page')) {
		it(`${rule.target}: allowed to ${rule.allow.join(', ') || 'nobody'}`, async () => {
			const url = srv.url + fill(rule.target);
			for (const actor of ALL_ACTORS) {
				const res = await fetch(url, { redirect: 'manual', headers: headers(actor) });
				await res.arrayBuffer();
				if (rule.allow.includes(actor)) {
					expect.soft(res.status, `${actor} may open ${rule.target}`).toBe(200);
					counts.allows++;
				} else {
					expect.soft(refused(actor, res), `${actor} must not open ${rule.target} (got ${res.status})`).toBe(true);
					counts.denies++;
				}
			}
		}, 60_000);
	}
});

describe('endpoints', () => {
	for (const rule of byChannel('endpoint')) {
		it(`${rule.target}: allowed to ${rule.allow.join(', ') || 'nobody'}`, async () => {
			const [method, target] = rule.target.split(' ');
			for (const actor of ALL_ACTORS) {
				const allowed = rule.allow.includes(actor);
				// Writes are only tried from the refused side: the domain suites cover what they do.
				if (allowed && method !== 'GET') continue;
				const res = await fetch(srv.url + fill(target), {
					method,
					redirect: 'manual',
					headers: headers(actor, { 'content-type': 'application/json', origin: srv.url }),
					body: method === 'GET' ? undefined : fill(JSON.stringify(BODIES[rule.target] ?? {}))
				});
				await res.arrayBuffer();
				if (allowed) {
					expect.soft(res.status, `${actor} may ${rule.target}`).toBe(200);
					counts.allows++;
				} else {
					expect.soft(refused(actor, res), `${actor} must not ${rule.target} (got ${res.status})`).toBe(true);
					counts.denies++;
				}
			}
		}, 60_000);
	}
});

describe('form actions', () => {
	it('refuses every deny in the table and records no change', async () => {
		const before = await changeCount();
		for (const rule of byChannel('action')) {
			const target = fill(rule.target);
			for (const actor of denied(rule)) {
				const res = await fetch(srv.url + target, {
					method: 'POST',
					redirect: 'manual',
					headers: headers(actor, { 'content-type': 'application/x-www-form-urlencoded', origin: srv.url, accept: 'application/json', 'x-sveltekit-action': 'true' }),
					body: new URLSearchParams(JSON.parse(fill(JSON.stringify(FIELDS[rule.target] ?? { reason: '越权尝试越权尝试越权尝试', title: '越权尝试', name: '越权尝试' }))))
				});
				const text = await res.text();
				let ok: boolean;
				if (res.status === 200 && text.startsWith('{')) {
					// SvelteKit's action protocol: {type: 'error' | 'redirect' | 'failure' | 'success', status}.
					const body = JSON.parse(text) as { type: string; status?: number; location?: string };
					ok =
						((body.type === 'error' || body.type === 'failure') && (body.status === 401 || body.status === 403 || body.status === 404)) ||
						(actor === 'anonymous' && body.type === 'redirect' && (body.location ?? '').startsWith('/login'));
				} else ok = refused(actor, res) || (actor === 'anonymous' && res.status === 401);
				expect.soft(ok, `${actor} must not ${rule.target} (got ${res.status} ${text.slice(0, 120)})`).toBe(true);
				counts.denies++;
			}
		}
		expect(await changeCount()).toBe(before);
	}, 240_000);
});

/** Refusals that are about who you are, not about the state of the room. */
const ACCESS_CODES = new Set(['notMember', 'forbidden', 'recused']);
/** Someone with no part in the meeting is not even told it exists. */
const STRANGERS: Actor[] = ['applicant', 'outsider', 'planner'];
const refusedInRoom = (actor: Actor, ack: { ok: boolean; error?: string }) =>
	!ack.ok && (ACCESS_CODES.has(ack.error ?? '') || (STRANGERS.includes(actor) && ack.error === 'notFound'));

describe('the meeting room over Socket.IO', () => {
	it('refuses every deny in the table on its event, before anything else is checked', async () => {
		type Sock = ReturnType<typeof io>;
		const sockets = new Map<Actor, Sock>();
		const connect = (actor: Actor) =>
			new Promise<Sock>((resolve, reject) => {
				const s = io(srv.url, { path: '/socket.io', transports: ['websocket'], extraHeaders: headers(actor), reconnection: false });
				s.once('connect', () => resolve(s));
				s.once('connect_error', reject);
			});
		// Nobody signed out gets a socket at all.
		await expect(connect('anonymous')).rejects.toThrow();
		counts.denies++;
		for (const actor of ALL_ACTORS) if (actor !== 'anonymous') sockets.set(actor, await connect(actor));
		try {
			const emit = (actor: Actor, event: string, payload: Record<string, unknown>) =>
				sockets.get(actor)!.timeout(10_000).emitWithAck(event, { meetingId: ids.meeting, ...payload }) as Promise<{ ok: boolean; error?: string }>;
			const payloads: Record<string, Record<string, unknown>> = {
				'score:submit': { round: 1, scores: {}, deductions: {} },
				'summary:set': { summary: '越权尝试' },
				'decision:lock': { outcome: 'fund', amount: 100, fundingMode: 'grant', rationale: '越权尝试' },
				'decision:reopen': { reason: '越权尝试重新打开' }
			};
			for (const rule of byChannel('socket')) {
				const [event, at] = rule.target.split('@');
				const payload = { ...(at ? { itemId: fill(at) } : {}), ...(payloads[event] ?? {}) };
				for (const actor of denied(rule)) {
					if (actor === 'anonymous') continue;
					const ack = await emit(actor, event, payload);
					expect.soft(refusedInRoom(actor, ack), `${actor} must be refused ${rule.target} (got ${JSON.stringify(ack)})`).toBe(true);
					counts.denies++;
				}
				// Then the first allowed actor does it, so later rules find the room they expect;
				// the room's own preconditions may still refuse, but never for who they are.
				const first = rule.allow[0];
				if (first) {
					if (event !== 'meeting:join') {
						for (const a of rule.allow) if (a !== 'anonymous') await emit(a, 'meeting:join', {});
					}
					const ack = await emit(first, event, payload);
					expect.soft(ack.ok || !ACCESS_CODES.has(ack.error ?? ''), `${first} may ${rule.target} (got ${JSON.stringify(ack)})`).toBe(true);
					counts.allows++;
				}
			}
		} finally {
			for (const s of sockets.values()) s.disconnect();
		}
	}, 120_000);
});

describe('documents on every channel', () => {
	async function notesId(): Promise<string> {
		// The meeting has started above (or starts here): the chair's view names item 2's notes.
		const s = io(srv.url, { path: '/socket.io', transports: ['websocket'], extraHeaders: headers('chair'), reconnection: false });
		try {
			const ack = (await s.timeout(10_000).emitWithAck('meeting:join', { meetingId: ids.meeting })) as { ok: boolean; data?: { items: { id: string; notesDocumentId: string | null }[] } };
			if (!ack.ok) throw new Error('chair could not join');
			let item = ack.data!.items.find((i) => i.id === ids.item2);
			if (!item?.notesDocumentId) {
				await s.timeout(10_000).emitWithAck('meeting:start', { meetingId: ids.meeting });
				const again = (await s.timeout(10_000).emitWithAck('meeting:join', { meetingId: ids.meeting })) as typeof ack;
				item = again.data!.items.find((i) => i.id === ids.item2);
			}
			if (!item?.notesDocumentId) throw new Error('item 2 has no notes document');
			return item.notesDocumentId;
		} finally {
			s.disconnect();
		}
	}

	for (const rule of byChannel('document')) {
		it(`${rule.target}: open to ${rule.allow.join(', ')}`, async () => {
			if (rule.target === '{notes}' && !ids.notes) ids.notes = await notesId();
			const id = fill(rule.target);
			const channels = [`/documents/${id}`, `/documents/${id}/print`, `/api/documents/${id}`, `/api/documents/${id}/export?format=md`];
			for (const actor of ALL_ACTORS) {
				const allowed = rule.allow.includes(actor);
				for (const p of channels) {
					const res = await fetch(srv.url + p, { redirect: 'manual', headers: headers(actor) });
					await res.arrayBuffer();
					if (allowed) expect.soft(res.status, `${actor} may open ${rule.target} at ${p}`).toBe(200);
					else expect.soft(refused(actor, res), `${actor} must not open ${rule.target} at ${p} (got ${res.status})`).toBe(true);
				}
				const ws = await rawConnect(`${srv.url.replace(/^http/, 'ws')}/collab/${id}`, headers(actor, { origin: srv.url }));
				if ('ws' in ws) {
					ws.ws.close();
					expect.soft(allowed, `${actor} must not open ${rule.target} at /collab`).toBe(true);
				} else expect.soft(allowed ? 0 : ws.status, `${actor} ${allowed ? 'may' : 'must not'} open ${rule.target} at /collab (got ${ws.status})`).toBeGreaterThanOrEqual(allowed ? 0 : 401);
				if (allowed) counts.allows += channels.length + 1;
				else counts.denies += channels.length + 1;
			}
		}, 60_000);
	}
});

describe('the table covers the routes', () => {
	it('names every page and endpoint the app serves', () => {
		const root = path.resolve(import.meta.dirname, '../../src/routes');
		const routes: string[] = [];
		const walk = (dir: string) => {
			for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
				const full = path.join(dir, e.name);
				if (e.isDirectory()) walk(full);
				else if (e.name === '+page.server.ts' || e.name === '+server.ts') {
					const route = path
						.relative(root, dir)
						.split(path.sep)
						.filter((seg) => !/^\(.*\)$/.test(seg))
						.join('/');
					routes.push('/' + route);
				}
			}
		};
		walk(root);
		// Objects by placeholder; routes that are not access-controlled by role are listed here.
		const open = new Set(['/login', '/register', '/logout', '/healthz', '/api/auth/login', '/api/auth/logout', '/api/me/locale']);
		const named = ACCESS_TABLE.map((r) => r.target.replace(/^[A-Z]+ /, '').replace(/\?.*$/, '').replace(/@.*$/, ''));
		const byDocument = ['/documents/[id=uuid]', '/documents/[id=uuid]/print', '/api/documents/[id=uuid]', '/api/documents/[id=uuid]/export'];
		const missing = routes.filter((route) => {
			if (open.has(route) || byDocument.includes(route)) return false;
			const pattern = new RegExp('^' + route.replace(/\[[^\]]+\]/g, '\\{\\w+\\}') + '$');
			return !named.some((n) => pattern.test(n) || n === route);
		});
		// Routes still outside the table: listed so that the gap is visible and can only shrink.
		expect(missing.sort()).toEqual(KNOWN_UNLISTED);
	});
});

/** Routes whose guards are tested by their own domain suites, not yet rows of the table. */
const KNOWN_UNLISTED: string[] = [
	// A comment's own endpoint (resolve, reply) needs a comment to exist; documents.test.ts tries it refused.
	'/api/documents/[id=uuid]/comments/[commentId=uuid]',
	// Opening a notification needs one of the person's own; notifications-http.test.ts opens another's (404).
	'/notifications/[id=uuid]'
];
