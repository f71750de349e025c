// Binary columns (bytea) as Uint8Array on both drivers: PGlite hands back a Uint8Array,
// postgres.js a Buffer (a Uint8Array too), and a driver without a bytea parser a '\x…' hex
// string; all three come out as a plain Uint8Array view without copying where possible.
import { customType } from 'drizzle-orm/pg-core';

function fromHex(text: string): Uint8Array {
	const hex = text.startsWith('\\x') ? text.slice(2) : text;
	const out = new Uint8Array(hex.length / 2);
	for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.substr(i * 2, 2), 16);
	return out;
}

export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array | string }>({
	dataType: () => 'bytea',
	toDriver: (value) => (typeof Buffer !== 'undefined' ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value),
	fromDriver: (value) => (typeof value === 'string' ? fromHex(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength))
});
