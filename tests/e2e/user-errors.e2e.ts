// Errors users hit, in the browser: a score of 120 on a 0–100 item is marked at its field as it
// is typed and the sheet is not offered for confirmation; declining an assignment with a
// declared conflict ends on the reviews list with a message (not an error page); the chair who
// reveals before everyone has submitted is asked first, told how many have not. Screens in
// Chinese and English at 1280 and 820 px.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { hydrated, shot, signIn } from './helpers';

const RUBRIC_KEYS = ['team', 'industrialBase', 'rdCapacity', 'financialHealth', 'novelty', 'advancement', 'progress', 'feasibility', 'demand', 'positioning', 'advantage', 'targets', 'revenue', 'channels', 'funding'];
/** Assigned in the demo and not reviewed by anyone yet, and on no meeting's agenda. */
const PENDING = ['IF2026-0006', 'IF2026-0007'];

async function person(browser: Browser, username: string, locale: 'zh-CN' | 'en' = 'zh-CN'): Promise<Page> {
	const context = await browser.newContext();
	if (locale === 'en') await context.addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'en', url: test.info().project.use.baseURL! }]);
	const page = await context.newPage();
	await signIn(page, username);
	return page;
}

/** An expert with a pending assignment on one of PENDING, and the link to it. */
async function pendingReview(browser: Browser): Promise<{ page: Page; href: string }> {
	for (let i = 1; i <= 8; i++) {
		const page = await person(browser, `expert${i}`);
		await page.goto('/reviews');
		await hydrated(page);
		for (const number of PENDING) {
			const row = page.locator('tbody tr', { hasText: number });
			if (await row.count()) return { page, href: (await row.first().locator('a[href^="/reviews/"]').getAttribute('href'))! };
		}
		await page.context().close();
	}
	throw new Error('no expert with a pending review');
}

async function both(page: Page, name: string) {
	await page.setViewportSize({ width: 1280, height: 800 });
	await shot(page, `${name}-1280`);
	await page.setViewportSize({ width: 820, height: 1180 });
	await shot(page, `${name}-820`);
	await page.setViewportSize({ width: 1280, height: 800 });
}

async function switchTo(page: Page, locale: 'zh-CN' | 'en') {
	await page.context().addCookies([{ name: 'PARAGLIDE_LOCALE', value: locale, url: page.url() }]);
	await page.reload();
	await hydrated(page);
}

test('the score sheet marks 120 at the field and asks for no confirmation; declining with a conflict ends on the list', async ({ browser }) => {
	test.setTimeout(120_000);
	const { page, href } = await pendingReview(browser);
	await page.goto(href);
	await hydrated(page);
	const first = page.getByTestId('score-input').first();
	await first.fill('120');
	// At the field, as it is typed, in the user's language, from the rubric's range.
	await expect(page.getByTestId('score-error').first()).toHaveText('请填写 0–100 的整数。');
	await expect(first).toHaveAttribute('aria-invalid', 'true');
	await page.getByTestId('submit-review').click();
	// No confirmation for a sheet that would be refused; the problems are counted and marked.
	await expect(page.getByRole('dialog')).toHaveCount(0);
	await expect(page.getByTestId('sheet-problems')).toBeVisible();
	await expect(first).toBeFocused();
	await both(page, 'review-sheet-invalid-zh');
	// A draft with a wrong value is not saved either.
	await page.getByTestId('save-review').click();
	await expect(page.getByRole('dialog')).toHaveCount(0);
	await expect(page.getByTestId('score-error').first()).toBeVisible();
	await switchTo(page, 'en');
	await page.getByTestId('score-input').first().fill('120');
	await expect(page.getByTestId('score-error').first()).toHaveText('Enter a whole number from 0 to 100.');
	await page.getByTestId('submit-review').click();
	await both(page, 'review-sheet-invalid-en');
	// Fixed, the marks go; the rest still needed shows at the fields before any confirmation.
	await page.getByTestId('score-input').first().fill('88');
	await expect(page.getByTestId('score-input').first()).not.toHaveAttribute('aria-invalid', 'true');
	await switchTo(page, 'zh-CN');

	// Declining with a declared conflict: the decline is saved and the expert lands on their list, told so.
	await page.locator('textarea[name="reason"]').fill('本人曾在该企业兼职顾问');
	await page.locator('input[name="conflict"]').check();
	await page.getByTestId('decline-review').click();
	await expect(page).toHaveURL(/\/reviews\?declined=conflict$/);
	await expect(page.getByTestId('declined-notice')).toContainText('已谢绝该评审任务');
	await expect(page.locator('body')).not.toContainText('出错了');
	await both(page, 'reviews-declined-zh');
	await switchTo(page, 'en');
	await expect(page.getByTestId('declined-notice')).toContainText('Assignment declined');
	await both(page, 'reviews-declined-en');
	// The assignment is gone for good: its page is a plain 404 now.
	expect((await page.request.get(href)).status()).toBe(404);
	await page.context().close();
});

async function enterRoom(page: Page, url: string) {
	await page.goto(`${url}/room`);
	await hydrated(page);
	await expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'live', { timeout: 15_000 });
}

test('the chair confirms a reveal before everyone has submitted, told how many have not', async ({ browser }) => {
	test.setTimeout(120_000);
	const chair = await person(browser, 'chair');
	await chair.goto('/meetings');
	await hydrated(chair);
	const url = (await chair.locator('table a[href^="/meetings/"]').first().getAttribute('href'))!.replace(/\/(room|edit)$/, '');
	await enterRoom(chair, url);
	// Fresh demo data: start; after the meeting suite: the meeting is open already.
	if (await chair.getByTestId('start-meeting').isVisible()) await chair.getByTestId('start-meeting').click();
	await expect(chair.getByTestId('next-item')).toBeEnabled();
	await chair.getByTestId('next-item').click();
	// Earlier suites (the opinion's) may have decided items already: go on to the first undecided one.
	for (let i = 0; i < 4 && /已决定/.test(await chair.locator('button[aria-pressed="true"]', { hasText: 'IF2026-' }).first().innerText()); i++) {
		await chair.getByTestId('next-item').click();
		await chair.waitForTimeout(300);
	}
	const e1 = await person(browser, 'expert1');
	await enterRoom(e1, url);
	for (const key of RUBRIC_KEYS) await e1.getByTestId(`score-input-${key}`).fill('75');
	await e1.getByTestId('room-opinion').fill('技术路线可行，建议关注量产良率。');
	await e1.getByTestId('submit-scores').click();
	await expect(e1.getByTestId('my-sheet')).toBeVisible();
	const count = chair.getByTestId('submitted-count');
	await expect(count).toHaveAttribute('data-submitted', '1');
	const eligible = Number(await count.getAttribute('data-eligible'));
	expect(eligible).toBeGreaterThan(1);

	await chair.getByTestId('reveal').click();
	await expect(chair.getByTestId('reveal-confirm-text')).toContainText(`还有 ${eligible - 1} 位未提交`);
	await both(chair, 'room-reveal-confirm-zh');
	// Waiting changes nothing.
	await chair.getByTestId('reveal-wait').click();
	await expect(chair.getByRole('dialog')).toHaveCount(0);
	await expect(chair.getByTestId('reveal-table')).toHaveCount(0);
	await expect(count).toHaveAttribute('data-submitted', '1');

	await switchTo(chair, 'en');
	await expect(chair.getByTestId('connection-status')).toHaveAttribute('data-status', 'live', { timeout: 15_000 });
	await chair.getByTestId('reveal').click();
	await expect(chair.getByTestId('reveal-confirm-text')).toContainText(`${eligible - 1} have not`);
	await both(chair, 'room-reveal-confirm-en');
	await chair.getByTestId('reveal-confirm').click();
	await expect(chair.getByTestId('reveal-table')).toBeVisible();
	await switchTo(chair, 'zh-CN');
	for (const page of [chair, e1]) await page.context().close();
});
