// The import aliases of svelte.config.js, in the form dependency-cruiser's resolver reads.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- dependency-cruiser loads this as CommonJS
const path = require('node:path');
const root = path.resolve(__dirname, '..');
module.exports = { resolve: { alias: { $lib: path.join(root, 'src/lib'), $db: path.join(root, 'db') } } };
