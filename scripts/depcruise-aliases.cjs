// The import aliases of svelte.config.js, in the form dependency-cruiser's resolver reads.
const path = require('node:path');
const root = path.resolve(__dirname, '..');
module.exports = { resolve: { alias: { $lib: path.join(root, 'src/lib'), $db: path.join(root, 'db') } } };
