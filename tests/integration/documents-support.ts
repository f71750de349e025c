// Re-exports for the documents tests, so they read the content the way the server does.
export { canonicalJSON, docFromJSON, jsonOf, textOf } from '../../src/lib/server/documents/content';
export { FRAGMENT as FRAGMENT_FOR_TESTS } from '../../src/lib/editor/extensions';
