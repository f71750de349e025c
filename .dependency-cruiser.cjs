// The layering rules of ARCHITECTURE.md, checked by `npm run check:deps` (part of `npm test`).
// Engines (db, realtime core, Yjs engine) sit under the domains; start-up (app/) sits on top.
const DOMAINS =
	'^src/lib/server/(access|applications|assignment|audit|auth|backup|calls|conflicts|demo|documents|experts|exports|home|imports|intake|meetings|org|reviews|navigation)';
const ENGINES = ['^db/', '^src/lib/server/db/', '^src/lib/server/realtime/', '^src/lib/server/collab/'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
	forbidden: [
		{
			name: 'no-cycle',
			severity: 'error',
			comment: 'An import cycle: split the shared part out, or pass it in (hooks, arguments).',
			from: { path: '^src/' },
			to: { circular: true, viaOnly: { pathNot: '\\.spec\\.ts$' } }
		},
		{
			name: 'engines-import-no-domain',
			severity: 'error',
			comment: 'The database, the realtime core and the Yjs engine know no domain: domains plug in through start-up.',
			from: { path: ENGINES },
			to: { path: [DOMAINS, '^src/lib/server/app/'] }
		},
		{
			name: 'db-imports-no-server-code',
			severity: 'error',
			comment: 'The schema in db/ is the data model: it imports nothing from the server.',
			from: { path: '^db/' },
			to: { path: '^src/lib/server/' }
		},
		{
			name: 'no-domain-imports-app',
			severity: 'error',
			comment: 'Start-up (app/) wires the domains together; nothing below imports it.',
			from: { path: '^src/lib/server/', pathNot: '^src/lib/server/app/' },
			to: { path: '^src/lib/server/app/' }
		},
		{
			name: 'components-never-import-server',
			severity: 'error',
			comment: 'Components run in the browser: server code stays out of them.',
			from: { path: '^src/lib/components/' },
			to: { path: '^src/lib/server/' }
		},
		{
			name: 'routes-call-domains-not-schema',
			severity: 'error',
			comment: 'Routes parse input and call a domain module; queries on the schema live in the domain.',
			from: { path: '^src/routes/' },
			to: { path: '^db/schema' }
		}
	],
	options: {
		doNotFollow: { path: ['node_modules', '\\.svelte-kit', 'src/lib/paraglide'] },
		exclude: { path: ['node_modules', '\\.svelte-kit/(?!tsconfig)', 'src/lib/paraglide', 'build/'] },
		tsPreCompilationDeps: true,
		tsConfig: { fileName: 'tsconfig.json' },
		// SvelteKit's aliases ($lib, $db), which the generated tsconfig's paths do not give the resolver.
		webpackConfig: { fileName: 'scripts/depcruise-aliases.cjs' },
		enhancedResolveOptions: {
			exportsFields: ['exports'],
			conditionNames: ['import', 'require', 'node', 'default', 'types'],
			extensions: ['.ts', '.js', '.svelte', '.d.ts'],
			mainFields: ['module', 'main', 'types', 'typings']
		},
		skipAnalysisNotInRules: true,
		reporterOptions: { text: { highlightFocused: true } }
	}
};
