// The admin's user management end to end, and a look at every foundation page.
import { expect, test } from '@playwright/test';
import { hydrated, shot, signIn } from './helpers';

test('admin creates a staff member who signs in; deactivation locks them out', async ({ browser }) => {
	const adminCtx = await browser.newContext();
	const admin = await adminCtx.newPage();
	await signIn(admin, 'admin');
	await admin.goto('/admin/users');
	await hydrated(admin);
	await expect(admin.getByRole('heading', { name: '用户管理' })).toBeVisible();
	await shot(admin, 'admin-users-zh');

	await admin.getByRole('link', { name: '新建用户' }).click();
	await hydrated(admin);
	await admin.locator('input[name="username"]').fill('e2e-staff');
	await admin.locator('input[name="password"]').fill('e2e-password-1');
	await admin.locator('input[name="name"]').fill('测试员');
	await admin.locator('select[name="divisionId"]').selectOption({ label: '基金审理处' });
	await admin.locator('select[name="role"]').selectOption('deputy');
	await admin.locator('input[name="isExpert"]').check();
	await admin.locator('input[name="institution"]').fill('北京理工大学');
	await admin.locator('select[name="primaryField"]').selectOption('newEnergy');
	await shot(admin, 'admin-user-new-zh');
	await admin.getByRole('button', { name: '新建' }).click();
	await expect(admin.getByText('用户已创建')).toBeVisible();
	await shot(admin, 'admin-user-edit-zh');

	const staffCtx = await browser.newContext();
	const staff = await staffCtx.newPage();
	await signIn(staff, 'e2e-staff', 'e2e-password-1');
	await expect(staff.getByRole('heading', { name: '测试员，您好' })).toBeVisible();
	await expect(staff.getByText('我的专家信息')).toBeVisible();

	await hydrated(admin);
	await admin.getByRole('button', { name: '停用账号' }).click();
	await admin.getByRole('dialog').getByRole('button', { name: '停用账号' }).click();
	await expect(admin.getByText('账号已停用')).toBeVisible();

	await staff.reload();
	await expect(staff).toHaveURL(/\/login/);
	await staff.locator('input[name="username"]').fill('e2e-staff');
	await staff.locator('input[name="password"]').fill('e2e-password-1');
	await staff.locator('form button[type="submit"]').click();
	await expect(staff.getByRole('alert')).toHaveText('该账号已停用，请联系系统管理员。');

	await admin.goto('/admin/audit');
	await hydrated(admin);
	await admin.getByRole('button', { name: '校验完整性' }).click();
	await expect(admin.getByText('审计日志完好')).toBeVisible();
	await expect(admin.getByText('user.deactivated').first()).toBeVisible();
	await shot(admin, 'admin-audit-zh');
	await adminCtx.close();
	await staffCtx.close();
});

test('foundation pages look right in Chinese, in English and on a tablet', async ({ page }) => {
	await signIn(page, 'intake');
	await page.goto('/applications');
	await expect(page.getByRole('heading', { name: '申报管理' })).toBeVisible();
	await shot(page, 'applications-zh');
	await page.getByRole('link', { name: '车规级功率半导体驱动芯片' }).click();
	await expect(page.getByText('统一社会信用代码')).toBeVisible();
	await shot(page, 'application-detail-zh');
	await page.goto('/experts');
	await expect(page.getByRole('heading', { name: '专家库' })).toBeVisible();
	await shot(page, 'experts-zh');
	await page.goto('/account');
	await hydrated(page);
	await shot(page, 'account-zh');
	await page.locator('[data-locale="en"]').first().click();
	await expect(page.getByRole('heading', { name: 'Account settings' })).toBeVisible();
	await page.goto('/applications');
	await shot(page, 'applications-en');
	await page.goto('/');
	await page.setViewportSize({ width: 820, height: 1180 });
	await hydrated(page);
	await shot(page, 'home-tablet-en');
	await page.getByRole('button', { name: 'Menu' }).click();
	await expect(page.getByRole('link', { name: 'Experts', exact: true })).toBeVisible();
	await shot(page, 'nav-drawer-tablet-en');
	await page.keyboard.press('Escape');
	await expect(page.getByRole('link', { name: 'Experts', exact: true })).toBeHidden();
	await page.locator('[data-locale="zh-CN"]').first().click();
	await expect(page.getByRole('heading', { name: '刘芳，您好' })).toBeVisible();
});

test('an applicant sees their own application and a localized 404 for anything else', async ({ page }) => {
	await signIn(page, 'applicant1');
	await expect(page.getByText('面向工业物联网的低功耗MEMS智能传感器芯片研发及产业化')).toBeVisible();
	await shot(page, 'home-applicant-zh');
	await page.goto('/admin/users');
	await expect(page.getByRole('heading', { name: '无权访问' })).toBeVisible();
	await shot(page, 'error-403-zh');
	await page.goto('/applications/00000000-0000-4000-8000-000000000000');
	await expect(page.getByRole('heading', { name: '页面未找到' })).toBeVisible();
});
