// The real editor's ordinary formatting passes the collaboration server's shape check: marks,
// headings, lists, quotes, code, and pasted HTML with links and a table with a merged cell.
// Refused, the editor would be disconnected with an error; instead everything is stored and
// comes back after a reload.
import { expect, test } from '@playwright/test';
import { hydrated, signIn } from './helpers';

test('formatting, lists, code, pasted links and tables are stored as typed', async ({ page }) => {
	test.setTimeout(90_000);
	await signIn(page, 'planner');
	await page.goto('/documents');
	await hydrated(page);
	await page.getByTestId('new-document').click();
	await page.getByText('空白文档', { exact: true }).click();
	await page.locator('input[name="title"]').fill('格式检查');
	await page.getByRole('button', { name: '新建', exact: true }).click();
	await expect(page).toHaveURL(/\/documents\/[0-9a-f-]{36}$/);
	const status = page.getByTestId('connection-status');
	await expect(status).toHaveAttribute('data-status', 'live', { timeout: 15_000 });
	const editor = page.locator('.ProseMirror');
	await editor.locator('p').last().click();
	await page.waitForTimeout(150);
	const k = page.keyboard;
	await k.press('ControlOrMeta+b');
	await k.type('加粗');
	await k.press('ControlOrMeta+b');
	await k.press('ControlOrMeta+i');
	await k.type('斜体');
	await k.press('ControlOrMeta+i');
	await k.press('Enter');
	await k.type('## 二级标题');
	await k.press('Enter');
	await k.type('- 无序一');
	await k.press('Enter');
	await k.press('Tab');
	await k.type('嵌套项');
	await k.press('Enter');
	await k.press('Enter');
	await k.press('Enter');
	await k.type('1. 有序一');
	await k.press('Enter');
	await k.press('Enter');
	await k.type('> 引用');
	await k.press('Enter');
	await k.press('Enter');
	await k.type('```');
	await k.press('Enter');
	await k.type('const x = 1;');
	// Three Enters leave a code block.
	await k.press('Enter');
	await k.press('Enter');
	await k.press('Enter');
	await editor.evaluate((el) => {
		const data = new DataTransfer();
		data.setData(
			'text/html',
			'<p>见 <a href="https://example.org/guide" title="指南">申报指南</a>。</p><table><tr><th colspan="2">合并表头</th></tr><tr><td>甲</td><td>乙</td></tr></table>'
		);
		el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
	});
	await expect(editor.locator('a[href="https://example.org/guide"]')).toBeVisible();
	await expect(editor.locator('th[colspan="2"]')).toBeVisible();
	// Give the server time to store (and, if it refused anything, to close the connection).
	await page.waitForTimeout(1500);
	await expect(status).toHaveAttribute('data-status', 'live');
	await expect(page.getByRole('alert')).toHaveCount(0);

	await page.reload();
	await expect(status).toHaveAttribute('data-status', 'live', { timeout: 15_000 });
	await expect(editor.locator('strong', { hasText: '加粗' })).toBeVisible();
	await expect(editor.locator('em', { hasText: '斜体' })).toBeVisible();
	await expect(editor.locator('h2', { hasText: '二级标题' })).toBeVisible();
	await expect(editor.locator('ul ul li', { hasText: '嵌套项' })).toBeVisible();
	await expect(editor.locator('ol li', { hasText: '有序一' })).toBeVisible();
	await expect(editor.locator('blockquote', { hasText: '引用' })).toBeVisible();
	await expect(editor.locator('pre code')).toContainText('const x = 1;');
	await expect(editor.locator('a[href="https://example.org/guide"]')).toHaveText('申报指南');
	await expect(editor.locator('th[colspan="2"]')).toHaveText('合并表头');
	await expect(editor.locator('td', { hasText: '乙' })).toBeVisible();
});
