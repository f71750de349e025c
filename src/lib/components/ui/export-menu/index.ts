export { default as ExportMenu } from './ExportMenu.svelte';
