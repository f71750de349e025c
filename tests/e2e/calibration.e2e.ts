// Calibration as staff and a panel see it. 赵立群 (expert3) submits his second written review
// of the call, on IF2026-0004, all 95s: with his first (IF2026-0003, a demo total under 95) he
// now has a habit to be measured against, and two different totals always give z = ∓1
// (each one sd from their mean).
// Staff find the call through GET /api/calls (not by clicking /calls), and the dashboard shows
// raw beside calibrated figures, ranks by either, and states the flag rule. In the meeting,
// the revealed round shows each member's z against their written reviews and the calibrated
// mean, with the one flag rule stated. Screens in zh-CN and en at 1280 and 820 px.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { hydrated, shot, signIn } from './helpers';

const RUBRIC_KEYS = ['team', 'industrialBase', 'rdCapacity', 'financialHealth', 'novelty', 'advancement', 'progress', 'feasibility', 'demand', 'positioning', 'advantage', 'targets', 'revenue', 'channels', 'funding'];
const KEEP = ['刘振华', '王晓梅', '赵立群']; // expert1, expert2, expert3

async function person(browser: Browser, username: string): Promise<Page> {
	const page = await (await browser.newContext()).newPage();
	await signIn(page, username);
	return page;
}

async function locale(page: Page, to: 'en' | 'zh-CN') {
	await page.locator(`[data-locale="${to}"]`).first().click();
	await expect(page.locator('html')).toHaveAttribute('lang', to);
	await hydrated(page);
}

/** zh-CN and en, 1280 and 820 px wide, of what the page shows now. */
async function screens(page: Page, name: string, ready: () => Promise<void>) {
	for (const loc of ['zh-CN', 'en'] as const) {
		if (loc === 'en') await locale(page, 'en');
		for (const width of [1280, 820]) {
			await page.setViewportSize({ width, height: width === 1280 ? 800 : 1180 });
			await ready();
			await shot(page, `${name}-${loc}-${width}`);
		}
	}
	await locale(page, 'zh-CN');
	await page.setViewportSize({ width: 1280, height: 800 });
}

test.describe.configure({ mode: 'serial' });
let callId = '';

test('an expert submits a second written review', async ({ page }) => {
	await signIn(page, 'expert3');
	await page.getByTestId('pending-reviews').locator('li', { hasText: '钙钛矿/晶硅叠层太阳电池中试线建设' }).getByRole('link').click();
	await hydrated(page);
	await expect(page.getByText('独立评审')).toBeVisible();
	const inputs = page.getByTestId('score-input');
	await expect(inputs.first()).toBeEditable();
	const count = await inputs.count();
	expect(count).toBe(15);
	for (let i = 0; i < count; i++) await inputs.nth(i).fill('95');
	await expect(page.getByTestId('live-total')).toContainText('15/15');
	await page.getByTestId('opinion').fill('技术路线先进，中试条件具备，团队基础扎实，建议支持。');
	await page.getByLabel('建议立项').check();
	await page.locator('input[name="suggestedAmount"]').fill('100');
	await page.getByTestId('submit-review').click();
	await page.getByTestId('confirm-submit-review').click();
	await expect(page.getByText('评审意见已提交。')).toBeVisible();
});

test('the dashboard shows raw and calibrated figures, ranks by either, states the rule', async ({ page }) => {
	await signIn(page, 'intake');
	// The call's id from the API, as a script would.
	const list = await (await page.request.get('/api/calls')).json();
	callId = list.calls.find((c: { code: string; managed: boolean }) => c.code === 'IF2026' && c.managed).id;
	expect(callId).toMatch(/^[0-9a-f-]{36}$/);
	await page.goto(`/calls/${callId}/dashboard`);
	await hydrated(page);
	const row = (n: string) => page.getByTestId('progress-row').and(page.locator(`[data-number="${n}"]`));
	// expert3: his demo total and 95: z = −1 and +1.
	await expect(row('IF2026-0003').getByTestId('z')).toContainText('−');
	await expect(row('IF2026-0004').getByTestId('z')).toContainText('+1.00');
	await expect(row('IF2026-0004').getByTestId('robust-z')).toContainText('+');
	await expect(page.getByTestId('calibration-rule')).toContainText('满分的 15%');
	await expect(page.getByTestId('calibration-rule')).toContainText('1.4826');
	// By calibrated score, 0004 comes first; by disagreement, the largest range first.
	await page.getByTestId('dashboard-sort').selectOption('z');
	await expect(page.getByTestId('progress-row').first()).toHaveAttribute('data-number', 'IF2026-0004');
	await page.getByTestId('dashboard-sort').selectOption('raw');
	const raw = await page.getByTestId('progress-row').first().getAttribute('data-number');
	expect(raw).toBeTruthy();
	await page.getByTestId('dashboard-sort').selectOption('number');
	await screens(page, 'calibration-dashboard', async () => {
		await expect(page.getByTestId('calibration-rule')).toBeVisible();
	});
	// The JSON API agrees with the page.
	const results = await (await page.request.get(`/api/calls/${callId}/results`)).json();
	const sheet = results.sheets.find((s: { number: string; total: number }) => s.number === 'IF2026-0004' && s.total === 95);
	expect(sheet.z).toBeCloseTo(1, 3);
});

test('the revealed round shows each member’s z and the calibrated mean, under the one flag rule', async ({ browser }) => {
	test.setTimeout(180_000);
	// A meeting of its own (the demo meeting belongs to meeting.e2e.ts): the chair, three experts.
	const secretary = await person(browser, 'intake');
	await secretary.goto('/meetings/new');
	await hydrated(secretary);
	await secretary.locator('input[name="title"]').fill(`校准演示会评 ${Date.now().toString(36)}`);
	await secretary.locator('input[name="startsAt"]').fill('2026-12-30T14:00');
	await secretary.locator('input[name="place"]').fill('中心第二会议室');
	await secretary.getByRole('button', { name: '创建评审会' }).click();
	await expect(secretary).toHaveURL(/\/meetings\/[0-9a-f-]{36}\/edit$/);
	await hydrated(secretary);
	const url = new URL(secretary.url()).pathname.replace(/\/edit$/, '');
	const pick = async (select: string, name: string) => {
		const value = await secretary.locator(`${select} option`, { hasText: name }).first().getAttribute('value');
		await secretary.locator(select).selectOption(value!);
	};
	await pick('#f-chairId', '陈宏远');
	await pick('#f-secretaryId', '刘芳');
	const boxes = secretary.getByTestId('members-form').locator('input[type="checkbox"][name="expertIds"]');
	for (let i = 0; i < (await boxes.count()); i++) {
		const box = boxes.nth(i);
		const label = (await box.locator('xpath=ancestor::label[1]').innerText()) ?? '';
		const keep = KEEP.some((n) => label.includes(n));
		if ((await box.isChecked()) !== keep) await box.setChecked(keep);
	}
	const saved = secretary.waitForResponse((r) => r.url().includes('?/members') && r.request().method() === 'POST');
	await secretary.getByTestId('members-form').locator('button[type="submit"]').click();
	await saved;
	await expect(secretary.getByText('已选 3 人')).toBeVisible();
	await expect(async () => {
		await secretary.getByTestId('agenda-candidates').locator('li', { hasText: 'IF2026-0002' }).getByRole('button').click({ timeout: 2000 });
		await expect(secretary.getByTestId('agenda-builder')).toContainText('IF2026-0002', { timeout: 2000 });
	}).toPass({ timeout: 20_000 });
	const agenda = secretary.waitForResponse((r) => r.url().includes('?/agenda') && r.request().method() === 'POST');
	await secretary.getByTestId('agenda-form').locator('button[type="submit"]').click();
	expect((await agenda).ok()).toBe(true);
	await expect(secretary.getByTestId('agenda-form')).toContainText('已保存');
	await expect(secretary.getByTestId('agenda-builder')).toContainText('IF2026-0002');

	const pages = await Promise.all(['chair', 'expert1', 'expert2', 'expert3'].map((u) => person(browser, u)));
	const [chair, e1, e2, e3] = pages;
	for (const page of pages) {
		await page.goto(`${url}/room`);
		await hydrated(page);
		await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'live', { timeout: 15_000 });
	}
	await chair.getByTestId('start-meeting').click();
	for (const page of pages) await expect(page.getByTestId('meeting-status')).toContainText('进行中');
	const score = async (page: Page, value: number) => {
		for (const key of RUBRIC_KEYS) await page.getByTestId(`score-input-${key}`).fill(String(value));
		await page.getByTestId('room-opinion').fill(`综合打分 ${value}。`);
		await page.getByTestId('submit-scores').click();
		await expect(page.getByTestId('my-sheet').or(page.getByTestId('reveal-table')).first()).toBeVisible();
	};
	await score(e1, 84);
	await score(e2, 70);
	await score(e3, 95);
	await score(chair, 82);
	await expect(e1.getByTestId('reveal-table')).toBeVisible();
	// The total's range 95 − 70 = 25 is over 15 (15% of 100), and the flag says so in numbers.
	const totalFlag = e1.locator('[data-testid="discrepancy-flag"][data-column="total"]');
	await expect(totalFlag).toBeVisible();
	await expect(totalFlag).toHaveAttribute('title', /极差 25 分，超过 15 分/);
	// A 35-point group: 35 × 25% = 8.75 over 5.25 (15% of 35), flagged on its own points.
	await expect(e1.getByTestId('discrepancy-flag').first()).toHaveAttribute('title', /满分 \d+ 分的 15%/);
	await expect(e1.getByTestId('flag-rule')).toContainText('15%');
	// 赵立群's 95 against his written reviews (his demo total and 95): +1.00; the others have one
	// written review each in the call: "—", with the reason on hover.
	const e3row = e1.locator('[data-testid^="reveal-row-"]', { hasText: '赵立群' });
	await expect(e3row.getByTestId('member-z')).toContainText('+1.00');
	const e1row = e1.locator('[data-testid^="reveal-row-"]', { hasText: '刘振华' });
	await expect(e1row.getByTestId('member-z')).toContainText('—');
	await expect(e1row.getByTestId('member-z')).toHaveAttribute('title', /仅一份/);
	await expect(e1.getByTestId('calibrated-aggregate')).toContainText('+1.00');
	await expect(e1.getByTestId('calibration-explain')).toBeVisible();
	await screens(e1, 'calibration-reveal', async () => {
		await expect(e1.getByTestId('reveal-table')).toBeVisible();
		await e1.getByTestId('reveal-table').scrollIntoViewIfNeeded();
	});
	// Closed, the meeting leaves the demo's own meeting first in the list for the suites after this one.
	await chair.getByTestId('close-meeting').click();
	await chair.getByTestId('close-confirm').click();
	await expect(chair.getByTestId('meeting-status')).toHaveAttribute('data-status', 'closed');
});
