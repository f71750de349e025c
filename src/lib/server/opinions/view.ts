// What the applicant sees of a finalized opinion, built from the options the division chose:
// the locked text, the dissents' words (never who wrote them), the decision's outcome and
// amount. One function builds both the preview and the release, so the two cannot differ;
// the release stores its result frozen. Nothing here carries a member's name or any score.
import type { PMNode } from '$lib/editor/extensions';
import { renderHtml } from '../documents/render';
import type { OpinionContext } from './context';

export interface ReleaseOptions {
	/** The opinion's text. */
	text: boolean;
	/** The dissents' words, without names. */
	dissents: boolean;
	/** The decision's outcome and amount. */
	decision: boolean;
}

export interface ApplicantOpinionView {
	applicationNumber: string;
	projectTitle: string;
	/** Safe HTML of the locked opinion, or null when not released. */
	html: string | null;
	/** SHA-256 of the locked text the view was built from. */
	sha256: string;
	finalizedAt: string;
	dissents: string[] | null;
	decision: { outcome: 'fund' | 'decline' | 'defer'; amount: string | null; fundingMode: string | null } | null;
}

export function applicantView(ctx: OpinionContext, options: ReleaseOptions): ApplicantOpinionView {
	if (!ctx.lock) throw new Error('applicantView of an opinion not finalized');
	const content = JSON.parse(ctx.lock.content) as PMNode;
	const dissents = ctx.signatures.filter((s) => s.kind === 'dissent' && s.sha256 === ctx.lock!.sha256).map((s) => s.dissent);
	return {
		applicationNumber: ctx.application.number,
		projectTitle: ctx.application.title,
		html: options.text ? renderHtml(content) : null,
		sha256: ctx.lock.sha256,
		finalizedAt: ctx.lock.lockedAt.toISOString(),
		dissents: options.dissents ? dissents : null,
		decision: options.decision && ctx.decision ? { outcome: ctx.decision.outcome, amount: ctx.decision.amount, fundingMode: ctx.decision.fundingMode } : null
	};
}
