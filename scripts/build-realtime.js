// Builds the server side that lives outside SvelteKit's handler (the HTTP server, Socket.IO,
// collaboration) into build/realtime/server.js, for server.js (run by scripts/build.js). Dependencies stay external
// (imported from node_modules at run time), the project's own TypeScript is bundled.
//
// esbuild directly rather than a second `vite build`: the same transform Vite applies to these
// files (esbuild strips the TypeScript) without starting Vite and Rollup again — about 1 s
// instead of 12 s (bench/README.md, "First start on a fresh clone"). The esbuild used is the one
// Vite itself depends on, so there is no second copy to keep in step.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');

/** The entry of the realtime bundle (start-up's HTTP server) and where it goes; server.js imports it. */
export const REALTIME_ENTRY = 'src/lib/server/app/server.ts';
export const REALTIME_OUT = 'build/realtime';

export async function buildRealtime() {
	const entry = REALTIME_ENTRY;
	const esbuild = createRequire(createRequire(import.meta.url).resolve('vite/package.json'))('esbuild');
	const outdir = path.join(root, REALTIME_OUT);
	fs.rmSync(outdir, { recursive: true, force: true });
	const t0 = performance.now();
	await esbuild.build({
		absWorkingDir: root,
		entryPoints: { server: entry },
		outdir,
		bundle: true,
		// Dynamic imports (demo seed, Redis) stay separate files, loaded only when used. The chunks
		// sit beside server.js so that import.meta.dirname is the same in every one of them
		// (db/index.ts finds the migrations from it).
		splitting: true,
		chunkNames: '[name]-[hash]',
		format: 'esm',
		platform: 'node',
		target: 'node20',
		packages: 'external',
		alias: { $lib: './src/lib', $db: './db' },
		sourcemap: true,
		minify: false,
		logLevel: 'warning'
	});
	console.log(`✓ realtime server (${entry}) → ${REALTIME_OUT}/server.js in ${((performance.now() - t0) / 1000).toFixed(1)}s`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await buildRealtime();
