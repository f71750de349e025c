import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter({ out: 'build', precompress: true }),
		// Kit's default CSRF check (Origin of form posts) stays on; the Socket.IO and
		// y-websocket upgrades check Origin themselves (src/lib/server/realtime/auth.ts).
		alias: { $db: 'db' }
	}
};

export default config;
