// Binary columns (bytea) as Uint8Array on both drivers: PGlite hands back a Uint8Array,
// postgres.js a Buffer (a Uint8Array too), and a driver without a bytea parser a '\x…' hex
// string; all three come out as a plain Uint8Array view without copying where possible.
import { customType } from 'drizzle-orm/pg-core';

/** A bytea value from any driver as a plain Uint8Array (raw queries use this too). */
export function toBytes(value: unknown): Uint8Array {
	if (value instanceof Uint8Array) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
	if (typeof value === 'string') return new Uint8Array(Buffer.from(value.startsWith('\\x') ? value.slice(2) : value, 'hex'));
	throw new TypeError(`not a bytea value: ${typeof value}`);
}

export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array | string }>({
	dataType: () => 'bytea',
	toDriver: (value) => (typeof Buffer !== 'undefined' ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value),
	fromDriver: (value) => toBytes(value)
});
