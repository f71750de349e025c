// Sign in (Chinese), switch to English, sign out; wrong password; applicant registration.
import { expect, test } from '@playwright/test';
import { hydrated, shot, signIn } from './helpers';

test('sign in in Chinese, switch to English, sign out', async ({ page }) => {
	await page.goto('/');
	await expect(page).toHaveURL(/\/login\?next=%2F/);
	await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
	await shot(page, 'login-zh');

	await signIn(page, 'intake');
	await expect(page.getByRole('heading', { name: '刘芳，您好' })).toBeVisible();
	await expect(page.getByText('申报受理概况')).toBeVisible();
	await shot(page, 'home-intake-zh');

	await page.locator('[data-locale="en"]').first().click();
	await expect(page.getByRole('heading', { name: 'Hello, 刘芳' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await hydrated(page);
	await shot(page, 'home-intake-en');

	await page.getByTestId('user-menu').click();
	await page.getByTestId('sign-out').click();
	await expect(page).toHaveURL(/\/login/);
	await expect(page.getByText('You have signed out.')).toBeVisible();
	// The language stays English after signing out, and comes back on the next sign-in.
	await page.context().clearCookies();
	await signIn(page, 'intake');
	await expect(page.getByRole('heading', { name: 'Hello, 刘芳' })).toBeVisible();
	await hydrated(page);
	await page.locator('[data-locale="zh-CN"]').first().click();
	await expect(page.getByRole('heading', { name: '刘芳，您好' })).toBeVisible();
});

test('a wrong password shows the error and never says which part was wrong', async ({ page }) => {
	await page.goto('/login');
	await page.locator('input[name="username"]').fill('planner');
	await page.locator('input[name="password"]').fill('not-the-password');
	await page.locator('form button[type="submit"]').click();
	await expect(page.getByRole('alert')).toHaveText('用户名或密码错误。');
	await expect(page.locator('input[name="username"]')).toHaveValue('planner');
	await shot(page, 'login-error-zh');
	await page.locator('input[name="username"]').fill('no-such-user');
	await page.locator('input[name="password"]').fill('not-the-password');
	await page.locator('form button[type="submit"]').click();
	await expect(page.getByRole('alert')).toHaveText('用户名或密码错误。');
});

test('an applicant registers, lands signed in, signs out and signs in again', async ({ page }) => {
	await page.goto('/register');
	await page.locator('input[name="enterpriseName"]').fill('苏州测试微系统有限公司');
	await page.locator('input[name="contactName"]').fill('钱七');
	await page.locator('input[name="contactPhone"]').fill('0512-66668888');
	await page.locator('input[name="username"]').fill('suzhou-test');
	await page.locator('input[name="password"]').fill('short');
	await page.locator('input[name="passwordConfirm"]').fill('short');
	await page.locator('form button[type="submit"]').click();
	await expect(page.getByText('至少需要 8 个字符')).toBeVisible();
	await shot(page, 'register-error-zh');

	await page.locator('input[name="password"]').fill('suzhou-password');
	await page.locator('input[name="passwordConfirm"]').fill('suzhou-password');
	await page.locator('form button[type="submit"]').click();
	await expect(page.getByRole('heading', { name: '钱七，您好' })).toBeVisible();
	await expect(page.getByText('您还没有申报项目。')).toBeVisible();
	await hydrated(page);
	await shot(page, 'home-applicant-new-zh');

	await page.getByTestId('user-menu').click();
	await page.getByTestId('sign-out').click();
	await signIn(page, 'suzhou-test', 'suzhou-password');
	await expect(page.getByRole('heading', { name: '钱七，您好' })).toBeVisible();
});
