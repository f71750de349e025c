// Runs before every test file: domain code outside a request speaks Chinese by default,
// as the app does; tests that check English pass the locale explicitly.
import { overwriteGetLocale } from '../../src/lib/paraglide/runtime.js';

overwriteGetLocale(() => (globalThis as { __testLocale?: 'zh-CN' | 'en' }).__testLocale ?? 'zh-CN');

/** Switches the locale domain code sees in this test file. */
export function setTestLocale(locale: 'zh-CN' | 'en'): void {
	(globalThis as { __testLocale?: 'zh-CN' | 'en' }).__testLocale = locale;
}
