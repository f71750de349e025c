// The random draw of experts (随机抽取), reproducible by anyone: the seed and the eligible pool
// are recorded, and this function, given them, always draws the same experts. The generator is
// sfc32 (Chris Doty-Humphrey's Small Fast Counter, from PractRand) seeded with the SHA-256 of
// "<seed>|<application number>"; the pool is shuffled with Fisher–Yates and the first ones taken.
// Pure and dependency-light, so it runs on the server and in any browser.
import { sha256 } from '@oslojs/crypto/sha2';

/** sfc32 over four 32-bit words; returns floats in [0, 1). */
export function sfc32(a: number, b: number, c: number, d: number): () => number {
	return () => {
		a >>>= 0;
		b >>>= 0;
		c >>>= 0;
		d >>>= 0;
		const t = (((a + b) | 0) + d) | 0;
		d = (d + 1) | 0;
		a = b ^ (b >>> 9);
		b = (c + (c << 3)) | 0;
		c = (c << 21) | (c >>> 11);
		c = (c + t) | 0;
		return (t >>> 0) / 4294967296;
	};
}

/** A generator for one application's draw, from the run's seed and the application's number. */
export function drawRandom(seed: string, label: string): () => number {
	const digest = sha256(new TextEncoder().encode(`${seed}|${label}`));
	const view = new DataView(digest.buffer, digest.byteOffset, digest.byteLength);
	const next = sfc32(view.getUint32(0), view.getUint32(4), view.getUint32(8), view.getUint32(12));
	// Discard the first outputs, as sfc32's author recommends, so close seeds diverge.
	for (let i = 0; i < 12; i++) next();
	return next;
}

/** Fisher–Yates with the given generator; the input is not changed. */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
	const out = [...items];
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}

export interface DrawInput {
	seed: string;
	/** The application's number, e.g. IF2026-0007. */
	label: string;
	/** Eligible technical and finance experts, in the order recorded (sorted by id). */
	technicalPool: readonly string[];
	financePool: readonly string[];
	technicalNeeded: number;
	financeNeeded: number;
}

/** The experts drawn: finance experts first, then technical ones, each from its own shuffle. */
export function drawExperts(input: DrawInput): string[] {
	const random = drawRandom(input.seed, input.label);
	const finance = shuffle(input.financePool, random).slice(0, input.financeNeeded);
	const technical = shuffle(input.technicalPool, random).slice(0, input.technicalNeeded);
	return [...finance, ...technical];
}

/** A fresh seed: 128 random bits in hex. */
export function newSeed(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
