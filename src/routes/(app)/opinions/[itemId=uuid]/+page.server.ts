import { error, fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireUser } from '$lib/server/auth/guards';
import { db } from '$lib/server/db';
import { actorOf } from '$lib/server/audit/actor';
import { opinionPanel } from '$lib/server/opinions/queries';
import { appointLead, finalize, previewRelease, release, sign, submitDraft } from '$lib/server/opinions/commands';
import { opinionErrorMessage, opinionStatus } from '$lib/server/messages/opinions';
import { formFields, z } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';

const flag = (v: unknown) => v === '1' || v === 'on' || v === 'true';

function releaseOptions(get: (k: string) => unknown) {
	return { text: flag(get('text')), dissents: flag(get('dissents')), decision: flag(get('decision')) };
}

export const load: PageServerLoad = async (event) => {
	const p = requireUser(event);
	const panel = await opinionPanel(db(), p, event.params.itemId);
	// Recused members, applicants and outsiders: nothing here exists for them.
	if (!panel) error(404, m.op_err_not_found());
	const q = event.url.searchParams;
	let preview = null;
	const options = q.has('preview') ? releaseOptions((k) => q.get(k)) : { text: true, dissents: false, decision: true };
	if (q.has('preview') && !panel.release) {
		const r = await previewRelease(db(), p, event.params.itemId, options);
		if (r.ok) preview = r.view;
	}
	return { panel, preview, options, me: p.user.id };
};

function refusal(code: Parameters<typeof opinionErrorMessage>[0], action: string) {
	return fail(opinionStatus(code), { action, message: opinionErrorMessage(code) });
}

export const actions: Actions = {
	appoint: async (event) => {
		const p = requireUser(event);
		const fields = formFields(await event.request.formData());
		const lead = z.uuid().safeParse(fields.leadUserId);
		if (!lead.success) return fail(400, { action: 'appoint', message: m.op_err_not_signer() });
		const r = await appointLead(db(), p, actorOf(event), event.params.itemId, lead.data);
		if (!r.ok) return refusal(r.code, 'appoint');
		return { action: 'appoint', success: m.op_done_appointed() };
	},
	submit: async (event) => {
		const r = await submitDraft(db(), requireUser(event), actorOf(event), event.params.itemId);
		if (!r.ok) return refusal(r.code, 'submit');
		return { action: 'submit', success: m.op_done_submitted() };
	},
	sign: async (event) => {
		const fields = formFields(await event.request.formData());
		const kind = fields.kind === 'dissent' ? 'dissent' : 'sign';
		const dissent = typeof fields.dissent === 'string' ? fields.dissent.slice(0, 5000) : '';
		const sha256 = typeof fields.sha256 === 'string' && /^[0-9a-f]{64}$/.test(fields.sha256) ? fields.sha256 : undefined;
		const r = await sign(db(), requireUser(event), actorOf(event), event.params.itemId, { kind, dissent, sha256 });
		if (!r.ok) return refusal(r.code, 'sign');
		return { action: 'sign', success: m.op_done_signed() };
	},
	finalize: async (event) => {
		const p = requireUser(event);
		const fields = formFields(await event.request.formData());
		const excuse: Record<string, string> = {};
		for (const [k, v] of Object.entries(fields)) {
			const id = /^excuse_([0-9a-f-]{36})$/.exec(k)?.[1];
			if (id && typeof v === 'string') excuse[id] = v;
		}
		const r = await finalize(db(), p, actorOf(event), event.params.itemId, excuse);
		if (!r.ok) {
			const panel = await opinionPanel(db(), p, event.params.itemId);
			const names = (r.pending ?? []).map((id) => panel?.signers.find((s) => s.userId === id)?.name ?? '').filter(Boolean);
			return fail(opinionStatus(r.code), { action: 'finalize', message: opinionErrorMessage(r.code, names) });
		}
		return { action: 'finalize', success: m.op_done_finalized() };
	},
	release: async (event) => {
		const fields = formFields(await event.request.formData());
		const r = await release(db(), requireUser(event), actorOf(event), event.params.itemId, releaseOptions((k) => fields[k]));
		if (!r.ok) return refusal(r.code, 'release');
		return { action: 'release', success: m.op_done_released() };
	}
};
