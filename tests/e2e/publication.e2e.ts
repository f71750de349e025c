// Publication (公示) in the browser, end to end: staff handle the demo's pending objection,
// the period ends (simulated: the test moves the end into the past in the stopped server's
// database, with the snapshot trigger lifted for that one statement, as nobody else can) and the
// start-up timer finalizes the list; staff preview and publish a new list; a visitor who is
// not signed in objects through the public form; staff acknowledge and dismiss it with a
// reason; the visitor reads the outcome by receipt code; at the period's end the list is
// final with its hash. Its own server (fresh demo data), so the shared e2e server is untouched.
// Screens of the public page, the objection form and the staff page in zh-CN/en at 1280/820.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { sql } from 'drizzle-orm';
import { hydrated, shot } from './helpers';
import { startServer, type TestServer } from '../helpers/server';
import { openDatabase } from '../../src/lib/server/db';

const MIN_FILL_MS = 1500;
let srv: TestServer;

test.beforeAll(async () => {
	srv = await startServer({ PANELROOM_OBJECTION_MIN_FILL_MS: String(MIN_FILL_MS) }, { dataDir: (await import('node:fs')).mkdtempSync((await import('node:path')).join((await import('node:os')).tmpdir(), 'panelroom-pub-e2e-')) });
});
test.afterAll(async () => {
	await srv?.dispose();
});

/** The period of every open list ends now: what the calendar would do in a few working days. */
async function endPeriods(): Promise<void> {
	await srv.stop();
	const database = await openDatabase({ dataDir: srv.dataDir });
	try {
		await database.db.transaction(async (tx) => {
			await tx.execute(sql`ALTER TABLE publications DISABLE TRIGGER publications_lock`);
			await tx.execute(sql`UPDATE publications SET starts_at = now() - interval '10 days', ends_at = now() - interval '1 minute' WHERE status = 'open'`);
			await tx.execute(sql`ALTER TABLE publications ENABLE TRIGGER publications_lock`);
		});
	} finally {
		await database.close();
	}
	await srv.restart();
}

async function signInAs(page: Page, username: string) {
	await page.goto(`${srv.url}/login`);
	await hydrated(page);
	await page.locator('input[name="username"]').fill(username);
	await page.locator('input[name="password"]').fill('demo-password');
	await page.locator('form button[type="submit"]').click();
	await expect(page).not.toHaveURL(/\/login/);
}

async function screens(browser: Browser, path: string, name: string, username?: string) {
	for (const locale of ['zh-CN', 'en'] as const) {
		for (const width of [1280, 820]) {
			const context = await browser.newContext({ viewport: { width, height: 900 }, locale });
			await context.addCookies([{ name: 'PARAGLIDE_LOCALE', value: locale, url: srv.url }]);
			const page = await context.newPage();
			if (username) await signInAs(page, username);
			await page.goto(srv.url + path);
			await hydrated(page);
			await shot(page, `${name}-${locale}-${width}`);
			await context.close();
		}
	}
}

async function handle(page: Page, label: string, outcome: 'dismissed' | 'upheld', reason: string) {
	const card = page.locator('section.card', { hasText: label }).filter({ has: page.locator('[data-testid="objector"]') }).last();
	await card.getByTestId('acknowledge').click();
	await expect(card.getByTestId('decide-form')).toBeVisible();
	await card.locator(`input[name="outcome"][value="${outcome}"]`).check();
	await card.locator('textarea[name="reason"]').fill(reason);
	await card.getByTestId('decide').click();
	await expect(card.getByText(reason)).toBeVisible();
}

test('staff publish, a visitor objects, staff dismiss, the list becomes final', async ({ browser }) => {
	test.setTimeout(480_000);
	const staffContext = await browser.newContext();
	const staff = await staffContext.newPage();
	await signInAs(staff, 'intake');
	await staff.goto(`${srv.url}/calls`);
	await staff.getByRole('link', { name: /IF2026|创新基金/ }).first().click();
	await hydrated(staff);
	await staff.getByRole('link', { name: '公示与异议' }).click();
	await staff.waitForURL(/\/publication$/);
	await hydrated(staff);
	const callPath = new URL(staff.url()).pathname;
	await expect(staff.getByText('赵文博')).toBeVisible();
	await screens(browser, callPath, 'publication-staff', 'intake');

	// The demo's objection: dismissed; then the period ends and the timer finalizes at start-up.
	await handle(staff, 'IF2026-0007', 'dismissed', '经核查，示范工程由申报单位牵头承建，异议理由不成立。');
	await endPeriods();
	// Sessions live in the database: the staff member is still signed in after the restart.
	await staff.goto(srv.url + callPath);
	await expect(staff.getByTestId('final-hash')).toContainText(/[0-9a-f]{64}/);

	// A new list: preview first, then publish.
	await staff.getByTestId('preview-button').click();
	await expect(staff.getByTestId('preview')).toContainText('IF2026-0006');
	await staff.getByTestId('publish-button').click();
	await expect(staff.getByText('公示已发布。')).toBeVisible();

	// A visitor, not signed in.
	const visitorContext = await browser.newContext();
	const visitor = await visitorContext.newPage();
	await visitor.goto(`${srv.url}/public/publications`);
	await hydrated(visitor);
	await screens(browser, '/public/publications', 'publication-public');
	await visitor.getByRole('link', { name: '提出异议' }).first().click();
	await visitor.waitForURL(/\/public\/publications\/[0-9a-f-]{36}/);
	await hydrated(visitor);
	const noticePath = new URL(visitor.url()).pathname;
	await screens(browser, noticePath, 'publication-objection-form');
	const started = Date.now();
	const form = visitor.getByTestId('objection-form');
	await form.locator('input[name="name"]').fill('王五');
	await form.locator('input[name="organization"]').fill('某某大学');
	await form.locator('input[name="title"]').fill('副教授');
	await form.locator('input[name="phone"]').fill('010-88889999');
	await form.locator('input[name="address"]').fill('北京市海淀区学院路 37 号');
	await form.locator('select[name="rowId"]').selectOption({ index: 1 });
	await form.locator('textarea[name="grounds"]').fill('该项目申报书所述专利已于 2025 年转让给第三方，申报单位已不再拥有该专利权，请核查。');
	await visitor.waitForTimeout(Math.max(0, MIN_FILL_MS + 200 - (Date.now() - started)));
	await visitor.getByTestId('submit-objection').click();
	const receipt = (await visitor.getByTestId('receipt-code').textContent())!.trim();
	expect(receipt).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);

	// Staff dismiss it with a reason; the visitor reads it by the receipt.
	await staff.goto(srv.url + callPath);
	await hydrated(staff);
	await expect(staff.getByText('王五')).toBeVisible();
	await handle(staff, '王五', 'dismissed', '经核查，专利转让合同未生效，申报单位仍为专利权人。');
	await visitor.goto(`${srv.url}/public/objections?code=${encodeURIComponent(receipt)}`);
	await expect(visitor.getByTestId('objection-status')).toContainText('异议不成立');
	await expect(visitor.getByTestId('objection-reason')).toContainText('专利转让合同未生效');
	await expect(visitor.getByTestId('objection-status')).not.toContainText('王五');

	// Finalize refused while the period runs, then final when it has ended.
	await staff.goto(srv.url + callPath);
	await hydrated(staff);
	await expect(staff.getByTestId('finalize')).toBeDisabled();
	await endPeriods();
	await visitor.goto(srv.url + noticePath);
	await expect(visitor.getByTestId('final')).toContainText(/[0-9a-f]{64}/);
	await expect(visitor.getByText('该公示已不在公示期内，不再受理异议。')).toBeVisible();
	await staffContext.close();
	await visitorContext.close();
});
