import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig, type Plugin } from 'vite';
import { lucideDirectImports } from './scripts/lucide-direct-imports.js';

/** In development start-up attaches the realtime core to Vite's own HTTP server, as server.js does in production. */
function panelroomRealtime(): Plugin {
	return {
		name: 'panelroom-realtime',
		apply: 'serve',
		configureServer(server) {
			const http = server.httpServer;
			if (!http) return;
			http.once('listening', async () => {
				const mod = await server.ssrLoadModule('/src/lib/server/app/index.ts');
				await mod.attachApp(http, { dev: true });
			});
		}
	};
}

export default defineConfig({
	plugins: [
		// Build time: only the icons used are loaded and compiled (see the file).
		lucideDirectImports(),
		tailwindcss(),
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			strategy: ['cookie', 'baseLocale']
		}),
		sveltekit(),
		panelroomRealtime()
	],
	server: { fs: { allow: ['db'] } },
	// The gzip sizes in the build log cost seconds of a first start and are never read.
	build: { reportCompressedSize: false }
});
