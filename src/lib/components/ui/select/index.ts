export { default as SelectField } from './SelectField.svelte';
