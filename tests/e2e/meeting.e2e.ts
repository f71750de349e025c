// A live panel meeting in four browsers at once: the chair, two experts and an expert who is
// recused from one item (expert6 works at the applicant of IF2026-0004). The secretary first
// trims the demo panel so four members make a quorum; then the chair starts and moves the
// agenda and the others follow; the experts score blind; the reveal shows the statistics and a
// discrepancy; notes typed by one appear for the others; the chair locks the decision and all
// see it; the recused expert saw only "recused".
import { expect, test, type Browser, type Page } from '@playwright/test';
import { hydrated, shot, signIn } from './helpers';

const RUBRIC_KEYS = ['team', 'industrialBase', 'rdCapacity', 'financialHealth', 'novelty', 'advancement', 'progress', 'feasibility', 'demand', 'positioning', 'advantage', 'targets', 'revenue', 'channels', 'funding'];
const RECUSED_TITLE = '钙钛矿/晶硅叠层太阳电池中试线建设';
const KEEP = ['刘振华', '王晓梅', '吴建平']; // expert1, expert2, expert6

async function person(browser: Browser, username: string): Promise<Page> {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, username);
	return page;
}

async function meetingUrl(page: Page): Promise<string> {
	await page.goto('/meetings');
	await hydrated(page);
	const href = await page.locator('table a[href^="/meetings/"]').first().getAttribute('href');
	return href!.replace(/\/(room|edit)$/, '');
}

async function enterRoom(page: Page, url: string) {
	await page.goto(`${url}/room`);
	await hydrated(page);
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'live', { timeout: 15_000 });
}

async function score(page: Page, value: number) {
	for (const key of RUBRIC_KEYS) await page.getByTestId(`score-input-${key}`).fill(String(value));
	await page.getByTestId('room-opinion').fill(`第二项评审意见：综合打分 ${value}。`);
	await page.getByTestId('submit-scores').click();
	// The last submission reveals the round at once, so the own sheet or the results show.
	await expect(page.getByTestId('my-sheet').or(page.getByTestId('reveal-table')).first()).toBeVisible();
}

test('a panel meets live: tracker, blind scoring, reveal, notes, lock and recusal', async ({ browser }) => {
	test.setTimeout(180_000);
	// The secretary keeps three experts on the panel (with the chair, four voting members).
	const secretary = await person(browser, 'intake');
	const url = await meetingUrl(secretary);
	await secretary.goto(`${url}/edit`);
	await hydrated(secretary);
	const experts = secretary.getByTestId('members-form').locator('input[type="checkbox"][name="expertIds"]');
	for (let i = 0; i < (await experts.count()); i++) {
		const box = experts.nth(i);
		const label = (await box.locator('xpath=ancestor::label[1]').innerText()) ?? '';
		const keep = KEEP.some((n) => label.includes(n));
		if ((await box.isChecked()) !== keep) await box.setChecked(keep);
	}
	await secretary.getByTestId('members-form').locator('button[type="submit"]').click();
	await expect(secretary.getByText('已选 3 人')).toBeVisible();

	const [chair, e1, e2, e6] = await Promise.all(['chair', 'expert1', 'expert2', 'expert6'].map((u) => person(browser, u)));
	for (const page of [chair, e1, e2, e6]) await enterRoom(page, url);

	// The chair starts; everybody is on item 1.
	await chair.getByTestId('start-meeting').click();
	for (const page of [chair, e1, e2, e6]) await expect(page.getByTestId('meeting-status')).toContainText('进行中');
	await expect(e1.getByTestId('current-item-title')).toContainText('车规级功率半导体驱动芯片');

	// The chair moves on to item 2; the others follow; expert6 is recused and sees only that.
	await chair.getByTestId('next-item').click();
	for (const page of [chair, e1, e2]) await expect(page.getByTestId('current-item-title')).toContainText(RECUSED_TITLE);
	await expect(e6.getByTestId('recused-panel')).toBeVisible();
	await expect(e6.getByTestId('agenda-item-2')).toContainText('回避');

	// Blind scoring: each sees how many have submitted, never the values.
	await score(e1, 95);
	await expect(e2.getByTestId('submitted-count')).toContainText('1');
	await expect(e2.getByTestId('reveal-table')).toHaveCount(0);
	await expect(e2.locator('body')).not.toContainText('95.00');
	await score(e2, 60);
	await shot(chair, 'meeting-chair-scoring');
	await score(chair, 80);

	// Everyone present has submitted: the round reveals itself with statistics and discrepancy.
	for (const page of [chair, e1, e2]) {
		await expect(page.getByTestId('reveal-table')).toBeVisible();
		await expect(page.getByTestId('discrepancy-flag').first()).toBeVisible();
	}
	await expect(e1.getByTestId('aggregate')).toContainText('78.33');
	await shot(e1, 'meeting-expert-reveal');

	// Notes: typed by one, seen by the other.
	const notes = (page: Page) => page.getByTestId('notes').locator('.ProseMirror');
	await expect(notes(e1)).toBeVisible({ timeout: 15_000 });
	await notes(e1).click();
	await e1.keyboard.press('Control+End');
	await e1.keyboard.type('专家组关注中试线良率与设备国产化率。');
	await expect(notes(e2)).toContainText('专家组关注中试线良率与设备国产化率。', { timeout: 15_000 });

	// The chair records the decision, confirms what will be locked, and locks it.
	await chair.getByTestId('decision-lock').click();
	await chair.getByTestId('outcome-fund').check();
	await chair.getByTestId('decision-amount').fill('120');
	await chair.getByTestId('decision-mode').selectOption('interestSubsidy');
	await chair.getByTestId('decision-rationale').fill('技术路线先进，中试条件具备，同意贷款贴息资助。');
	await chair.getByTestId('decision-review').click();
	// The confirmation shows exactly what will be locked.
	const confirm = chair.getByRole('dialog');
	await expect(confirm).toContainText('120');
	await expect(confirm).toContainText('同意贷款贴息资助');
	await shot(chair, 'meeting-chair-confirm');
	await chair.getByTestId('decision-confirm').click();
	for (const page of [chair, e1, e2]) await expect(page.getByTestId('locked-decision')).toContainText('同意贷款贴息资助', { timeout: 15_000 });
	await shot(chair, 'meeting-chair-locked');

	// The recused expert saw nothing of item 2, then returns for item 3.
	await expect(e6.locator('body')).not.toContainText(RECUSED_TITLE);
	await expect(e6.locator('body')).not.toContainText('同意贷款贴息资助');
	await shot(e6, 'meeting-recused');
	await chair.getByTestId('next-item').click();
	await expect(e6.getByTestId('current-item-title')).toBeVisible();
	await expect(e6.getByTestId('recused-panel')).toHaveCount(0);
	for (const page of [secretary, chair, e1, e2, e6]) await page.context().close();
});
