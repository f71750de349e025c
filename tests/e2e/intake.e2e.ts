// The path of an application to the panel meeting, in the browser: an applicant submits with
// attachments; intake accepts it after the checklist; staff assign experts automatically; an
// expert scores it and submits; the call's dashboard shows the review. Screens in Chinese and
// English. The database is shared with the other specs, so everything here is made here.
import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hydrated, shot as fullShot, signIn } from './helpers';
import { makeCreditCode } from '../../src/lib/credit-code';
import { makePdf } from '../../src/lib/server/demo/pdf';

const run = Date.now().toString(36);
const username = `e2e-${run}`;
const enterprise = `南京测试智能装备${run}有限公司`;
const title = `面向电子制造的视觉缺陷检测系统 ${run}`;
const EXPERT_ACCOUNTS: Record<string, string> = { 陈宏远: 'chair', 刘振华: 'expert1', 孙浩然: 'expert4', 吴建平: 'expert6', 郑思远: 'expert7' };

/** A full-page screenshot from the top, so sticky bars sit where a reader sees them. */
async function shot(page: Page, name: string) {
	await page.evaluate(() => window.scrollTo(0, 0));
	await fullShot(page, name);
}

function pdfFile(name: string, lines: string[]): string {
	const file = path.join(os.tmpdir(), `${run}-${name}`);
	fs.writeFileSync(file, makePdf([lines]));
	return file;
}

async function english(page: Page) {
	await page.locator('[data-locale="en"]').first().click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await hydrated(page);
}

async function chinese(page: Page) {
	await page.locator('[data-locale="zh-CN"]').first().click();
	await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
	await hydrated(page);
}

test.describe.configure({ mode: 'serial' });

let applicationUrl = '';
let callUrl = '';
let expertUsername = '';

test('an applicant submits an application with its attachments', async ({ page }) => {
	await page.goto('/register');
	await hydrated(page);
	await page.locator('input[name="enterpriseName"]').fill(enterprise);
	await page.locator('input[name="contactName"]').fill('周工');
	await page.locator('input[name="contactPhone"]').fill('025-86668888');
	await page.locator('input[name="username"]').fill(username);
	await page.locator('input[name="password"]').fill('e2e-password-1');
	await page.locator('input[name="passwordConfirm"]').fill('e2e-password-1');
	await page.locator('form button[type="submit"]').click();
	await expect(page.getByRole('heading', { name: '周工，您好' })).toBeVisible();
	await hydrated(page);

	await page.goto('/applications/new');
	await hydrated(page);
	await page.locator('input[name="title"]').fill(title);
	await page.locator('select[name="field"]').selectOption('electronicInformation');
	await shot(page, 'intake-new-application-zh');
	await page.getByRole('button', { name: '开始填写' }).click();
	await expect(page).toHaveURL(/\/applications\/[0-9a-f-]{36}$/);
	applicationUrl = new URL(page.url()).pathname;
	await hydrated(page);

	// An invalid credit code is caught while typing.
	const code = page.locator('input[name="creditCode"]');
	await code.fill('91320100MA1OXXXXX1');
	await expect(page.getByText('统一社会信用代码含有不允许的字符')).toBeVisible();
	await code.fill(makeCreditCode('9', '1', '320100', `${String(Date.now()).slice(-6)}AB`));
	await expect(page.getByText('校验位不正确')).toHaveCount(0);
	await page.locator('input[name="contactEmail"]').fill('zhou@example.cn');
	await page.locator('input[name="requestedAmount"]').fill('80');
	await page.locator('textarea[name="summary"]').fill('研发面向电子制造的高精度视觉缺陷检测系统，实现缺陷自动识别与分类，替代人工目检，提升良品率。');
	const team = page.getByRole('textbox', { name: '姓名', exact: true });
	await team.first().fill('周工');
	await page.getByRole('textbox', { name: '分工' }).first().fill('项目负责人');
	await page.getByRole('textbox', { name: '职称' }).first().fill('高级工程师');
	await page.getByRole('textbox', { name: '科目' }).first().fill('设备费');
	await page.getByRole('spinbutton', { name: '金额', exact: true }).first().fill('60');
	await page.getByRole('button', { name: '添加科目' }).click();
	await page.getByRole('textbox', { name: '科目' }).nth(1).fill('材料费');
	await page.getByRole('spinbutton', { name: '金额', exact: true }).nth(1).fill('40');
	await expect(page.getByTestId('autosave')).toContainText('已保存', { timeout: 15_000 });

	// Submitting without the files is refused, with the reason next to the attachments.
	await page.getByTestId('submit-application').click();
	await page.getByTestId('confirm-submit').click();
	await expect(page.getByText('请上传项目申报书和财务报表（PDF）。')).toBeVisible();

	// A file that is not a PDF is refused by its content.
	const fake = path.join(os.tmpdir(), `${run}-fake.pdf`);
	fs.writeFileSync(fake, 'PK\u0003\u0004 this is a renamed Word file');
	await page.getByTestId('attachment-file').setInputFiles(fake);
	await page.getByRole('button', { name: '上传' }).click();
	await expect(page.getByText('该文件不是 PDF')).toBeVisible();

	await page.locator('select[name="kind"]').selectOption('proposal');
	await page.getByTestId('attachment-file').setInputFiles(pdfFile('proposal.pdf', ['Project proposal', title]));
	await page.getByRole('button', { name: '上传' }).click();
	await expect(page.getByTestId('attachments')).toContainText('proposal.pdf');
	await page.locator('select[name="kind"]').selectOption('financials');
	await page.getByTestId('attachment-file').setInputFiles(pdfFile('financials.pdf', ['Audited financial statements']));
	await page.getByRole('button', { name: '上传' }).click();
	await expect(page.getByTestId('attachments')).toContainText('financials.pdf');
	await shot(page, 'intake-draft-zh');

	await page.getByTestId('submit-application').click();
	await expect(page.getByRole('dialog')).toContainText('提交后申报内容将锁定');
	await page.getByTestId('confirm-submit').click();
	await expect(page.getByText('申报已提交', { exact: true })).toBeVisible();
	await expect(page.locator('main').getByText('已提交', { exact: true })).toBeVisible();
	await hydrated(page);
	await shot(page, 'intake-submitted-zh');
	await english(page);
	await expect(page.getByText('Application submitted')).toBeVisible();
	await shot(page, 'intake-submitted-en');
	await chinese(page);
});

test('intake accepts it after the checklist', async ({ page }) => {
	await signIn(page, 'intake');
	await page.goto(`/applications?q=${encodeURIComponent(run)}`);
	await expect(page.getByRole('link', { name: title })).toBeVisible();
	await shot(page, 'intake-queue-zh');
	await page.goto(applicationUrl);
	await hydrated(page);
	await expect(page.getByTestId('findings-formal')).toContainText('必需附件齐全');
	// Accepting before every item is checked is refused.
	await page.getByTestId('intake-accept').click();
	await expect(page.getByText('还有检查项未核对')).toBeVisible();
	for (const radio of await page.locator('input[type="radio"][value="pass"]').all()) await radio.check();
	await shot(page, 'intake-checklist-zh');
	await page.getByTestId('intake-accept').click();
	await expect(page.getByText('已受理。')).toBeVisible();
	await expect(page.locator('main').getByText('已受理', { exact: true }).first()).toBeVisible();
});

test('staff assign experts automatically', async ({ page }) => {
	await signIn(page, 'intake');
	await page.goto('/calls');
	await page.getByRole('link', { name: '2026年度科技型中小企业技术创新基金项目申报' }).click();
	await expect(page).toHaveURL(/\/calls\/[0-9a-f-]{36}$/);
	callUrl = new URL(page.url()).pathname;
	await page.goto(`${callUrl}/assignments`);
	await hydrated(page);
	await page.getByTestId('run-matching').click();
	await expect(page.getByText(/分配完成：新增 \d+ 项/)).toBeVisible();
	const row = page.getByTestId('assign-row').filter({ hasText: title });
	await expect(row).toContainText('评审中');
	await expect(row).toContainText('技术专家 2/2');
	const text = await row.innerText();
	expertUsername = Object.entries(EXPERT_ACCOUNTS).find(([name]) => text.includes(name))?.[1] ?? '';
	expect(expertUsername, text).not.toBe('');
	await shot(page, 'intake-assignments-zh');
	await english(page);
	await expect(page.getByRole('heading', { name: 'Assignment' })).toBeVisible();
	await shot(page, 'intake-assignments-en');
	await chinese(page);
});

test('an assigned expert scores it blind and submits', async ({ page }) => {
	await signIn(page, expertUsername);
	await expect(page.getByTestId('pending-reviews')).toContainText(title);
	await shot(page, 'intake-expert-home-zh');
	await page.getByTestId('pending-reviews').locator('li', { hasText: title }).getByRole('link').click();
	await hydrated(page);
	await expect(page.getByText('独立评审')).toBeVisible();
	const inputs = page.getByTestId('score-input');
	const count = await inputs.count();
	expect(count).toBeGreaterThan(5);
	for (let i = 0; i < count; i++) await inputs.nth(i).fill(String(70 + (i % 3) * 10));
	await expect(page.getByTestId('live-total')).toContainText(`${count}/${count}`);
	await page.getByTestId('opinion').fill('技术方案成熟，视觉算法具备一定创新性，团队有相关产业化经验；建议细化市场推广计划。');
	await page.getByLabel('建议立项').check();
	await page.locator('input[name="suggestedAmount"]').fill('60');
	await page.getByTestId('save-review').click();
	await expect(page.getByText('草稿已保存。')).toBeVisible();
	await shot(page, 'intake-review-zh');
	await page.getByTestId('submit-review').click();
	await page.getByTestId('confirm-submit-review').click();
	await expect(page.getByText('评审意见已提交。')).toBeVisible();
	await expect(page.getByTestId('score-input').first()).toBeDisabled();
	await english(page);
	await expect(page.getByText('Review submitted').first()).toBeVisible();
	await shot(page, 'intake-review-en');
	await chinese(page);
});

test('the dashboard shows the review', async ({ page }) => {
	await signIn(page, 'intake');
	await page.goto(`${callUrl}/dashboard`);
	await hydrated(page);
	const row = page.getByTestId('progress-applications').locator('tr', { hasText: title });
	await expect(row).toContainText('1 / 3');
	await expect(page.getByTestId('chart').first().locator('svg')).toBeVisible();
	await shot(page, 'intake-dashboard-zh');
	await english(page);
	await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
	await expect(page.getByTestId('chart').first().locator('svg')).toBeVisible();
	await shot(page, 'intake-dashboard-en');
	await chinese(page);
	// The list exports as Excel.
	const download = page.waitForEvent('download');
	await page.getByTestId('export-xlsx').click();
	expect((await download).suggestedFilename()).toMatch(/^dashboard-IF2026-\d{4}-\d{2}-\d{2}\.xlsx$/);
});
