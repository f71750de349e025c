// The Panelroom data model. One file per domain; every table says what a row is.
export * from './auth';
export * from './org';
export * from './programs';
export * from './applications';
export * from './audit';
export * from './conflicts';
export * from './bytea';
export * from './attachments';
export * from './intake';
export * from './assignments';
export * from './reviews';
export * from './documents';
export * from './meetings';
export * from './imports';
export * from './opinions';
