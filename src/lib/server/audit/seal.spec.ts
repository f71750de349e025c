import { describe, expect, it } from 'vitest';
import { canonicalJson, computeSeal, linkOf, type SealedFields } from './seal';
import { anchorText, parseAnchorText } from './anchors';

const key = Buffer.alloc(32, 7);
const base: SealedFields = {
	seq: 5,
	link: 'ab'.repeat(32),
	at: '2026-12-03T08:00:00.123456Z',
	actorId: '0c5e8a8e-1b7b-4c38-9d36-3f0f5d1a2b3c',
	actorName: '赵敏',
	ip: '10.0.0.7',
	action: 'auth.login',
	entityType: 'user',
	entityId: 'x',
	details: { b: 1, a: [1, { d: null, c: '二' }] }
};

describe('audit seal', () => {
	it('does not depend on key order, and drops undefined like JSON does', () => {
		expect(canonicalJson({ b: 1, a: { y: 2, x: undefined, w: [3, undefined] } })).toBe('{"a":{"w":[3,null],"y":2},"b":1}');
		expect(computeSeal(key, base)).toBe(computeSeal(key, { ...base, details: { a: [1, { c: '二', d: null }], b: 1 } }));
	});

	it('changes with every field, the seq, the link and the key', () => {
		const seal = computeSeal(key, base);
		const variants: Partial<SealedFields>[] = [{ seq: 6 }, { link: '' }, { at: '2026-12-03T08:00:00.123457Z' }, { actorName: '某人' }, { ip: null }, { action: 'auth.logout' }, { entityId: 'y' }, { details: { b: 2, a: [1, { d: null, c: '二' }] } }];
		for (const v of variants) expect(computeSeal(key, { ...base, ...v }), JSON.stringify(v)).not.toBe(seal);
		expect(computeSeal(Buffer.alloc(32, 8), base)).not.toBe(seal);
	});

	it('links to the previous seal, or to the hash of an unsealed row', () => {
		expect(linkOf(undefined)).toBe('');
		expect(linkOf({ seal: 'aa', hash: 'bb' })).toBe('aa');
		expect(linkOf({ seal: null, hash: 'bb' })).toBe('hash:bb');
	});

	it('prints and reads the anchor on a locked record', () => {
		const text = anchorText({ seq: 42, seal: 'f'.repeat(64), hash: 'e'.repeat(64) });
		expect(text).toBe(`#42 ${'f'.repeat(64)}`);
		expect(parseAnchorText(text)).toEqual({ seq: 42, seal: 'f'.repeat(64), hash: null });
		expect(parseAnchorText(anchorText({ seq: 3, seal: null, hash: 'abc' }))).toEqual({ seq: 3, seal: null, hash: 'abc' });
		expect(parseAnchorText('#0')).toEqual({ seq: 0, seal: null, hash: null });
		expect(parseAnchorText('nonsense')).toBeNull();
	});
});
