// Shared steps for the browser tests.
import { expect, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

export const PASSWORD = 'demo-password';

/** Waits until Svelte has hydrated the page, so clicks reach their handlers. */
export async function hydrated(page: Page): Promise<void> {
	await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
}

export async function signIn(page: Page, username: string, password = PASSWORD): Promise<void> {
	await page.goto('/login');
	await hydrated(page);
	await page.locator('input[name="username"]').fill(username);
	await page.locator('input[name="password"]').fill(password);
	await page.locator('form button[type="submit"]').click();
	await expect(page).not.toHaveURL(/\/login/);
	await hydrated(page);
}

/** Saves a full-page screenshot under test-results/screens/ for people to look at. */
export async function shot(page: Page, name: string): Promise<string> {
	const dir = path.resolve('test-results/screens');
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, `${name}.png`);
	await page.screenshot({ path: file, fullPage: true });
	return file;
}
