import { error, fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { requireInternal } from '$lib/server/auth/guards';
import { actorOf } from '$lib/server/audit/actor';
import { db } from '$lib/server/db';
import { getManagedCall } from '$lib/server/calls/queries';
import {
	acknowledgeObjection,
	addObjectionNote,
	callPublications,
	decideObjection,
	DEFAULT_PERIOD,
	finalizePublication,
	objectionsOf,
	previewPublication,
	proposedRows,
	publish,
	rowsOf
} from '$lib/server/publications';
import { decideSchema, noteSchema, publishSchema } from '$lib/server/publications/schemas';
import { finalizeMessage, formFiles, handleMessage, publishMessage } from '$lib/server/publications/edge';
import { echo, formFields, parse, z } from '$lib/server/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const p = requireInternal(event);
	const found = await getManagedCall(db(), p, event.params.id);
	if (!found) error(404, m.not_found());
	const pubs = await callPublications(db(), found.call.id);
	const current = pubs[0] ?? null;
	const handling = current ? await objectionsOf(db(), p, current.id) : null;
	return {
		call: { id: found.call.id, code: found.call.code, title: found.call.title, titleEn: found.call.titleEn, year: found.call.year },
		publications: pubs.map((x) => ({ id: x.id, title: x.title, status: x.status, startsAt: x.startsAt.toISOString(), endsAt: x.endsAt.toISOString(), finalizedAt: x.finalizedAt?.toISOString() ?? null, sha256: x.sha256 })),
		current: current && { ...current, startsAt: current.startsAt.toISOString(), endsAt: current.endsAt.toISOString(), publishedAt: current.publishedAt.toISOString(), finalizedAt: current.finalizedAt?.toISOString() ?? null, ended: Date.now() >= current.endsAt.getTime() },
		objections: handling?.ok ? handling.objections.map((o) => ({ ...o, createdAt: o.createdAt.toISOString(), acknowledgedAt: o.acknowledgedAt?.toISOString() ?? null, decidedAt: o.decidedAt?.toISOString() ?? null, notes: o.notes.map((n) => ({ ...n, createdAt: n.createdAt.toISOString() })) })) : [],
		currentRows: current ? (await rowsOf(db(), [current.id])).map((r) => ({ id: r.id, position: r.position, label: r.label, title: r.title, organization: r.organization, amount: r.amount, fundingMode: r.fundingMode, outcome: r.outcome })) : [],
		proposed: await proposedRows(db(), found.call.id),
		defaults: DEFAULT_PERIOD
	};
};

const idField = z.object({ id: z.string().uuid() });

function readPublish(fields: Record<string, string | string[]>) {
	return parse(publishSchema, fields);
}

export const actions: Actions = {
	preview: async (event) => {
		const p = requireInternal(event);
		const fields = formFields(await event.request.formData());
		const parsed = readPublish(fields);
		if (!parsed.ok) return fail(400, { action: 'publish', errors: parsed.errors, values: echo(fields) });
		const r = await previewPublication(db(), p, event.params.id, parsed.data);
		if (!r.ok) error(403, m.error_forbidden());
		return { action: 'publish', values: echo(fields), preview: { rows: r.preview.rows, endsAt: r.preview.endsAt.toISOString() } };
	},
	publish: async (event) => {
		const p = requireInternal(event);
		const fields = formFields(await event.request.formData());
		const parsed = readPublish(fields);
		if (!parsed.ok) return fail(400, { action: 'publish', errors: parsed.errors, values: echo(fields) });
		const r = await publish(db(), p, actorOf(event), event.params.id, parsed.data);
		if (!r.ok) return fail(r.code === 'forbidden' ? 403 : 409, { action: 'publish', message: publishMessage(r.code), values: echo(fields) });
		return { action: 'publish', success: m.pub_publish_done() };
	},
	acknowledge: async (event) => {
		const p = requireInternal(event);
		const parsed = parse(idField, formFields(await event.request.formData()));
		if (!parsed.ok) return fail(400, { action: 'handle', message: m.v_form_errors() });
		const r = await acknowledgeObjection(db(), p, actorOf(event), parsed.data.id);
		if (!r.ok) return fail(r.code === 'forbidden' ? 403 : r.code === 'notFound' ? 404 : 409, { action: 'handle', id: parsed.data.id, message: handleMessage(r.code) });
		return { action: 'handle', id: parsed.data.id, success: m.pub_done_ack() };
	},
	note: async (event) => {
		const p = requireInternal(event);
		const form = await event.request.formData();
		const fields = formFields(form);
		const id = parse(idField, fields);
		const body = parse(noteSchema, fields);
		if (!id.ok || !body.ok) return fail(400, { action: 'handle', id: fields.id, message: m.v_form_errors(), errors: body.ok ? {} : body.errors });
		const r = await addObjectionNote(db(), p, actorOf(event), id.data.id, body.data.body, await formFiles(form, 'files'));
		if (!r.ok) return fail(r.code === 'forbidden' ? 403 : r.code === 'notFound' ? 404 : 409, { action: 'handle', id: id.data.id, message: handleMessage(r.code) });
		return { action: 'handle', id: id.data.id, success: m.pub_done_note() };
	},
	decide: async (event) => {
		const p = requireInternal(event);
		const fields = formFields(await event.request.formData());
		const id = parse(idField, fields);
		const body = parse(decideSchema, fields);
		if (!id.ok || !body.ok) return fail(400, { action: 'handle', id: fields.id, message: m.v_form_errors(), errors: body.ok ? {} : body.errors });
		const r = await decideObjection(db(), p, actorOf(event), id.data.id, body.data.outcome, body.data.reason);
		if (!r.ok) return fail(r.code === 'forbidden' ? 403 : r.code === 'notFound' ? 404 : 409, { action: 'handle', id: id.data.id, message: handleMessage(r.code) });
		return { action: 'handle', id: id.data.id, success: m.pub_done_decided() };
	},
	finalize: async (event) => {
		const p = requireInternal(event);
		const parsed = parse(idField, formFields(await event.request.formData()));
		if (!parsed.ok) return fail(400, { action: 'finalize', message: m.v_form_errors() });
		const r = await finalizePublication(db(), { principal: p, actor: actorOf(event) }, parsed.data.id);
		if (!r.ok) {
			const pubs = await callPublications(db(), event.params.id);
			const endsAt = pubs.find((x) => x.id === parsed.data.id)?.endsAt;
			return fail(r.code === 'forbidden' ? 403 : r.code === 'notFound' ? 404 : 409, { action: 'finalize', message: finalizeMessage(r.code, endsAt) });
		}
		return { action: 'finalize', success: r.already ? m.pub_finalize_already() : m.pub_finalize_done() };
	}
};
