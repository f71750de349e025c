export { default as Pager } from './Pager.svelte';
