// The layering rules of ARCHITECTURE.md (.dependency-cruiser.cjs) catch each kind of break:
// a tree built to break every rule once is cruised with the real rules, and each rule must
// report exactly its own break, while an allowed import (a domain using the database engine)
// passes. `npm run check` cruises the real tree with the same rules.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
let dir: string;

const files: Record<string, string> = {
	// engines-import-no-domain, and the allowed direction (a domain on the engine)
	'src/lib/server/db/index.ts': "import { room } from '../meetings/room';\nexport const db = () => room;\n",
	'src/lib/server/realtime/index.ts': "import { q } from '../calls/queries';\nexport const rt = q;\n",
	'src/lib/server/collab/index.ts': "import { access } from '../documents/access';\nexport const engine = access;\n",
	'src/lib/server/documents/access.ts': "import { engineName } from '../collab/name';\nexport const access = engineName;\n",
	'src/lib/server/collab/name.ts': "export const engineName = 'yjs';\n",
	// no-cycle
	'src/lib/server/meetings/room.ts': "import { view } from './view';\nexport const room = view;\n",
	'src/lib/server/meetings/view.ts': "import type { room } from './room';\nexport const view = 1 as unknown as typeof room;\n",
	// no-domain-imports-app
	'src/lib/server/calls/queries.ts': "import { started } from '../app/index';\nimport { db } from '../db/index';\nexport const q = [started, db];\n",
	'src/lib/server/app/index.ts': "export const started = true;\n",
	// components-never-import-server
	'src/lib/components/Card.svelte': "<script lang=\"ts\">\n\timport { q } from '../server/calls/queries';\n\tconst n = q.length;\n</script>\n\n<p>{n}</p>\n",
	// routes-call-domains-not-schema
	'src/routes/list/+page.server.ts': "import { calls } from '../../../db/schema/index';\nexport const load = () => calls;\n",
	// db-imports-no-server-code
	'db/schema/index.ts': "import { log } from '../../src/lib/server/log';\nexport const calls = log;\n",
	'src/lib/server/log.ts': 'export const log = 1;\n'
};

beforeAll(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panelroom-rules-'));
	for (const [file, text] of Object.entries(files)) {
		fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
		fs.writeFileSync(path.join(dir, file), text);
	}
	// The real rules, without the options that point at this repository's own files.
	fs.writeFileSync(
		path.join(dir, 'rules.cjs'),
		`const real = require(${JSON.stringify(path.join(root, '.dependency-cruiser.cjs'))});\n` +
			'module.exports = { forbidden: real.forbidden, options: { tsPreCompilationDeps: true, skipAnalysisNotInRules: true } };\n'
	);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Violation {
	from: string;
	to: string;
	rule: { name: string };
}

async function violations(): Promise<Violation[]> {
	const run = await promisify(execFile)(process.execPath, [bin, 'src', 'db', '--config', 'rules.cjs', '--output-type', 'json'], { cwd: dir, maxBuffer: 1 << 24 }).catch(
		(err: { stdout?: string }) => ({ stdout: err.stdout ?? '' })
	);
	return (JSON.parse(run.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

describe('dependency rules', () => {
	it('report each break under its own rule, and nothing allowed', async () => {
		const found = (await violations()).map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
		expect(found).toEqual(
			[
				'components-never-import-server: src/lib/components/Card.svelte → src/lib/server/calls/queries.ts',
				'db-imports-no-server-code: db/schema/index.ts → src/lib/server/log.ts',
				'engines-import-no-domain: src/lib/server/collab/index.ts → src/lib/server/documents/access.ts',
				'engines-import-no-domain: src/lib/server/db/index.ts → src/lib/server/meetings/room.ts',
				'engines-import-no-domain: src/lib/server/realtime/index.ts → src/lib/server/calls/queries.ts',
				'no-cycle: src/lib/server/meetings/room.ts → src/lib/server/meetings/view.ts',
				'no-domain-imports-app: src/lib/server/calls/queries.ts → src/lib/server/app/index.ts',
				'routes-call-domains-not-schema: src/routes/list/+page.server.ts → db/schema/index.ts'
			].sort()
		);
	}, 60_000);
});
