// The publications' edge, shared by the public form, the account form and the JSON API: one
// submission path (rate limit per address, then the form token and honeypot for anyone not
// signed in, then validation, then the domain) and the translation of every code into the
// user's language. Routes call this and stay thin; the domain never sees a message.
import { m } from '$lib/paraglide/messages';
import { db } from '../db';
import type { Principal } from '../auth/principal';
import { formatLimit } from '../http/limits';
import { parse, type FieldErrors } from '../validation';
import { beijingText } from './format';
import { checkFormToken, type TokenProblem } from './antibot';
import { takeObjectionSlot } from './limiter';
import { lodgeObjection, MAX_OBJECTION_FILE_BYTES, MAX_OBJECTION_FILES, type HandleProblem, type LodgeProblem, type UploadedFile } from './objections';
import { objectionSchema } from './schemas';
import type { FinalizeProblem } from './finalize';
import type { PublishProblem } from './publish';

export function tokenMessage(code: TokenProblem): string {
	return {
		tokenMissing: m.pub_err_token_missing,
		tokenInvalid: m.pub_err_token_invalid,
		tokenExpired: m.pub_err_token_expired,
		tooFast: m.pub_err_too_fast,
		tokenUsed: m.pub_err_token_used,
		honeypot: m.pub_err_honeypot
	}[code]();
}

export function lodgeMessage(code: LodgeProblem, endsAt?: Date): string {
	switch (code) {
		case 'late':
			return m.pub_err_late({ end: endsAt ? beijingText(endsAt) : '' });
		case 'early':
			return m.pub_err_early();
		case 'notOpen':
			return m.pub_err_not_open();
		case 'notFound':
			return m.pub_not_found();
		case 'noSuchRow':
			return m.pub_err_no_row();
		case 'tokenUsed':
			return m.pub_err_token_used();
		case 'fileTooLarge':
			return m.pub_err_file_large({ size: formatLimit(MAX_OBJECTION_FILE_BYTES) });
		case 'fileType':
			return m.pub_err_file_type();
		case 'tooManyFiles':
			return m.pub_err_files_many({ count: MAX_OBJECTION_FILES });
	}
}

export function publishMessage(code: PublishProblem): string {
	return { forbidden: m.error_forbidden, empty: m.pub_err_empty, alreadyOpen: m.pub_err_already_open }[code]();
}

export function handleMessage(code: HandleProblem): string {
	switch (code) {
		case 'notFound':
			return m.not_found();
		case 'forbidden':
			return m.error_forbidden();
		case 'decided':
			return m.pub_err_decided();
		case 'notAcknowledged':
			return m.pub_err_not_acknowledged();
		case 'final':
			return m.pub_err_final();
		case 'reopenFailed':
			return m.pub_err_reopen();
		default:
			return lodgeMessage(code);
	}
}

export function finalizeMessage(code: FinalizeProblem, endsAt?: Date): string {
	switch (code) {
		case 'notFound':
			return m.not_found();
		case 'forbidden':
			return m.error_forbidden();
		case 'periodRunning':
			return m.pub_err_period_running({ end: endsAt ? beijingText(endsAt) : '' });
		case 'pending':
			return m.pub_err_pending();
	}
}

export type SubmitResult =
	| { ok: true; receipt: string; id: string }
	| { ok: false; status: 400 | 403 | 404 | 409 | 429; message: string; errors?: FieldErrors };

export interface Submission {
	publicationId: string;
	/** The fields as posted (form or JSON). */
	fields: Record<string, unknown>;
	files: UploadedFile[];
	principal: Principal | null;
	ip: string | null;
}

/**
 * Lodges an objection from any channel. Someone signed in objects from their account (named in
 * the record, no form token needed: the session is the proof of a person); anyone else must
 * bring a form token spent once, after the minimum fill time, with the honeypot empty.
 */
export async function submitObjection(s: Submission): Promise<SubmitResult> {
	if (!(await takeObjectionSlot('submit', s.ip))) return { ok: false, status: 429, message: m.pub_err_rate() };
	let nonce: string | undefined;
	if (!s.principal) {
		const token = typeof s.fields.token === 'string' ? s.fields.token : null;
		const honeypot = typeof s.fields.website === 'string' ? s.fields.website : null;
		const checked = checkFormToken(token, s.publicationId, honeypot);
		if (!checked.ok) return { ok: false, status: 403, message: tokenMessage(checked.code) };
		nonce = checked.nonce;
	}
	const parsed = parse(objectionSchema, s.fields);
	if (!parsed.ok) return { ok: false, status: 400, message: m.v_form_errors(), errors: parsed.errors };
	const r = await lodgeObjection(db(), s.publicationId, parsed.data, s.files, { userId: s.principal?.user.id ?? null, ip: s.ip, nonce });
	if (r.ok) return r;
	let endsAt: Date | undefined;
	if (r.code === 'late') {
		const { publicPublication } = await import('./public');
		const pub = await publicPublication(db(), s.publicationId);
		endsAt = pub ? new Date(pub.endsAt) : undefined;
	}
	const status = r.code === 'notFound' ? 404 : r.code === 'late' || r.code === 'early' || r.code === 'notOpen' || r.code === 'tokenUsed' ? 409 : 400;
	return { ok: false, status, message: lodgeMessage(r.code, endsAt) };
}

/** The files of a multipart form, read (the route's body limit already bounds them). */
export async function formFiles(form: FormData, name: string): Promise<UploadedFile[]> {
	const out: UploadedFile[] = [];
	for (const v of form.getAll(name)) {
		if (typeof v === 'string' || v.size === 0) continue;
		out.push({ name: v.name, type: v.type, bytes: new Uint8Array(await v.arrayBuffer()) });
	}
	return out;
}
