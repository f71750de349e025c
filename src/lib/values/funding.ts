// How a call funds a project: the schema's `funding_mode` enum, the call and draft forms and the
// meeting's decision all take this list.
export const FUNDING_MODES = ['grant', 'interestSubsidy', 'equity'] as const;
export type FundingMode = (typeof FUNDING_MODES)[number];
