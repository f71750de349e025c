// Edge translation for hearings: what meetings/hearings reports as codes, in the user's
// language, with the HTTP status a page answers with. Used by the routes only.
import { m } from '$lib/paraglide/messages';
import type { HearingProblem } from '../meetings/hearings/commands';

const messages: Record<HearingProblem, () => string> = {
	notFound: m.hrg_p_notFound,
	forbidden: m.hrg_p_forbidden,
	notScheduled: m.hrg_p_notScheduled,
	closed: m.hrg_p_closed,
	ended: m.hrg_p_ended,
	tooMany: m.hrg_p_tooMany,
	tooManyQuestions: m.hrg_p_tooManyQuestions,
	checkedIn: m.hrg_p_checkedIn,
	recused: m.hrg_p_recused,
	notOpen: m.hrg_p_notOpen,
	notCurrent: m.hrg_p_notCurrent,
	badPhase: m.hrg_p_badPhase
};

export const hearingProblemMessage = (code: HearingProblem): string => messages[code]();

export function hearingProblemStatus(code: HearingProblem): number {
	if (code === 'notFound') return 404;
	if (code === 'forbidden') return 403;
	return 409;
}
