// The audit page as staff read it: actions in words, names instead of ids, filters, the
// verification with its anchors, the CSV export; in Chinese and English, wide and on a tablet.
import { expect, test } from '@playwright/test';
import { hydrated, shot, signIn } from './helpers';

test('the audit log reads in words, filters, verifies with its anchors and exports', async ({ page }) => {
	await signIn(page, 'admin');
	await page.goto('/admin/audit');
	await hydrated(page);
	const table = page.getByTestId('audit-table');
	// Words, not codes; names, not ids.
	await expect(table.getByText('登录', { exact: true }).first()).toBeVisible();
	await expect(table.getByText('写入演示数据').first()).toBeVisible();
	await expect(table.getByText('赵敏').first()).toBeVisible();
	await expect(table.locator('td', { hasText: /^[0-9a-f]{8}-[0-9a-f]{4}-/ })).toHaveCount(0);

	await page.getByTestId('audit-verify').click();
	const report = page.getByTestId('audit-report');
	await expect(report.getByText('审计日志完好')).toBeVisible();
	await expect(report.getByTestId('audit-anchors')).toContainText('服务启动');
	await shot(page, 'audit-zh-1280');

	// Filters: who and what, then one object.
	await page.locator('input[name="actor"]').fill('赵敏');
	await page.locator('select[name="action"]').selectOption('auth.');
	await page.getByRole('button', { name: '筛选' }).click();
	await expect(page).toHaveURL(/actor=/);
	const rows = table.locator('tbody tr');
	await expect(rows.first()).toBeVisible();
	for (const text of await rows.allInnerTexts()) expect(text).toContain('赵敏');
	expect((await rows.allInnerTexts()).every((t) => /auth\./.test(t))).toBe(true);

	// The export holds the same rows, in words.
	const csv = await page.request.get(`/admin/audit/export?format=csv&actor=${encodeURIComponent('赵敏')}&action=auth.`);
	expect(csv.status()).toBe(200);
	const body = await csv.text();
	expect(body).toContain('登录');
	expect(body.split('\r\n').filter((l) => l && !l.includes('赵敏')).length).toBe(1); // only the header lacks the name

	await page.goto('/admin/audit?object=IF2026');
	await hydrated(page);
	await expect(table.getByText(/IF2026/).first()).toBeVisible();

	await page.setViewportSize({ width: 820, height: 1180 });
	await page.goto('/admin/audit');
	await hydrated(page);
	await page.getByTestId('audit-verify').click();
	await expect(page.getByTestId('audit-report').getByText('审计日志完好')).toBeVisible();
	await shot(page, 'audit-zh-820');

	await page.locator('[data-locale="en"]').first().click();
	await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
	await hydrated(page);
	await page.getByTestId('audit-verify').click();
	await expect(page.getByTestId('audit-report').getByText('The audit log is intact')).toBeVisible();
	await expect(table.getByText('Signed in', { exact: true }).first()).toBeVisible();
	await shot(page, 'audit-en-820');
	await page.setViewportSize({ width: 1280, height: 800 });
	await page.getByTestId('audit-verify').click();
	await expect(page.getByTestId('audit-report').getByText('The audit log is intact')).toBeVisible();
	await shot(page, 'audit-en-1280');
	await page.locator('[data-locale="zh-CN"]').first().click();
});
