// Times as the notices print them: Beijing time, to the minute, the same in every language
// (a notice's period is a legal fact, not a matter of the reader's time zone).
export function beijingText(at: Date): string {
	const d = new Date(at.getTime() + 8 * 3_600_000);
	return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)}`;
}
