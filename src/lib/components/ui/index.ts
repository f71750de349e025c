// Panelroom's design system: small, consistent building blocks for every page.
export * from './button';
export * from './field';
export * from './select';
export * from './badge';
export * from './card';
export * from './alert';
export * from './empty-state';
export * from './dialog';
export * from './page-header';
export * from './export-menu';
export * from './pager';
