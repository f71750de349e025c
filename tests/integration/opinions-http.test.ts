// Issue 11 parts 3 and 5 over raw HTTP against the built server on the demo data: an item is
// decided through the real room (Socket.IO), the lead drafts over /collab, the panel co-signs
// through the page's form actions, the chair finalizes, the division previews and releases;
// then the applicant's page (HTML and the page's JSON) is scanned for every expert name and
// every individual score of the item; the opinion page and document are refused (404) to a
// recused member and the applicant; the dossier downloads for the owning division and admins
// only (audited), and the verify page reports OK, changed and missing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { chromium } from '@playwright/test';
import { eq } from 'drizzle-orm';
import * as s from '../../db/schema';
import { openDatabase } from '../../src/lib/server/db';
import { login, startServer, type TestServer } from '../helpers/server';
import { connectClient, rawConnect, synced, typeInto, waitFor, type Client } from '../helpers/collab';
import { meetingFixture, RoomClient } from '../helpers/meetings';
import type { ItemView, MeetingView } from '../../src/lib/meetings/protocol';

let srv: TestServer;
const cookie: Record<string, string> = {};
const open: Client[] = [];
const rooms: RoomClient[] = [];
let meetingId: string;
let itemId: string;
let applicationId: string;
let documentId: string;
let expert1Id: string;

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

const get = (path: string, who: string) => fetch(srv.url + path, { redirect: 'manual', headers: { cookie: cookie[who] } });

function action(path: string, who: string, fields: Record<string, string>) {
	return fetch(srv.url + path, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin: srv.url, accept: 'application/json', 'x-sveltekit-action': 'true', 'content-type': 'application/x-www-form-urlencoded', cookie: cookie[who] },
		body: new URLSearchParams(fields)
	});
}

async function actionResult(res: Response): Promise<{ status: number; data: string }> {
	if (res.status !== 200) return { status: res.status, data: await res.text() };
	const json = (await res.json()) as { type: string; status?: number; data?: string };
	return { status: json.type === 'success' ? 200 : (json.status ?? 500), data: json.data ?? '' };
}

function sheet(view: MeetingView, value: number) {
	const scores: Record<string, number> = {};
	for (const g of view.rubric.groups) for (const i of g.items) scores[i.id] = value;
	return scores;
}

async function room(who: string): Promise<RoomClient> {
	const c = new RoomClient(who, srv.url, cookie[who], meetingId);
	rooms.push(c);
	await c.join();
	return c;
}

beforeAll(async () => {
	srv = await startServer();
	// A meeting on IF2026-0004 (expert6 works at its applicant: recused); its enterprise gets a
	// signed-in applicant, with the demo password.
	await withDatabase(async (db) => {
		const f = await meetingFixture(db, { numbers: ['IF2026-0004'], requiresBallot: false });
		meetingId = f.meetingId;
		itemId = f.items[0].id;
		const [app] = await db.select().from(s.applications).where(eq(s.applications.number, 'IF2026-0004'));
		applicationId = app.id;
		const [a1] = await db.select().from(s.users).where(eq(s.users.username, 'applicant1'));
		const [u] = await db.insert(s.users).values({ username: 'applicant4', name: '申报联系人四', passwordHash: a1.passwordHash }).returning();
		await db.update(s.enterprises).set({ userId: u.id }).where(eq(s.enterprises.id, app.enterpriseId!));
		// Read now: a restart after the decision would let the demo step seed its own opinion on it.
		const [e1] = await db.select({ id: s.users.id }).from(s.users).where(eq(s.users.username, 'expert1'));
		expert1Id = e1.id;
	});
	for (const name of ['chair', 'expert1', 'expert2', 'expert6', 'intake', 'planner', 'admin', 'applicant4']) cookie[name] = await login(srv.url, name);
	const chair = await room('chair');
	const e1 = await room('expert1');
	const e2 = await room('expert2');
	await room('expert6');
	expect((await chair.send('meeting:start', {})).ok).toBe(true);
	for (const [c, v] of [[chair, 84], [e1, 91], [e2, 77]] as const) expect((await c.send('score:submit', { itemId, round: 1, scores: sheet(e1.state!, v) })).ok).toBe(true);
	await chair.until((v) => (v.items[0] as ItemView).rounds[0]?.revealed, 'revealed');
	expect((await chair.send('decision:lock', { itemId, outcome: 'fund', amount: 70, fundingMode: 'grant', rationale: '同意资助。' })).ok).toBe(true);
	for (const c of rooms) c.close();
}, 180_000);

afterAll(async () => {
	for (const c of open) c.destroy();
	for (const c of rooms) c.close();
	await srv?.dispose();
});

describe('the panel opinion over HTTP', () => {
	it('drafted, co-signed, finalized and released through the pages; refused to the recused member and the applicant', async () => {
		const meetingPage = await (await get(`/meetings/${meetingId}`, 'chair')).text();
		expect(meetingPage).toContain(`/opinions/${itemId}`);
		const e1 = expert1Id;
		expect((await actionResult(await action(`/opinions/${itemId}?/appoint`, 'expert2', { leadUserId: e1 }))).status).toBe(403);
		expect((await actionResult(await action(`/opinions/${itemId}?/appoint`, 'chair', { leadUserId: e1 }))).status).toBe(200);
		const html = await (await get(`/opinions/${itemId}`, 'chair')).text();
		documentId = /\/documents\/([0-9a-f-]{36})/.exec(html)![1];

		// The recused member and the applicant: the page, the document page, its API and /collab.
		for (const who of ['expert6', 'applicant4']) {
			expect((await get(`/opinions/${itemId}`, who)).status, who).toBe(404);
			expect((await get(`/api/documents/${documentId}`, who)).status, who).toBe(404);
			expect((await get(`/documents/${documentId}`, who)).status, who).toBe(404);
			const ws = await rawConnect(`${srv.url.replace(/^http/, 'ws')}/collab/${documentId}`, { cookie: cookie[who], origin: srv.url });
			expect('status' in ws && [403, 404].includes(ws.status), who).toBe(true);
			expect((await actionResult(await action(`/opinions/${itemId}?/sign`, who, { kind: 'sign' }))).status, who).toBe(404);
		}

		// The lead writes over /collab, then submits; the others sign or dissent.
		const lead = connectClient(srv.url, documentId, { cookie: cookie.expert1, origin: srv.url });
		open.push(lead);
		await synced(lead);
		typeInto(lead.doc, 0, '专家组一致认为项目技术先进。');
		await waitFor(() => true, 100);
		await new Promise((r) => setTimeout(r, 500));
		expect((await actionResult(await action(`/opinions/${itemId}?/finalize`, 'chair', {}))).status).toBe(409);
		expect((await actionResult(await action(`/opinions/${itemId}?/submit`, 'expert1', {}))).status).toBe(200);
		expect((await actionResult(await action(`/opinions/${itemId}?/sign`, 'expert2', { kind: 'dissent', dissent: '建议资助额度下调至五十万元。' }))).status).toBe(200);
		const pending = await actionResult(await action(`/opinions/${itemId}?/finalize`, 'chair', {}));
		expect(pending.status).toBe(409);
		expect(pending.data).toContain('陈宏远');
		expect((await actionResult(await action(`/opinions/${itemId}?/sign`, 'chair', { kind: 'sign' }))).status).toBe(200);
		// The chair cannot lock it through the documents API before it is ready… it is ready now, but
		// the experts may not lock at all.
		expect((await fetch(`${srv.url}/api/documents/${documentId}/lock`, { method: 'POST', headers: { cookie: cookie.expert2, origin: srv.url } })).status).toBe(403);
		expect((await actionResult(await action(`/opinions/${itemId}?/finalize`, 'chair', {}))).status).toBe(200);
		lead.destroy();

		// The division previews, then releases; the chair may not.
		expect((await actionResult(await action(`/opinions/${itemId}?/release`, 'chair', { text: '1', dissents: '1', decision: '1' }))).status).toBe(403);
		const preview = await (await get(`/opinions/${itemId}?preview=1&text=1&dissents=1&decision=1`, 'intake')).text();
		expect(preview).toContain('data-testid="release-preview"');
		expect((await actionResult(await action(`/opinions/${itemId}?/release`, 'intake', { text: '1', dissents: '1', decision: '1' }))).status).toBe(200);
	}, 120_000);

	it('the applicant’s page shows the released opinion and decision, and no expert name and no individual score', async () => {
		const page = await (await get(`/applications/${applicationId}`, 'applicant4')).text();
		const data = await (await get(`/applications/${applicationId}/__data.json`, 'applicant4')).text();
		expect(page).toContain('专家组一致认为项目技术先进。');
		expect(page).toContain('建议资助额度下调至五十万元。');
		expect(page).toContain('data-testid="applicant-outcome"');
		const { names, scores } = await withDatabase(async (db) => {
			const members = await db.select({ name: s.users.name }).from(s.meetingMembers).innerJoin(s.users, eq(s.users.id, s.meetingMembers.userId)).where(eq(s.meetingMembers.meetingId, meetingId));
			const experts = await db.select({ name: s.experts.name }).from(s.experts);
			const sheets = await db.select().from(s.meetingScores).where(eq(s.meetingScores.itemId, itemId));
			const reviewSheets = await db.select().from(s.reviews).where(eq(s.reviews.applicationId, applicationId));
			return {
				names: [...new Set([...members.map((m) => m.name), ...experts.map((e) => e.name)])],
				scores: [...sheets.map((x) => x.total), ...reviewSheets.map((r) => r.total)].filter((x): x is string => !!x)
			};
		});
		const again = await (await get(`/applications/${applicationId}`, 'applicant4')).text();
		expect(names.length).toBeGreaterThan(5);
		for (const body of [again, data]) {
			for (const n of names) expect(body, n).not.toContain(n);
			for (const sc of scores) expect(body, sc).not.toContain(sc);
		}
	}, 120_000);
	it('the applicant’s page in a browser shows the released opinion (screens zh-CN and en, 1280 and 820 px)', async () => {
		const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
		try {
			const dir = path.resolve('test-results/screens');
			fs.mkdirSync(dir, { recursive: true });
			const [name, value] = cookie.applicant4.split('=');
			for (const locale of ['zh-CN', 'en'] as const) {
				const context = await browser.newContext({ locale });
				await context.addCookies([
					{ name, value, url: srv.url },
					{ name: 'PARAGLIDE_LOCALE', value: locale, url: srv.url }
				]);
				const page = await context.newPage();
				await page.goto(`${srv.url}/applications/${applicationId}`);
				const card = page.getByTestId('applicant-opinion');
				await card.waitFor();
				expect(await card.innerText()).toContain('建议资助额度下调至五十万元。');
				expect(await page.locator('html').getAttribute('lang')).toBe(locale);
				for (const width of [1280, 820]) {
					await page.setViewportSize({ width, height: 900 });
					await page.screenshot({ path: path.join(dir, `opinion-applicant-${locale}-${width}.png`), fullPage: true });
				}
				await context.close();
			}
		} finally {
			await browser.close();
		}
	}, 120_000);
});

describe('the dossier over HTTP', () => {
	let zip: Uint8Array;

	it('is refused to an expert, the applicant and another division (raw HTTP); the owning division and admins download it, audited', async () => {
		for (const who of ['expert1', 'chair', 'applicant4', 'planner']) {
			const res = await get(`/applications/${applicationId}/dossier`, who);
			expect(res.status, who).toBe(404);
			expect(res.headers.get('content-type') ?? '', who).not.toContain('zip');
		}
		expect((await fetch(`${srv.url}/applications/${applicationId}/dossier`, { redirect: 'manual' })).status).toBe(303);
		const staffPage = await (await get(`/applications/${applicationId}`, 'intake')).text();
		expect(staffPage).toContain('data-testid="dossier-download"');
		const res = await get(`/applications/${applicationId}/dossier`, 'intake');
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('application/zip');
		zip = new Uint8Array(await res.arrayBuffer());
		expect((await get(`/applications/${applicationId}/dossier`, 'admin')).status).toBe(200);
		const entries = await withDatabase((db) => db.select().from(s.auditLog).where(eq(s.auditLog.action, 'dossier.downloaded')));
		expect(entries.map((e) => e.actorName).sort()).toEqual(['刘芳', '赵敏']);
	}, 120_000);

	it('the verify page: OK for the package, changed for a byte, missing for a removed file; the decision hash against the database', async () => {
		const post = async (bytes: Uint8Array, who = 'intake') => {
			const form = new FormData();
			form.append('file', new Blob([bytes as BlobPart], { type: 'application/zip' }), 'dossier.zip');
			const res = await fetch(`${srv.url}/dossier/verify`, { method: 'POST', headers: { origin: srv.url, accept: 'application/json', 'x-sveltekit-action': 'true', cookie: cookie[who] }, body: form });
			return (await res.json()) as { type: string; status?: number; data: string };
		};
		const good = await post(zip);
		expect(good.type).toBe('success');
		expect(good.data).toContain('"ok"');
		expect(good.data).not.toContain('"changed"');
		const z = await JSZip.loadAsync(zip);
		const bytes = await z.file('meeting/scores.json')!.async('uint8array');
		bytes[5] ^= 1;
		z.file('meeting/scores.json', bytes);
		z.remove('intake/intake.json');
		const bad = await post(await z.generateAsync({ type: 'uint8array' }));
		expect(bad.data).toContain('"changed"');
		expect(bad.data).toContain('"missing"');
		expect((await post(new TextEncoder().encode('nope'))).type).toBe('failure');
		// An expert is not staff: the page is not theirs.
		expect((await get('/dossier/verify', 'expert1')).status).toBe(403);
	}, 120_000);
});
