// Presence and caret colours: distinct, readable on white, stable per person.
const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#c026d3', '#ca8a04', '#4f46e5', '#059669', '#e11d48', '#0d9488'];

export function colorFor(seed: string): string {
	let h = 0;
	for (const ch of seed) h = (h * 31 + ch.codePointAt(0)!) >>> 0;
	return PALETTE[h % PALETTE.length];
}

export { PALETTE };
