// Playwright drives Debian's Chromium (/usr/bin/chromium) against the real built server,
// started on a free port with a fresh data folder (and, with DATABASE_URL, a fresh Postgres
// database). Browser downloads do not work here, so no `npx playwright install`.
import { defineConfig } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
	});
}

// Workers inherit the environment of the runner, so they agree on the port and folder.
process.env.PANELROOM_E2E_PORT ??= String(await freePort());
process.env.PANELROOM_E2E_DATA ??= fs.mkdtempSync(path.join(os.tmpdir(), 'panelroom-e2e-'));
const port = Number(process.env.PANELROOM_E2E_PORT);

export default defineConfig({
	testDir: 'tests/e2e',
	testMatch: '**/*.e2e.ts',
	outputDir: 'test-results',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	timeout: 60_000,
	expect: { timeout: 10_000 },
	reporter: [['list']],
	use: {
		baseURL: `http://127.0.0.1:${port}`,
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai',
		viewport: { width: 1280, height: 800 },
		screenshot: 'only-on-failure',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
		}
	},
	webServer: {
		command: 'node server.js',
		url: `http://127.0.0.1:${port}/healthz`,
		reuseExistingServer: false,
		timeout: 120_000,
		stdout: 'ignore',
		stderr: 'pipe',
		env: {
			PORT: String(port),
			HOST: '127.0.0.1',
			PANELROOM_DATA: process.env.PANELROOM_E2E_DATA,
			PANELROOM_DEMO: '1',
			PANELROOM_QUIET: '1',
			LOG_LEVEL: 'warn',
			// The browser suites run on the embedded database; the database suites run on both.
			DATABASE_URL: ''
		}
	}
});
