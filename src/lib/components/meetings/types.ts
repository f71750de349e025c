// Shapes the scheduling components share with their pages.

/** The panel as picked on the edit page (user ids). */
export interface MemberSelection {
	chairId: string;
	secretaryId: string;
	expertIds: string[];
	observerIds: string[];
}

export interface AgendaCandidate {
	applicationId: string;
	number: string;
	title: string;
	enterpriseName: string;
	field: string;
	status: string;
}

export interface CandidateConflict {
	applicationId: string;
	userId: string;
	name: string;
	kind: string;
	reason: string;
}

/** One row of the agenda being built; `id` is the application id (svelte-dnd-action keys by it). */
export interface AgendaRow {
	id: string;
	timeboxMinutes: number | string;
}
