// Property-based tests of every zod schema at the edge (src/lib/server/*/schemas.ts, the
// meeting schedule's, the meeting room's Socket.IO events) and of the HTTP helpers around
// them: for any JSON, any form-shaped input, any request body, parsing never throws, a
// refusal carries a message in the user's language for every field, and the helper answers
// 400 with it. Prints how many cases ran.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import { parse, readJson, type FieldErrors } from './validation';
import { invalid } from './http/documents';
import { setTestLocale } from '../../../tests/helpers/setup';
import * as applications from './applications/schemas';
import * as auth from './auth/schemas';
import * as calls from './calls/schemas';
import * as documents from './documents/schemas';
import * as experts from './experts/schemas';
import * as org from './org/schemas';
import * as schedule from './meetings/schedule/schemas';
import { clientEvents } from '$lib/meetings/protocol';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

const isSchema = (v: unknown): v is z.ZodType => v instanceof z.ZodType;
const schemas: [string, z.ZodType][] = [
	...Object.entries({ applications, auth, calls, documents, experts, org, schedule }).flatMap(([mod, exports]) =>
		Object.entries(exports)
			.filter(([, v]) => isSchema(v))
			.map(([name, v]) => [`${mod}.${name}`, v as z.ZodType] as [string, z.ZodType])
	),
	...Object.entries(clientEvents).map(([name, v]) => [`socket ${name}`, v as z.ZodType] as [string, z.ZodType])
];

/** The keys an object schema (behind refinements, pipes and intersections) knows. */
function keysOf(schema: unknown, depth = 0): string[] {
	if (depth > 6 || !schema || typeof schema !== 'object') return [];
	const s = schema as { shape?: Record<string, unknown>; _zod?: { def?: Record<string, unknown> } };
	if (s.shape && typeof s.shape === 'object') return Object.keys(s.shape);
	const def = s._zod?.def ?? {};
	return ['left', 'right', 'in', 'out', 'innerType', 'schema'].flatMap((k) => keysOf(def[k], depth + 1));
}

const CJK = /[\u3400-\u9fff]/;
const counts: Record<string, number> = {};
afterEach(() => setTestLocale('zh-CN'));
afterAll(() => {
	const total = Object.values(counts).reduce((a, b) => a + b, 0);
	console.log(`[fuzz] zod schemas at the edge: ${schemas.length} schemas, ${total} cases`);
});

const formValue = fc.oneof(
	fc.string({ maxLength: 40 }),
	fc.constantFrom('', 'on', 'true', 'false', '0', '-1', '1e309', 'NaN', '00000000-0000-4000-8000-000000000000', '2026-13-40T25:61', '[]', '{}', '[{"a":1}]', 'null'),
	fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
	fc.json({ maxDepth: 3 })
);
const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.anything({ maxDepth: 3 }), formValue);

async function expectRefusal(errors: FieldErrors, locale: 'zh-CN' | 'en'): Promise<void> {
	const keys = Object.keys(errors);
	expect(keys.length).toBeGreaterThan(0);
	for (const message of Object.values(errors)) {
		expect(typeof message).toBe('string');
		expect(message.length).toBeGreaterThan(0);
		// In the user's language: Chinese for zh-CN, no Chinese for English.
		expect(CJK.test(message)).toBe(locale === 'zh-CN');
	}
	const res = invalid(errors);
	expect(res.status).toBe(400);
	const body = (await res.json()) as { message: string; errors: FieldErrors };
	expect(body.message.length).toBeGreaterThan(0);
	expect(body.errors).toEqual(errors);
}

describe('every zod schema at the edge', () => {
	it('finds the schemas', () => {
		expect(schemas.length).toBeGreaterThan(25);
	});

	for (const [name, schema] of schemas) {
		const keys = keysOf(schema);
		// Objects with the schema's own keys get past the first type check, to the fields' rules.
		const shaped = keys.length ? fc.dictionary(fc.constantFrom(...keys), anyValue, { maxKeys: keys.length }) : anyValue;
		const input = fc.oneof(anyValue, shaped, shaped);
		for (const locale of ['zh-CN', 'en'] as const) {
			it(`${name} (${locale}): never throws; a refusal is a localized 400`, async () => {
				setTestLocale(locale);
				let n = 0;
				await fc.assert(
					fc.asyncProperty(input, async (value) => {
						n++;
						let result: ReturnType<typeof parse> | undefined;
						expect(() => (result = parse(schema, value))).not.toThrow();
						if (result && !result.ok) await expectRefusal(result.errors, locale);
					}),
					{ numRuns: RUNS }
				);
				counts[`${name} ${locale}`] = n;
			});
		}
	}
});

describe('reading a JSON body', () => {
	it('any body: an object, or a localized refusal; never a throw', async () => {
		let n = 0;
		const body = fc.oneof(fc.string({ maxLength: 200 }), fc.json({ maxDepth: 4 }), fc.constantFrom('', 'null', '[]', '1', '"x"', '{', '{"a":'), fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('latin1')));
		for (const locale of ['zh-CN', 'en'] as const) {
			setTestLocale(locale);
			await fc.assert(
				fc.asyncProperty(body, async (text) => {
					n++;
					const result = await readJson(new Request('http://localhost/', { method: 'POST', body: text }));
					if (result.ok) expect(typeof result.data).toBe('object');
					else await expectRefusal(result.errors, locale);
				}),
				{ numRuns: RUNS }
			);
		}
		counts.readJson = n;
	});
});
