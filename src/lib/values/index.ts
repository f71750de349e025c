// Value lists the data model and the interface share, each defined once (issue 10). The schema in
// db/ imports the files here by relative path; everything else imports `$lib/values`.
export * from './fields';
export * from './funding';
export * from './applications';
