// A Vite plugin for the build time of `npm start` (issue 10, item 6): rewrites
//   import { Plus, Trash2 } from '@lucide/svelte';
// into the icons' own modules,
//   import Plus from '@lucide/svelte/icons/plus'; import Trash2 from '@lucide/svelte/icons/trash-2';
// The package index re-exports all ~1,900 icons (and `export * as icons`), so Rollup has to load
// and Svelte to compile every one of them, in the server and again in the client build, before
// tree-shaking drops all but the ~90 Panelroom uses. The components imported are the same files,
// so nothing changes in the output; lucide's own documentation recommends these direct imports.
// An import it cannot map (a type, an alias name, an unusual form) is left as it was.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const PACKAGE = '@lucide/svelte';
const IMPORT = /import\s*\{([^}]*)\}\s*from\s*(['"])@lucide\/svelte\2\s*;?/g;
const SPECIFIER = /^([A-Za-z_$][\w$]*)(?:\s+as\s+([A-Za-z_$][\w$]*))?$/;

/**
 * Icon export name → module under `@lucide/svelte/icons/`, from the package's own index
 * (`export { default as Plus } from './plus.svelte'`) and its alias lists (renamed icons such as
 * `Filter`, and the `…Icon` / `Lucide…` names), only where that module exists.
 * @param {string} root
 * @returns {Map<string, string>}
 */
function iconTable(root) {
	/** @type {Map<string, string>} */
	const table = new Map();
	let dist;
	try {
		dist = path.dirname(createRequire(path.join(root, 'package.json')).resolve(PACKAGE));
	} catch {
		return table;
	}
	const lists = [path.join(dist, 'icons', 'index.js')];
	const aliases = path.join(dist, 'aliases');
	if (fs.existsSync(aliases)) for (const f of fs.readdirSync(aliases)) if (f.endsWith('.js')) lists.push(path.join(aliases, f));
	for (const list of lists) {
		if (!fs.existsSync(list)) continue;
		const text = fs.readFileSync(list, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
		for (const m of text.matchAll(/export\s*\{\s*default\s+as\s+([\w$]+)\s*\}\s*from\s*['"]([^'"]+)['"]/g)) {
			const name = path.basename(m[2]).replace(/\.(svelte|js)$/, '');
			if (!table.has(m[1]) && fs.existsSync(path.join(dist, 'icons', `${name}.js`))) table.set(m[1], name);
		}
	}
	return table;
}

/** @returns {import('vite').Plugin} */
export function lucideDirectImports() {
	/** @type {Map<string, string> | undefined} */
	let icons;
	let root = process.cwd();
	return {
		name: 'panelroom-lucide-direct-imports',
		enforce: 'pre',
		configResolved(config) {
			root = config.root;
		},
		transform(code, id) {
			if (!code.includes(PACKAGE) || id.includes('/node_modules/') || !/\.(svelte|[cm]?[jt]s)(\?.*)?$/.test(id)) return;
			const table = (icons ??= iconTable(root));
			if (table.size === 0) return;
			let changed = false;
			const out = code.replace(IMPORT, (statement, list) => {
				const direct = [];
				const rest = [];
				for (const raw of list.split(',')) {
					const spec = raw.trim();
					if (!spec) continue;
					const m = SPECIFIER.exec(spec);
					const file = m && table.get(m[1]);
					if (file) direct.push(`import ${m[2] ?? m[1]} from '${PACKAGE}/icons/${file}';`);
					else rest.push(spec);
				}
				if (direct.length === 0) return statement;
				changed = true;
				if (rest.length) direct.push(`import { ${rest.join(', ')} } from '${PACKAGE}';`);
				// The same number of lines, so that positions after it stay where they were.
				return direct.join(' ') + '\n'.repeat(statement.split('\n').length - 1);
			});
			return changed ? { code: out, map: null } : undefined;
		}
	};
}
