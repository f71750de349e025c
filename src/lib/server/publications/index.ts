// Publication (公示) and objections (异议): publish.ts freezes a call's proposed list for its
// period (calendar.ts counts working days), objections.ts takes and handles objections,
// finalize.ts locks the list when the period is over, public.ts is what anyone may read, and
// antibot.ts + limiter.ts guard the public form.
export { DEFAULT_PERIOD, callPublications, previewPublication, proposedRows, publish, rowsOf, type PublishInput, type PublishProblem } from './publish';
export {
	acknowledgeObjection,
	addObjectionNote,
	decideObjection,
	lodgeObjection,
	objectionByReceipt,
	objectionFile,
	objectionsForApplication,
	objectionsLodgedBy,
	objectionsOf,
	MAX_OBJECTION_FILE_BYTES,
	MAX_OBJECTION_FILES,
	type HandleProblem,
	type LodgeProblem,
	type ObjectorInput,
	type UploadedFile
} from './objections';
export { finalizeDue, finalizePublication, finalListHash, startFinalizer, type FinalizeProblem } from './finalize';
export { publicPublication, publicPublications, type PublicPublication, type PublicRow } from './public';
export { checkFormToken, issueFormToken, minFillMs, TOKEN_TTL_MS, type TokenProblem } from './antibot';
export { takeObjectionSlot } from './limiter';
export { beijingDate, isWorkingDay, periodEnd, loadExceptions } from './calendar';
