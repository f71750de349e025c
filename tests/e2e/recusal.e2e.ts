// Recusal in the browser: expert6 (吴建平) changes their institution on their profile, which
// becomes a request, and finds no way to withdraw their declaration; the secretary (刘芳)
// withdraws it with a reason and approves the move on the expert's page, then lifts the
// recusal of item 4 with a reason on the meeting's page. Screens in Chinese and English at 1280
// and 820 px.
import { expect, test, type Page } from '@playwright/test';
import { hydrated, shot, signIn } from './helpers';

async function both(page: Page, name: string) {
	for (const locale of ['zh-CN', 'en'] as const) {
		await page.context().addCookies([{ name: 'PARAGLIDE_LOCALE', value: locale, url: page.url() }]);
		await page.reload();
		await hydrated(page);
		const tag = locale === 'en' ? 'en' : 'zh';
		await page.setViewportSize({ width: 1280, height: 800 });
		await shot(page, `${name}-${tag}-1280`);
		await page.setViewportSize({ width: 820, height: 1180 });
		await shot(page, `${name}-${tag}-820`);
	}
	await page.context().addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'zh-CN', url: page.url() }]);
	await page.setViewportSize({ width: 1280, height: 800 });
	await page.reload();
	await hydrated(page);
}

test('an expert asks, staff decide, the secretary lifts with a reason', async ({ page, browser }) => {
	test.setTimeout(120_000);
	await signIn(page, 'expert6');
	await page.goto('/reviews/profile');
	await hydrated(page);
	// No withdrawing one's own declaration.
	await expect(page.getByTestId('conflicts')).toBeVisible();
	await expect(page.getByTestId('conflicts').locator('form')).toHaveCount(0);
	await page.locator('#f-institution').fill('中国科学院电工研究所');
	await page.locator('form[action="?/save"] button[type="submit"]').click();
	await expect(page.getByTestId('institution-pending')).toContainText('中国科学院电工研究所');
	await both(page, 'profile-institution-pending');

	const staff = await (await browser.newContext()).newPage();
	await signIn(staff, 'intake');
	await staff.goto('/experts?q=吴建平');
	await hydrated(staff);
	await staff.locator('a[href^="/experts/"]', { hasText: '吴建平' }).first().click();
	await expect(staff.getByTestId('institution-request')).toContainText('中国科学院电工研究所');
	await both(staff, 'expert-institution-request');
	await staff.locator('input[name="reason"][id^="withdraw-"]').first().fill('专家称该声明为误报，经核实');
	await staff.locator('input[name="reason"][id^="withdraw-"]').first().press('Enter');
	await expect(staff.getByText('已撤回该回避记录')).toBeVisible();
	await staff.locator('#institution-note').fill('调动手续齐全');
	await staff.getByRole('button', { name: '批准变更' }).click();
	await expect(staff.getByText('已批准变更')).toBeVisible();

	await staff.goto('/meetings');
	await hydrated(staff);
	await staff.locator('table a[href^="/meetings/"]').first().click();
	await expect(staff.getByTestId('recusals')).toBeVisible();
	await both(staff, 'meeting-recusals');
	const lift = staff.getByTestId('recusals').locator('li', { hasText: 'IF2026-0008' }).locator('form');
	await lift.locator('input[name="reason"]').fill('经核实声明有误，处务会同意参加评审');
	await lift.getByRole('button').click();
	await expect(staff.getByText('已解除回避，并记入审计日志。')).toBeVisible();
	await expect(staff.getByTestId('recusals')).toContainText('经核实声明有误');
	// Item 2's recusal stays: expert6 worked at the applicant when the meeting was scheduled.
	await expect(staff.getByTestId('recusals').locator('li', { hasText: 'IF2026-0004' })).not.toContainText('解除：');
	await staff.context().close();
});
