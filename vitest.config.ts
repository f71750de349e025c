import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Unit tests sit beside the code (src/**/*.spec.ts); integration tests, which use a database
// or the real server, are in tests/integration. Every file gets its own fresh database.
export default defineConfig({
	resolve: {
		alias: {
			$lib: path.resolve('src/lib'),
			$db: path.resolve('db')
		}
	},
	test: {
		include: ['src/**/*.spec.ts', 'tests/integration/**/*.test.ts'],
		environment: 'node',
		testTimeout: 30_000,
		hookTimeout: 120_000,
		pool: 'forks',
		maxWorkers: 2,
		setupFiles: ['tests/helpers/setup.ts']
	}
});
