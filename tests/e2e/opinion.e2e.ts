// The panel's opinion and the dossier in the browser, on the demo meeting: an item is decided
// first through the room's Socket.IO protocol (raw clients signed in over the API); then the
// chair appoints the lead, the lead drafts in the shared editor and submits, a member co-signs,
// another dissents, the chair finalizes, the division previews exactly what the applicant will
// see and releases it, and downloads the dossier, whose package the verify page reports
// intact. Screens of the opinion panel, the release preview and the verify page, in Chinese
// and English at 1280 and 820 px. (The applicant's own page is checked, and shot, against a
// signed-in applicant of the decided application in tests/integration/opinions-http.test.ts:
// the browser suites cannot give a demo enterprise an account.)
import { expect, test, type Browser, type Page } from '@playwright/test';
import { io, type Socket } from 'socket.io-client';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hydrated, PASSWORD, shot, signIn } from './helpers';

test.describe.configure({ mode: 'serial', timeout: 240_000 });

type Ack = { ok: boolean; error?: string; data?: View };
type View = {
	meeting: { id: string; status: string; currentItemId: string | null };
	me: { userId: string; role: string | null };
	rubric: { groups: { items: { id: string }[] }[] };
	items: { id: string; position: number; recused: boolean; number?: string; decision?: unknown; recusedUserIds?: string[]; rounds?: { round: number; revealed: boolean }[] }[];
};

async function apiCookie(baseURL: string, username: string): Promise<string> {
	const res = await fetch(`${baseURL}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
	return res.headers.getSetCookie().find((c) => c.startsWith('panelroom_session='))!.split(';')[0];
}

function send(socket: Socket, name: string, payload: Record<string, unknown>): Promise<Ack> {
	return socket.timeout(10_000).emitWithAck(name, payload);
}

/** Decides one undecided item of the demo meeting through the room; returns its id and number. */
async function decideAnItem(baseURL: string, meetingId: string): Promise<{ itemId: string; number: string }> {
	const sockets: { username: string; socket: Socket; view: View }[] = [];
	for (const username of ['chair', ...Array.from({ length: 8 }, (_, i) => `expert${i + 1}`)]) {
		const socket = io(baseURL, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie: await apiCookie(baseURL, username) } });
		await new Promise<void>((resolve, reject) => {
			socket.once('connect', () => resolve());
			socket.once('connect_error', reject);
		});
		const ack = await send(socket, 'meeting:join', { meetingId });
		if (ack.ok && ack.data) sockets.push({ username, socket, view: ack.data });
		else socket.disconnect();
	}
	const chair = sockets.find((s) => s.username === 'chair')!;
	try {
		if (chair.view.meeting.status === 'scheduled') expect((await send(chair.socket, 'meeting:start', { meetingId })).ok).toBe(true);
		const target = chair.view.items.find((i) => !i.recused && !i.decision)!;
		expect(target, 'an undecided item').toBeDefined();
		expect((await send(chair.socket, 'meeting:goto', { meetingId, itemId: target.id })).ok).toBe(true);
		const fresh = await send(chair.socket, 'meeting:join', { meetingId });
		const item = fresh.data!.items.find((i) => i.id === target.id)!;
		const round = item.rounds?.at(-1)?.round ?? 1;
		const scores: Record<string, number> = {};
		for (const g of chair.view.rubric.groups) for (const it of g.items) scores[it.id] = 85;
		for (const s of sockets) {
			if (item.recusedUserIds?.includes(s.view.me.userId) || s.view.me.role === 'observer' || s.view.me.role === 'secretary') continue;
			await send(s.socket, 'score:submit', { meetingId, itemId: target.id, round, scores, opinion: '同意。' });
		}
		await send(chair.socket, 'round:reveal', { meetingId, itemId: target.id });
		const lock = await send(chair.socket, 'decision:lock', { meetingId, itemId: target.id, outcome: 'fund', amount: 60, fundingMode: 'grant', rationale: '技术先进，同意资助。' });
		expect(lock.ok, lock.error).toBe(true);
		return { itemId: target.id, number: item.number ?? '' };
	} finally {
		for (const s of sockets) s.socket.disconnect();
	}
}

async function person(browser: Browser, username: string): Promise<Page> {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, username);
	return page;
}

async function setLocale(page: Page, locale: 'en' | 'zh-CN') {
	await page.setViewportSize({ width: 1280, height: 900 });
	await page.locator(`[data-locale="${locale}"]`).first().click();
	await expect(page.locator('html')).toHaveAttribute('lang', locale);
	await hydrated(page);
}

async function screens(page: Page, name: string) {
	for (const width of [1280, 820]) {
		await page.setViewportSize({ width, height: 900 });
		await shot(page, `${name}-zh-CN-${width}`);
	}
	await setLocale(page, 'en');
	for (const width of [1280, 820]) {
		await page.setViewportSize({ width, height: 900 });
		await shot(page, `${name}-en-${width}`);
	}
	await setLocale(page, 'zh-CN');
	await page.setViewportSize({ width: 1280, height: 800 });
}

let opinionUrl = '';
let applicationUrl = '';

test('lead drafts, a member co-signs, another dissents, the chair finalizes; the division previews and releases', async ({ browser, baseURL }) => {
	const chair = await person(browser, 'chair');
	await chair.goto('/meetings');
	await hydrated(chair);
	const href = (await chair.locator('table a[href^="/meetings/"]').first().getAttribute('href'))!.replace(/\/(room|edit)$/, '');
	const meetingId = href.split('/').pop()!;
	const { itemId } = await decideAnItem(baseURL!, meetingId);
	opinionUrl = `/opinions/${itemId}`;

	await chair.goto(href);
	await expect(chair.locator(`a[href="${opinionUrl}"]`)).toBeVisible();
	await chair.goto(opinionUrl);
	await hydrated(chair);
	await chair.locator('select[name="leadUserId"]').selectOption({ label: '刘振华' });
	await chair.getByTestId('appoint-lead').click();
	await expect(chair.getByText('已指定主审专家。')).toBeVisible();

	// The lead writes in the shared editor, then submits for co-signing.
	const lead = await person(browser, 'expert1');
	await lead.goto(opinionUrl);
	await hydrated(lead);
	await lead.getByTestId('open-opinion-document').click();
	const editor = lead.locator('.ProseMirror');
	await expect(editor).toContainText('专家组意见', { timeout: 15_000 });
	await editor.click();
	await lead.keyboard.press('Control+End');
	await lead.keyboard.type('专家组认为该项目技术路线清晰，同意推荐立项。');
	await expect(lead.getByText('专家组认为该项目技术路线清晰，同意推荐立项。')).toBeVisible();
	await lead.waitForTimeout(1500);
	await lead.goto(opinionUrl);
	await hydrated(lead);
	await lead.getByTestId('submit-opinion').click();
	await expect(lead.getByText('已提交会签。')).toBeVisible();

	// The chair cannot finalize before everyone has signed.
	await chair.reload();
	await hydrated(chair);
	await chair.getByTestId('finalize-opinion').click();
	await expect(chair.getByText(/仍有专家未会签/)).toBeVisible();

	const member = await person(browser, 'expert2');
	await member.goto(opinionUrl);
	await hydrated(member);
	await member.getByTestId('cosign').click();
	await expect(member.getByText('已会签。')).toBeVisible();

	// The chair signs with a dissent; anyone else still pending is recorded with a reason.
	await chair.reload();
	await hydrated(chair);
	await chair.locator('textarea[name="dissent"]').fill('建议资助额度下调为四十万元。');
	await chair.getByTestId('dissent').click();
	await expect(chair.getByText('已会签。')).toBeVisible();
	await chair.reload();
	await hydrated(chair);
	for (const input of await chair.locator('input[name^="excuse_"]').all()) await input.fill('会后未能联系上，电话确认同意结论');
	await shot(chair, 'opinion-chair-finalize');
	await chair.getByTestId('finalize-opinion').click();
	await expect(chair.getByText('已定稿并锁定。')).toBeVisible();
	await expect(chair.getByTestId('opinion-lock')).toContainText('SHA-256');

	// The division: preview first, then release.
	const staff = await person(browser, 'intake');
	await staff.goto(opinionUrl);
	await hydrated(staff);
	await staff.getByTestId('release-form').locator('input[name="dissents"]').check();
	await staff.getByTestId('preview-release').click();
	await expect(staff.getByTestId('release-preview')).toContainText('专家组认为该项目技术路线清晰，同意推荐立项。');
	await expect(staff.getByTestId('release-preview')).toContainText('同意资助');
	await expect(staff.getByTestId('release-preview')).toContainText('建议资助额度下调为四十万元。');
	const previewText = await staff.getByTestId('release-preview').getByTestId('applicant-opinion').innerText();
	for (const name of ['刘振华', '王晓梅', '陈宏远']) expect(previewText).not.toContain(name);
	await screens(staff, 'opinion-release-preview');
	staff.once('dialog', (d) => d.accept());
	await staff.getByTestId('release-opinion').click();
	await expect(staff.getByText('已向申报单位公开。')).toBeVisible();
	// Exactly what was previewed.
	const releasedText = await staff.getByTestId('released-view').getByTestId('applicant-opinion').innerText();
	expect(releasedText).toBe(previewText);
	await screens(staff, 'opinion-panel');
	for (const p of [chair, lead, member, staff]) await p.context().close();
});

test('the division downloads the dossier and the verify page reports it intact', async ({ browser }) => {
	const staff = await person(browser, 'intake');
	await staff.goto(opinionUrl);
	await hydrated(staff);
	await staff.getByTestId('opinion-application-link').click();
	await expect(staff).toHaveURL(/\/applications\/[0-9a-f-]{36}$/);
	applicationUrl = new URL(staff.url()).pathname;
	await hydrated(staff);
	const [download] = await Promise.all([staff.waitForEvent('download'), staff.getByTestId('dossier-download').click()]);
	const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-e2e-')), download.suggestedFilename());
	await download.saveAs(file);
	expect(fs.statSync(file).size).toBeGreaterThan(1000);

	await staff.goto('/dossier/verify');
	await hydrated(staff);
	await staff.locator('input[name="file"]').setInputFiles(file);
	await staff.getByRole('button', { name: '校验' }).click();
	await expect(staff.getByTestId('verify-result')).toContainText('档案完整');
	await expect(staff.getByTestId('verify-files').locator('tr[data-status="ok"]').first()).toBeVisible();
	await expect(staff.getByTestId('verify-files').locator('tr[data-status="changed"]')).toHaveCount(0);
	await expect(staff.getByTestId('verify-decision')).toContainText('与数据库一致');
	await shot(staff, 'dossier-verify-zh-CN-1280');
	await staff.setViewportSize({ width: 820, height: 900 });
	await shot(staff, 'dossier-verify-zh-CN-820');
	await setLocale(staff, 'en');
	await staff.locator('input[name="file"]').setInputFiles(file);
	await staff.getByRole('button', { name: 'Verify' }).click();
	await expect(staff.getByTestId('verify-result')).toContainText('Intact');
	await shot(staff, 'dossier-verify-en-1280');
	await staff.setViewportSize({ width: 820, height: 900 });
	await shot(staff, 'dossier-verify-en-820');
	await setLocale(staff, 'zh-CN');

	// An expert gets nothing.
	const expert = await person(browser, 'expert1');
	const res = await expert.request.get(`${applicationUrl}/dossier`, { maxRedirects: 0 });
	expect(res.status()).toBe(404);
	await expert.context().close();
	await staff.context().close();
});
