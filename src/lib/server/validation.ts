// Input validation with zod, with every message in the user's language. The error map is
// evaluated when a value is parsed, inside the request, so Paraglide picks its locale.
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { formatLimit, readBodyBytes } from './http/limits';
import { requestLocale } from './http/locale';

z.config({
	customError: (iss) => {
		switch (iss.code) {
			case 'invalid_type':
				return iss.input === undefined || iss.input === null || iss.input === '' ? m.v_required() : m.v_invalid();
			case 'too_small':
				if (iss.origin === 'string') return Number(iss.minimum) <= 1 ? m.v_required() : m.v_too_short({ min: Number(iss.minimum) });
				if (iss.origin === 'array' || iss.origin === 'set') return m.v_choose_at_least({ min: Number(iss.minimum) });
				return m.v_too_small({ min: Number(iss.minimum) });
			case 'too_big':
				if (iss.origin === 'string') return m.v_too_long({ max: Number(iss.maximum) });
				if (iss.origin === 'array' || iss.origin === 'set') return m.v_choose_at_most({ max: Number(iss.maximum) });
				return m.v_too_big({ max: Number(iss.maximum) });
			case 'invalid_format':
				return iss.format === 'email' ? m.v_email() : m.v_invalid();
			case 'invalid_value':
				return m.v_choice();
			default:
				return m.v_invalid();
		}
	}
});

export type FieldErrors = Record<string, string>;
export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

export function parse<T>(schema: z.ZodType<T>, input: unknown): Parsed<T> {
	const result = schema.safeParse(input);
	if (result.success) return { ok: true, data: result.data };
	const errors: FieldErrors = {};
	for (const issue of result.error.issues) {
		const key = issue.path.length ? issue.path.join('.') : '_';
		errors[key] ??= issue.message;
	}
	return { ok: false, errors };
}

/** A form's fields as a plain object; repeated names become arrays, files are left out. */
export function formFields(form: FormData): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const [key, value] of form.entries()) {
		if (typeof value !== 'string') continue;
		const prev = out[key];
		if (prev === undefined) out[key] = value;
		else out[key] = Array.isArray(prev) ? [...prev, value] : [prev, value];
	}
	return out;
}

/** Values to send back to a form after an error: never passwords. */
export function echo(fields: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(fields)) if (!/password/i.test(k)) out[k] = v;
	return out;
}

export type JsonBody = { ok: true; data: Record<string, unknown> } | { ok: false; status: 400 | 413; errors: FieldErrors };

/**
 * Reads a request body as JSON, refusing anything that is not a JSON object of sane size. The
 * body is read as a stream and reading stops at `maxBytes` (413), so an oversized body is never
 * held in memory whole.
 */
export async function readJson(request: Request, maxBytes = 64 * 1024): Promise<JsonBody> {
	const body = await readBodyBytes(request, maxBytes);
	if (!body.ok) return { ok: false, status: 413, errors: { _: m.sec_body_too_large({ limit: formatLimit(maxBytes) }, { locale: requestLocale(request) }) } };
	try {
		const value = JSON.parse(new TextDecoder().decode(body.bytes));
		if (value && typeof value === 'object' && !Array.isArray(value)) return { ok: true, data: value };
	} catch {
		/* fall through */
	}
	return { ok: false, status: 400, errors: { _: m.v_bad_json() } };
}

/**
 * A checkbox: browsers send "on" when ticked and nothing at all when not, so a missing key is
 * false (a union with z.undefined() is not enough: zod 4 still requires the key).
 */
export const checkbox = z
	.enum(['on', 'true', ''])
	.optional()
	.transform((v) => v === 'on' || v === 'true');

export { z };
