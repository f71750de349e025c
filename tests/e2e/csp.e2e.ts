// The strict Content-Security-Policy from the browser's side: every main page, with the
// editor (Tiptap + Yjs over /collab), the meeting room (Socket.IO) and the dashboard charts
// (ECharts) working, and not one violation reported — neither as a securitypolicyviolation
// event nor as a console message.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { hydrated, signIn } from './helpers';

interface Watched {
	page: Page;
	violations: () => Promise<string[]>;
}

async function watched(browser: Browser): Promise<Watched> {
	const context = await browser.newContext();
	// Injected by the browser tooling, so the page's CSP does not apply to it.
	await context.addInitScript(() => {
		const list: string[] = [];
		(window as unknown as { __csp: string[] }).__csp = list;
		document.addEventListener('securitypolicyviolation', (e) => list.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${e.sample}`));
	});
	const page = await context.newPage();
	const console: string[] = [];
	page.on('console', (msg) => {
		if (/Content[- ]Security[- ]Policy|Refused to (load|execute|apply|connect|frame)/i.test(msg.text())) console.push(msg.text());
	});
	const seen: string[] = [];
	return {
		page,
		async violations() {
			const inPage = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []).catch(() => []);
			seen.push(...inPage);
			return [...seen, ...console];
		}
	};
}

/** Visits a page, lets it settle and collects what the page reported before leaving it. */
async function visit(w: Watched, path: string, ready: (page: Page) => Promise<void>): Promise<string[]> {
	const res = await w.page.goto(path);
	expect(res?.headers()['content-security-policy']).toContain("script-src 'self' 'nonce-");
	await hydrated(w.page);
	await ready(w.page);
	await w.page.waitForTimeout(300);
	return w.violations();
}

const live = (page: Page) => expect(page.getByTestId('connection-status')).toHaveAttribute('data-status', 'live', { timeout: 15_000 });

test('no page breaks its own Content-Security-Policy', async ({ browser }) => {
	test.setTimeout(120_000);
	const w = await watched(browser);
	expect(await visit(w, '/login', async (p) => expect(p.locator('input[name="username"]')).toBeVisible())).toEqual([]);

	await signIn(w.page, 'planner');
	expect(await visit(w, '/', async (p) => expect(p.locator('main')).toBeVisible())).toEqual([]);
	expect(await visit(w, '/documents', async (p) => expect(p.getByRole('link', { name: '火炬高技术产业开发中心2026年度工作计划' })).toBeVisible())).toEqual([]);

	// The editor: Tiptap renders, Yjs syncs over the /collab WebSocket, typing goes through.
	await w.page.getByRole('link', { name: '火炬高技术产业开发中心2026年度工作计划' }).click();
	await hydrated(w.page);
	await live(w.page);
	const editor = w.page.locator('.ProseMirror');
	await expect(editor).toBeVisible();
	await editor.click();
	await w.page.keyboard.type('CSP');
	await expect(editor).toContainText('CSP');
	await w.page.waitForTimeout(300);
	expect(await w.violations()).toEqual([]);

	// The dashboard of a call, with its ECharts charts.
	const staff = await watched(browser);
	await signIn(staff.page, 'intake');
	await staff.page.goto('/calls');
	await hydrated(staff.page);
	const hrefs = await staff.page.locator('a[href^="/calls/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
	const call = hrefs.map((h) => /^\/calls\/[0-9a-f-]{36}/.exec(h)?.[0]).find(Boolean);
	expect(
		await visit(staff, `${call}/dashboard`, async (p) => {
			await expect(p.getByTestId('chart').first().locator('svg')).toBeVisible();
		})
	).toEqual([]);

	// The meeting room over Socket.IO.
	const chair = await watched(browser);
	await signIn(chair.page, 'chair');
	await chair.page.goto('/meetings');
	await hydrated(chair.page);
	const meeting = await chair.page.locator('table a[href^="/meetings/"]').first().getAttribute('href');
	expect(await visit(chair, `${meeting!.replace(/\/(room|edit)$/, '')}/room`, live)).toEqual([]);
});
