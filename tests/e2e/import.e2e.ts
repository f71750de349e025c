// An expert import through the page: the preview checks the file and keeps it on the server;
// the confirm button sends only the upload's id, and the experts are then in the pool.
import { expect, test } from '@playwright/test';
import { hydrated, shot, signIn } from './helpers';

const CSV = '姓名,工作单位,主要技术领域\n导入测试专家,导入测试大学,新材料\n';

test('an expert import previews, then imports what was checked', async ({ page }) => {
	await signIn(page, 'intake');
	for (const width of [1280, 820]) {
		await page.setViewportSize({ width, height: 800 });
		await page.goto('/experts/import');
		await hydrated(page);
		await page.getByTestId('import-file').setInputFiles({ name: 'experts.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
		await page.locator('form[action="?/preview"] button[type="submit"]').click();
		await expect(page.getByTestId('import-confirm')).toBeVisible();
		// Nothing of the file travels back in the page: only the id of the kept upload.
		await expect(page.locator('form[action="?/confirm"] textarea')).toHaveCount(0);
		await expect(page.locator('input[name="uploadId"]')).toHaveValue(/^[0-9a-f-]{36}$/);
		await shot(page, `import-preview-zh-${width}`);
	}
	await page.getByTestId('import-confirm').click();
	await expect(page).toHaveURL(/\/experts\?imported=1/);
	await page.goto('/experts?q=导入测试专家');
	await expect(page.getByText('导入测试大学').first()).toBeVisible();

	// The English page, same flow up to the preview.
	await page.context().addCookies([{ name: 'PARAGLIDE_LOCALE', value: 'en', url: page.url() }]);
	for (const width of [1280, 820]) {
		await page.setViewportSize({ width, height: 800 });
		await page.goto('/experts/import');
		await hydrated(page);
		await page.getByTestId('import-file').setInputFiles({ name: 'experts.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV.replace('导入测试专家', '导入测试专家二')) });
		await page.locator('form[action="?/preview"] button[type="submit"]').click();
		await expect(page.getByTestId('import-confirm')).toBeVisible();
		await shot(page, `import-preview-en-${width}`);
	}
});
