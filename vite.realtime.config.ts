// Builds the server side that lives outside SvelteKit's handler (the HTTP server, Socket.IO,
// collaboration) into build/realtime/, for server.js. Dependencies stay external.
import path from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
	resolve: {
		alias: {
			$lib: path.resolve('src/lib'),
			$db: path.resolve('db')
		}
	},
	build: {
		ssr: 'src/lib/server/app/server.ts',
		outDir: 'build/realtime',
		emptyOutDir: true,
		target: 'node20',
		sourcemap: true,
		minify: false
	}
});
