// The room's refusals in the socket's language: the only place the meeting room is translated.
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import type { PlainCode, Refusal, SheetProblemDetail } from '../room/errors';

type Options = { locale: Locale };

const plain: Record<PlainCode, (o: Options) => string> = {
	invalid: (o) => m.mtg_err_invalid({}, o),
	unknownEvent: (o) => m.mtg_err_unknownEvent({}, o),
	rateLimited: (o) => m.mtg_err_rateLimited({}, o),
	notFound: (o) => m.mtg_err_notFound({}, o),
	notMember: (o) => m.mtg_err_notMember({}, o),
	forbidden: (o) => m.mtg_err_forbidden({}, o),
	recused: (o) => m.mtg_err_recused({}, o),
	notOpen: (o) => m.mtg_err_notOpen({}, o),
	notCurrent: (o) => m.mtg_err_notCurrent({}, o),
	alreadyRevealed: (o) => m.mtg_err_alreadyRevealed({}, o),
	notRevealed: (o) => m.mtg_err_notRevealed({}, o),
	noSubmissions: (o) => m.mtg_err_noSubmissions({}, o),
	ballotOpen: (o) => m.mtg_err_ballotOpen({}, o),
	ballotNotCarried: (o) => m.mtg_err_ballotNotCarried({}, o),
	amountRequired: (o) => m.mtg_err_amountRequired({}, o),
	amountNotAllowed: (o) => m.mtg_err_amountNotAllowed({}, o),
	noSummary: (o) => m.mtg_err_noSummary({}, o),
	noSheet: (o) => m.mtg_err_noSheet({}, o),
	noRubric: (o) => m.mtg_err_noRubric({}, o),
	alreadyStarted: (o) => m.mtg_err_alreadyStarted({}, o),
	emptyAgenda: (o) => m.mtg_err_emptyAgenda({}, o),
	staleRound: (o) => m.mtg_err_staleRound({}, o),
	ballotClosed: (o) => m.mtg_err_ballotClosed({}, o),
	alreadyVoted: (o) => m.mtg_err_alreadyVoted({}, o),
	ballotRequired: (o) => m.mtg_err_ballotRequired({}, o),
	locked: (o) => m.mtg_err_locked({}, o),
	notLocked: (o) => m.mtg_err_notLocked({}, o),
	modeRequired: (o) => m.mtg_err_modeRequired({}, o),
	closed: (o) => m.mtg_err_closed({}, o),
	unavailable: (o) => m.mtg_err_unavailable({}, o),
	server: (o) => m.mtg_err_server({}, o)
};

function sheetMessage(d: SheetProblemDetail, o: Options): string {
	switch (d.problem) {
		case 'missing':
			return m.mtg_sheet_missing({ count: d.missing }, o);
		case 'deduction':
			return m.mtg_sheet_deduction({}, o);
		case 'veto':
			return m.mtg_sheet_veto({}, o);
		case 'bad':
			return m.mtg_sheet_bad({}, o);
	}
}

export function refusalMessage(r: Refusal, locale: Locale): string {
	const o = { locale };
	switch (r.code) {
		case 'noQuorum':
			return m.mtg_err_noQuorum({ present: r.present, required: r.required }, o);
		case 'overCeiling':
			return m.mtg_err_overCeiling({ ceiling: r.ceiling }, o);
		case 'incomplete':
			return m.mtg_err_incomplete({ detail: sheetMessage(r, o) }, o);
		default:
			return plain[r.code](o);
	}
}
