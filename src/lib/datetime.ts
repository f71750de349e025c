// Dates in forms: <input type="datetime-local"> has no time zone, and everyone at the center
// means Beijing time (UTC+8, no daylight saving), whatever their computer says.

const OFFSET_MS = 8 * 3600 * 1000;

/** "2026-12-31T17:00" for a date, in Beijing time; '' for none. */
export function toBeijingInput(value: Date | string | null | undefined): string {
	if (!value) return '';
	const d = typeof value === 'string' ? new Date(value) : value;
	if (Number.isNaN(d.getTime())) return '';
	return new Date(d.getTime() + OFFSET_MS).toISOString().slice(0, 16);
}

/** The instant a Beijing-time "YYYY-MM-DDTHH:mm" (or a date alone, at 00:00) stands for; null if malformed. */
export function fromBeijingInput(value: string): Date | null {
	const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(value.trim());
	if (!m) return null;
	const [, y, mo, d, h = '00', mi = '00', s = '00'] = m;
	const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) - OFFSET_MS;
	const date = new Date(ms);
	// Refuse 2026-02-30 and the like rather than rolling over into March.
	if (new Date(ms + OFFSET_MS).getUTCDate() !== +d) return null;
	return date;
}
