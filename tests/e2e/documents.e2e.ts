// Shared documents in two browsers at once: create from a template, type together and see
// each other's text and named carets, comment, save and compare versions, lock (both turn
// read-only), export a DOCX that opens; a commenter on the guideline; the pages in English.
import { expect, test, type Browser, type Page } from '@playwright/test';
import JSZip from 'jszip';
import fs from 'node:fs';
import { hydrated, shot as fullShot, signIn } from './helpers';

/** A full-page screenshot from the top (sticky bars would otherwise be drawn mid-page). */
async function shot(page: Page, name: string) {
	await page.evaluate(() => window.scrollTo(0, 0));
	await page.waitForTimeout(150);
	return fullShot(page, name);
}

async function person(browser: Browser, username: string): Promise<Page> {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, username);
	return page;
}

const editor = (page: Page) => page.locator('.ProseMirror');
const live = (page: Page) => expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'live', { timeout: 15_000 });

/** Puts the caret at the end of the block that contains `text`. */
async function caretAfter(page: Page, text: string) {
	await editor(page).getByText(text, { exact: false }).first().click();
	await page.keyboard.press('End');
	// ProseMirror reads the DOM selection on selectionchange, a moment later; a key sent before
	// that (Enter) would act on the previous selection.
	await page.waitForTimeout(150);
}

/** Selects the whole block (heading, paragraph) that contains `text`. */
async function selectBlock(page: Page, text: string) {
	await editor(page).getByText(text, { exact: false }).first().click({ clickCount: 3 });
}

test('two people write one document together: carets, comments, versions, lock, DOCX', async ({ browser }) => {
	test.setTimeout(120_000);
	const planner = await person(browser, 'planner');
	await planner.goto('/documents');
	await hydrated(planner);
	await expect(planner.getByRole('heading', { name: '文档' })).toBeVisible();
	await expect(planner.getByRole('link', { name: '火炬高技术产业开发中心2026年度工作计划' })).toBeVisible();
	await shot(planner, 'documents-list-zh');

	// Create from the annual plan template.
	await planner.getByTestId('new-document').click();
	await planner.getByText('年度工作计划', { exact: true }).click();
	await planner.locator('input[name="title"]').fill('2027年度工作计划（讨论稿）');
	await planner.getByRole('button', { name: '新建', exact: true }).click();
	await expect(planner).toHaveURL(/\/documents\/[0-9a-f-]{36}$/);
	// The page's own title; the document's first heading (in the editor, once loaded) has the same text.
	await expect(planner.getByRole('heading', { level: 1, name: '2027年度工作计划（讨论稿）' }).first()).toBeVisible();
	await live(planner);
	await expect(editor(planner)).toContainText('一、主要任务');
	const url = planner.url();

	const colleague = await person(browser, 'zhouxiaoyan');
	await colleague.goto(url);
	await live(colleague);

	await caretAfter(planner, '一、主要任务');
	await planner.keyboard.type('（李卫东起草）');
	await caretAfter(colleague, '二、工作目标');
	await colleague.keyboard.type('（周晓燕补充）');
	await expect(editor(planner)).toContainText('二、工作目标（周晓燕补充）');
	await expect(editor(colleague)).toContainText('一、主要任务（李卫东起草）');
	// Each sees the other's caret, in their colour, with their name; and who is here.
	await expect(planner.locator('.collaboration-carets__label', { hasText: '周晓燕' })).toBeVisible();
	await expect(colleague.locator('.collaboration-carets__label', { hasText: '李卫东' })).toBeVisible();
	await expect(planner.getByTestId('presence').locator('[data-name="周晓燕"]')).toBeVisible();
	// A third person, reading along, sees both carets with both names.
	const admin = await person(browser, 'admin');
	await admin.goto(url);
	await live(admin);
	await expect(admin.locator('.collaboration-carets__label', { hasText: '周晓燕' })).toBeVisible();
	await expect(admin.locator('.collaboration-carets__label', { hasText: '李卫东' })).toBeVisible();
	await shot(admin, 'editor-two-carets-zh');
	await admin.context().close();

	// A comment on a heading appears for the other at once.
	await selectBlock(planner, '三、重点支持领域');
	await planner.getByTestId('comment-add').click();
	await planner.getByTestId('comment-body').fill('请补充“人工智能”方向的具体支持内容。');
	await planner.getByTestId('comment-submit').click();
	const thread = colleague.getByTestId('comment-thread').filter({ hasText: '请补充“人工智能”方向的具体支持内容。' });
	await expect(thread).toBeVisible();
	await expect(thread).toContainText('三、重点支持领域');
	await expect(colleague.locator('.comment-mark').first()).toBeVisible();
	await thread.locator('textarea').fill('好的，我来补充。');
	await thread.getByRole('button', { name: '回复' }).click();
	await expect(planner.getByTestId('comment-thread').filter({ hasText: '好的，我来补充。' })).toBeVisible();
	await expect(thread).toContainText('好的，我来补充。');
	await shot(colleague, 'comments-zh');

	// A named version, a further change, and what changed since.
	await planner.getByTestId('tab-versions').click();
	await planner.getByTestId('version-name').fill('征求意见稿');
	await planner.getByTestId('version-save').click();
	await expect(planner.getByTestId('versions')).toContainText('征求意见稿');
	await caretAfter(planner, '八、保障措施');
	await planner.keyboard.press('Enter');
	await planner.keyboard.type('九、监督检查：各处室每季度报告进展。');
	await expect(editor(colleague)).toContainText('九、监督检查');
	await planner.getByTestId('versions').locator('li', { hasText: '征求意见稿' }).getByRole('link', { name: '比较' }).click();
	await expect(planner.getByTestId('compare-summary')).toContainText('新增 1 段');
	await expect(planner.getByTestId('diff').locator('.diff-insert')).toContainText('九、监督检查');
	await shot(planner, 'versions-diff-zh');
	await planner.goto(url);
	await live(planner);

	// The head locks: both editors turn read-only at once, and stay so.
	await planner.getByTestId('lock').click();
	await planner.getByTestId('lock-confirm').click();
	await expect(planner.getByTestId('locked-banner')).toBeVisible();
	await expect(colleague.getByTestId('locked-banner')).toBeVisible();
	await expect(editor(colleague)).toHaveAttribute('contenteditable', 'false');
	await expect(editor(planner)).toHaveAttribute('contenteditable', 'false');
	await expect(colleague.getByTestId('comment-add')).toHaveCount(0);
	// The editor reconnects afresh after the lock; wait for the final text.
	await live(colleague);
	await expect(editor(colleague)).toContainText('九、监督检查');
	const before = await editor(colleague).textContent();
	await editor(colleague).click();
	await colleague.keyboard.type('锁定后不能再改');
	await expect(editor(colleague)).toHaveText(before ?? '');
	await shot(colleague, 'locked-zh');

	// The DOCX download opens as a Word document with the final text.
	await planner.getByTestId('export-menu').click();
	const [download] = await Promise.all([planner.waitForEvent('download'), planner.getByTestId('export-docx').click()]);
	expect(download.suggestedFilename()).toMatch(/\.docx$/);
	const zip = await JSZip.loadAsync(fs.readFileSync(await download.path()));
	const xml = await zip.file('word/document.xml')!.async('string');
	expect(xml).toContain('2027年度工作计划（讨论稿）');
	expect(xml).toContain('（周晓燕补充）');
	expect(xml).toContain('九、监督检查');
	expect(xml).not.toContain('锁定后不能再改');
	const footer = await zip.file(/^word\/footer\d*\.xml$/)[0].async('string');
	expect(footer).toMatch(/SHA-256 [0-9a-f]{64}/);

	// In English.
	await planner.locator('[data-locale="en"]').first().click();
	await expect(planner.getByText('locked this document on')).toBeVisible();
	await live(planner);
	await shot(planner, 'locked-en');
	await planner.goto('/documents');
	await expect(planner.getByRole('heading', { name: 'Documents' })).toBeVisible();
	await shot(planner, 'documents-list-en');
	await planner.locator('[data-locale="zh-CN"]').first().click();
	await expect(planner.getByRole('heading', { name: '文档' })).toBeVisible();
});

test('a member of another division working on the program comments on the guideline without editing it', async ({ browser }) => {
	const reviewer = await person(browser, 'zhanglixin');
	await reviewer.goto('/documents');
	await reviewer.getByRole('link', { name: '2026年度科技型中小企业技术创新基金项目申报指南' }).click();
	await live(reviewer);
	await expect(reviewer.getByText('您可以查看并添加评论，但不能修改正文。')).toBeVisible();
	await expect(editor(reviewer)).toHaveAttribute('contenteditable', 'false');
	await expect(reviewer.getByTestId('lock')).toHaveCount(0);
	await selectBlock(reviewer, '二、支持方式与额度');
	await reviewer.getByTestId('comment-add').click();
	await reviewer.getByTestId('comment-body').fill('重点项目的认定标准建议写明。');
	await reviewer.getByTestId('comment-submit').click();
	await expect(reviewer.getByTestId('comment-thread').filter({ hasText: '重点项目的认定标准建议写明。' })).toBeVisible();

	// The guideline's editors see it live.
	const intake = await person(browser, 'intake');
	await intake.goto(reviewer.url());
	await live(intake);
	await expect(intake.getByTestId('comment-thread').filter({ hasText: '重点项目的认定标准建议写明。' })).toBeVisible();
	await expect(editor(intake)).toHaveAttribute('contenteditable', 'true');
	await shot(intake, 'guideline-comment-zh');

	// Another division's staff do not even learn it exists.
	const other = await person(browser, 'gaofeng');
	const res = await other.goto(reviewer.url());
	expect(res?.status()).toBe(404);
});

test('the print view shows the document alone for PDF', async ({ browser }) => {
	const planner = await person(browser, 'planner');
	await planner.goto('/documents');
	await planner.getByRole('link', { name: '火炬高技术产业开发中心2026年度工作计划' }).click();
	await live(planner);
	await planner.getByTestId('export-menu').click();
	await planner.getByRole('menuitem', { name: '打印 / 导出 PDF' }).click();
	await expect(planner.getByTestId('document-view')).toContainText('一、主要任务');
	await shot(planner, 'print-zh');
	await planner.emulateMedia({ media: 'print' });
	await expect(planner.locator('aside').first()).toBeHidden();
	await expect(planner.getByRole('button', { name: '打印' })).toBeHidden();
	await planner.emulateMedia({ media: 'screen' });
});
