// A hearing (答辩) in the browser, on a meeting of its own (the demo meeting stays for the room's
// suite): the secretary schedules a meeting with IF2026-0002 in the middle and gives it a
// hearing; an expert sends a question; the applicant (applicant2) names a representative; the
// secretary checks their identity in; the chair opens the room, and when it reaches the item
// the applicant's page shows the time box and the question (no name); the chair starts the
// presentation and moves on, and the applicant is back to waiting. Screens of the applicant's
// hearing and the secretary's check-in panel, in Chinese and English at 1280 and 820 px.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { hydrated, shot, signIn } from './helpers';

const QUESTION = '请说明驱动芯片AEC-Q100认证的进展和预计取证时间。';

async function person(browser: Browser, username: string): Promise<Page> {
	const context = await browser.newContext();
	const page = await context.newPage();
	await signIn(page, username);
	return page;
}

async function both(page: Page, name: string, ready: () => Promise<void>) {
	for (const locale of ['zh-CN', 'en'] as const) {
		await page.context().addCookies([{ name: 'PARAGLIDE_LOCALE', value: locale, url: page.url() }]);
		await page.reload();
		await hydrated(page);
		await ready();
		await page.evaluate(() => window.scrollTo(0, 0));
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
	await ready();
}

test('check-in, the applicant sees its time box and questions, the chair moves on and the applicant is moved out', async ({ browser }) => {
	test.setTimeout(240_000);
	const secretary = await person(browser, 'intake');

	// A meeting of its own: chair 陈宏远, two experts, three items with IF2026-0002 second.
	await secretary.goto('/meetings/new');
	await hydrated(secretary);
	const call = secretary.locator('select[name="callId"]');
	await call.selectOption((await call.locator('option', { hasText: 'IF2026' }).first().getAttribute('value'))!);
	await secretary.locator('input[name="title"]').fill('2026年度创新基金答辩会（测试）');
	await secretary.locator('input[name="startsAt"]').fill('2026-12-20T09:00');
	await secretary.locator('input[name="place"]').fill('中心第二会议室');
	await secretary.locator('form button[type="submit"]').click();
	await expect(secretary).toHaveURL(/\/meetings\/[0-9a-f-]+\/edit$/);
	await hydrated(secretary);
	const url = secretary.url().replace(/\/edit$/, '');

	const chairSelect = secretary.locator('#f-chairId');
	const chairValue = await chairSelect.locator('option', { hasText: '陈宏远' }).first().getAttribute('value');
	await chairSelect.selectOption(chairValue!);
	const experts = secretary.getByTestId('members-form').locator('input[type="checkbox"][name="expertIds"]');
	for (let i = 0; i < (await experts.count()); i++) {
		const box = experts.nth(i);
		const label = await box.locator('xpath=ancestor::label[1]').innerText();
		await box.setChecked(['刘振华', '王晓梅'].some((n) => label.includes(n)));
	}
	await secretary.getByTestId('members-form').locator('button[type="submit"]').click();
	await expect(secretary.getByTestId('members-form').getByText('已保存。')).toBeVisible();

	for (const number of ['IF2026-0003', 'IF2026-0002', 'IF2026-0005']) {
		await secretary.getByTestId('agenda-candidates').locator('li', { hasText: number }).getByRole('button').click();
	}
	await secretary.getByTestId('agenda-form').locator('button[type="submit"]').last().click();
	await expect(secretary.getByTestId('agenda-form').getByText('已保存。')).toBeVisible();

	// The hearing on IF2026-0002, with the defaults (12 + 13 minutes, 3 people, anonymous).
	await secretary.goto(`${url}/hearings`);
	await hydrated(secretary);
	const item = secretary.getByTestId('hearing-item').filter({ hasText: 'IF2026-0002' });
	const itemId = (await item.getAttribute('data-item-id'))!;
	await item.getByTestId('hearing-settings-toggle').click();
	await expect(item.locator('input[name="presentationMinutes"]')).toHaveValue('12');
	await expect(item.locator('input[name="questionMinutes"]')).toHaveValue('13');
	await expect(item.locator('input[name="anonymousQuestions"]')).toBeChecked();
	await expect(item.locator('input[name="showMembers"]')).not.toBeChecked();
	await item.getByTestId('hearing-save').click();
	await expect(item.getByText('答辩设置已保存。')).toBeVisible();

	// An expert's question, before the meeting.
	const expert = await person(browser, 'expert1');
	await expert.goto(`${url}/hearings`);
	await hydrated(expert);
	const ask = expert.getByTestId('hearing-item').filter({ hasText: 'IF2026-0002' }).getByTestId('ask-form');
	await ask.locator('textarea[name="body"]').fill(QUESTION);
	await ask.locator('button[type="submit"]').click();
	await expect(expert.getByText('问题已提交。')).toBeVisible();
	// The expert sees no other item of the agenda here (no hearing there).
	await expect(expert.getByTestId('hearing-item')).toHaveCount(1);

	// The applicant names a representative, and cannot enter before the check-in.
	const applicant = await person(browser, 'applicant2');
	await applicant.goto(`/hearings/${itemId}`);
	await hydrated(applicant);
	await expect(applicant.getByTestId('hearing-live')).toContainText('签到');
	const add = applicant.getByTestId('add-my-representative');
	await add.locator('input[name="name"]').fill('黄志伟');
	await add.locator('input[name="position"]').fill('总经理');
	await add.locator('button[type="submit"]').click();
	await expect(applicant.getByTestId('my-representatives')).toContainText('黄志伟');

	// The secretary checks the identity in (ID card, last four characters).
	await secretary.reload();
	await hydrated(secretary);
	const panel = secretary.getByTestId('hearing-item').filter({ hasText: 'IF2026-0002' }).getByTestId('check-in-panel');
	await both(secretary, 'hearing-check-in', async () => {
		await expect(panel.getByTestId('representative')).toHaveCount(1);
	});
	const form = panel.getByTestId('check-in-form');
	await form.locator('select[name="idType"]').selectOption('idCard');
	await form.locator('input[name="idLast4"]').fill('351x');
	await form.getByTestId('check-in').click();
	await expect(panel.getByTestId('checked-in')).toBeVisible();
	await expect(panel).toContainText('末四位 351X');

	// The applicant is in, waiting: the meeting has not reached the item.
	await applicant.reload();
	await hydrated(applicant);
	await expect(applicant.getByTestId('hearing-live')).toHaveAttribute('data-status', 'waiting', { timeout: 15_000 });

	// The chair opens the room on item 1; the applicant still waits and sees nothing of it.
	const chair = await person(browser, 'chair');
	await chair.goto(`${url}/room`);
	await hydrated(chair);
	await expect(chair.getByTestId('connection-status')).toHaveAttribute('data-status', 'live', { timeout: 15_000 });
	await chair.getByTestId('start-meeting').click();
	await expect(chair.getByTestId('meeting-status')).toHaveAttribute('data-status', 'open');
	await expect(applicant.getByTestId('hearing-live')).toHaveAttribute('data-status', 'waiting');
	await expect(applicant.locator('body')).not.toContainText('高纯单分散硅胶微球');

	// The chair moves to the hearing: the applicant's page enters it.
	await chair.getByTestId('next-item').click();
	await expect(chair.getByTestId('hearing-bar')).toBeVisible();
	const live = applicant.getByTestId('hearing-live');
	await expect(live).toHaveAttribute('data-status', 'live');
	await expect(live.getByTestId('hearing-questions')).toContainText(QUESTION);
	await expect(applicant.getByTestId('advance-questions')).toHaveCount(0);
	await expect(live).not.toContainText('刘振华');
	await expect(live.getByTestId('hearing-members')).toHaveCount(0);
	await chair.getByTestId('hearing-start-presentation').click();
	await expect(live.getByTestId('hearing-phase')).toContainText('陈述中');
	await expect(live.getByTestId('hearing-remaining')).toContainText(/剩余 1[12]:\d\d/);
	await expect(chair.getByTestId('hearing-bar-phase')).toContainText('陈述中');
	await shot(chair, 'hearing-chair-bar-zh-1280');
	await both(applicant, 'hearing-applicant', async () => {
		await expect(applicant.getByTestId('hearing-live')).toHaveAttribute('data-status', 'live');
		await expect(applicant.getByTestId('hearing-remaining')).toBeVisible();
	});
	await chair.getByTestId('hearing-start-questions').click();
	await expect(live.getByTestId('hearing-phase')).toContainText('提问中');

	// At time the chair moves on: the applicant is moved out, back to waiting.
	await chair.getByTestId('next-item').click();
	await expect(live).toHaveAttribute('data-status', 'waiting');
	await expect(chair.getByTestId('hearing-bar')).toHaveCount(0);
	// Its questions stay on the page (the meeting has begun, so they are due).
	await expect(applicant.getByTestId('advance-questions')).toContainText(QUESTION);
	await expect(applicant.locator('body')).not.toContainText('MVR');
	await shot(chair, 'hearing-chair-after-zh-1280');

	// The chair closes the meeting (so that the demo meeting is again the first open one).
	await chair.getByTestId('close-meeting').click();
	await chair.getByTestId('close-confirm').click();
	await expect(chair.getByTestId('meeting-status')).toHaveAttribute('data-status', 'closed');
	await expect(applicant.getByTestId('hearing-live')).toHaveAttribute('data-status', 'waiting');
});
