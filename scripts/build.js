// `npm run build`: the SvelteKit app (vite build: server, client, adapter-node into build/),
// then the realtime server (scripts/build-realtime.js) into build/realtime/.
// Paraglide is compiled by its Vite plugin inside the build (and by `prepare` on install), so
// not a third time here. Vite runs with a larger young generation (--max-semi-space-size):
// the build allocates heavily and the default 16 MB semi-space made garbage collection a
// quarter of its time; 64 MB took ~12 % of the CPU time off (bench/README.md).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { buildRealtime } from './build-realtime.js';

const root = path.resolve(import.meta.dirname, '..');
const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const nodeOptions = [process.env.NODE_OPTIONS, '--max-semi-space-size=64'].filter(Boolean).join(' ');
const result = spawnSync(process.execPath, [vite, 'build'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: nodeOptions } });
if (result.status !== 0) process.exit(result.status ?? 1);
await buildRealtime();
