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
		alias: { $db: 'db' },
		// A strict CSP: scripts only from the app itself, SvelteKit's inline bootstrap by nonce
		// (hash when prerendered). hooks.server.ts adds the ws(s) origin of the host to
		// connect-src (Socket.IO and /collab) and sends the other security headers.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				// 'unsafe-inline' for styles only, and deliberately: Svelte renders style=""
				// attributes on the server, Tiptap/ProseMirror insert their <style> element, ECharts
				// and bits-ui position with style attributes. With it present SvelteKit adds no
				// style nonce (a nonce would make browsers ignore 'unsafe-inline'). Inline style
				// cannot run code; scripts stay nonce-only.
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'font-src': ['self', 'data:'],
				'connect-src': ['self'],
				'worker-src': ['self', 'blob:'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
