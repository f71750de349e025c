// The states of an application, from draft to decision: the schema's `application_status` enum,
// the status filters and the labels all take this list.
export const APPLICATION_STATUSES = ['draft', 'submitted', 'accepted', 'rejected', 'assigned', 'reviewed', 'decided', 'withdrawn'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** Accepted and not yet decided: experts may be assigned, reviews follow, a meeting may put it on its agenda. */
export const IN_REVIEW_STATUSES = ['accepted', 'assigned', 'reviewed'] as const satisfies readonly ApplicationStatus[];
export type InReviewStatus = (typeof IN_REVIEW_STATUSES)[number];
