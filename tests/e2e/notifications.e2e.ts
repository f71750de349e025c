// The bell, live: expert1 watches the header while staff assign them an application; the count
// rises without a reload, the inbox lists it, opening it marks it read. Screenshots of the
// inbox, the notification settings and the bell in Chinese and English at 1280 and 820 px.
import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { hydrated, shot, signIn } from './helpers';

async function language(page: Page, locale: 'en' | 'zh-CN') {
	await page.locator(`[data-locale="${locale}"]`).first().click();
	await expect(page.locator('html')).toHaveAttribute('lang', locale);
	await hydrated(page);
}

async function bellCount(page: Page): Promise<number> {
	const badge = page.getByTestId('bell-count');
	return (await badge.count()) ? Number(await badge.innerText()) : 0;
}

async function shots(page: Page, name: string, locale: string, bell = true) {
	for (const width of [1280, 820]) {
		await page.setViewportSize({ width, height: 900 });
		await page.evaluate(() => window.scrollTo(0, 0));
		await shot(page, `${name}-${locale}-${width}`);
		const dir = path.resolve('test-results/screens');
		fs.mkdirSync(dir, { recursive: true });
		if (bell) await page.locator('header').first().screenshot({ path: path.join(dir, `bell-${locale}-${width}.png`) });
	}
	await page.setViewportSize({ width: 1280, height: 800 });
}

test('expert1 sees the bell rise live when staff assign them, and opens the inbox', async ({ page, browser }) => {
	await signIn(page, 'expert1');
	await page.goto('/');
	await hydrated(page);
	await expect(page.getByTestId('bell')).toBeVisible();
	const before = await bellCount(page);

	const staff = await (await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })).newPage();
	await signIn(staff, 'intake');
	await staff.goto('/calls');
	await staff.getByRole('link', { name: '2026年度科技型中小企业技术创新基金项目申报' }).click();
	await expect(staff).toHaveURL(/\/calls\/[0-9a-f-]{36}$/);
	const callUrl = new URL(staff.url()).pathname;
	await staff.goto(`${callUrl}/assignments`);
	await hydrated(staff);
	// An application under review with 刘振华 free to take it (earlier suites and the demo's decided panel leave few unassigned).
	const row = staff
		.getByTestId('assign-row')
		.filter({ has: staff.locator('option:not([disabled])', { hasText: '刘振华' }) })
		.first();
	const number = (await row.locator('span.font-mono').first().innerText()).trim();
	const value = await row.locator('option', { hasText: '刘振华' }).first().getAttribute('value');
	await row.locator('select[name="expertId"]').selectOption(value!);
	await row.getByRole('button', { name: '添加' }).click();
	await expect(staff.getByText('已添加')).toBeVisible();

	// No reload on expert1's side: the count comes over Socket.IO.
	await expect(page.getByTestId('bell-count')).toHaveText(String(before + 1));
	await page.getByTestId('bell').click();
	await expect(page).toHaveURL(/\/notifications$/);
	const item = page.getByTestId('inbox-item').filter({ hasText: `您有一项新的评审任务：${number}` });
	await expect(item).toHaveAttribute('data-read', 'false');
	await shots(page, 'inbox', 'zh-CN');
	await language(page, 'en');
	await expect(page.getByTestId('inbox-item').filter({ hasText: `New review assignment: ${number}` })).toBeVisible();
	await shots(page, 'inbox', 'en');

	await page.goto('/account/notifications');
	await hydrated(page);
	await expect(page.getByRole('heading', { name: 'Notification settings' })).toBeVisible();
	await shots(page, 'preferences', 'en', false);
	await language(page, 'zh-CN');
	await page.getByTestId('pref-application_accepted-digest').check();
	await page.getByRole('button', { name: '保存设置' }).click();
	await expect(page.getByText('通知设置已保存。')).toBeVisible();
	await page.reload();
	await expect(page.getByTestId('pref-application_accepted-digest')).toBeChecked();
	await shots(page, 'preferences', 'zh-CN', false);

	// Opening the notification marks it read and goes to the review; the bell follows.
	await page.goto('/notifications');
	await hydrated(page);
	await page.getByTestId('inbox-item').filter({ hasText: number }).getByRole('link').first().click();
	await expect(page).toHaveURL(/\/reviews\/[0-9a-f-]{36}$/);
	await expect.poll(() => bellCount(page)).toBe(before);
	await staff.context().close();
});

test('staff pages: the reminder button, extensions, and the admin’s mail status', async ({ page, browser }) => {
	await signIn(page, 'intake');
	await page.goto('/calls');
	await page.getByRole('link', { name: '2026年度科技型中小企业技术创新基金项目申报' }).click();
	await expect(page).toHaveURL(/\/calls\/[0-9a-f-]{36}$/);
	const callUrl = new URL(page.url()).pathname;
	await page.goto(`${callUrl}/dashboard`);
	await hydrated(page);
	await expect(page.getByTestId('progress-experts')).toBeVisible();
	await shots(page, 'dashboard-remind', 'zh-CN', false);
	await page.goto(`${callUrl}/extensions`);
	await hydrated(page);
	await expect(page.getByTestId('extensions')).toBeVisible();
	await shots(page, 'extensions', 'zh-CN', false);
	await language(page, 'en');
	await shots(page, 'extensions', 'en', false);
	await page.goto(`${callUrl}/dashboard`);
	await hydrated(page);
	await shots(page, 'dashboard-remind', 'en', false);
	await language(page, 'zh-CN');

	const admin = await (await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })).newPage();
	await signIn(admin, 'admin');
	await admin.goto('/admin/mail');
	await hydrated(admin);
	await expect(admin.getByTestId('outbox-counts')).toBeVisible();
	await shots(admin, 'admin-mail', 'zh-CN', false);
	await language(admin, 'en');
	await shots(admin, 'admin-mail', 'en', false);
	await language(admin, 'zh-CN');
	await admin.context().close();
});
