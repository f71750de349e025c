// Working days on the Chinese calendar: Monday to Friday, except the public holidays, plus the
// weekend days worked in their place (调休). The exceptions come from `calendar_days`, which
// admins edit (the State Council publishes each year's arrangement late in the year before).
// A period is counted in Beijing dates: the day of publication is not counted (期间开始的当日
// 不计入), and the period ends at midnight after its last day.
import { and, asc, gte, lte } from 'drizzle-orm';
import { calendarDays } from '$db/schema';
import type { DbOrTx } from '../db';

export type DayKind = 'holiday' | 'workday';
/** Exceptions by ISO date (YYYY-MM-DD). */
export type Exceptions = ReadonlyMap<string, DayKind>;

const DAY = 86_400_000;
const BEIJING = 8 * 3_600_000;

/** The Beijing calendar date of an instant, as YYYY-MM-DD. */
export function beijingDate(at: Date): string {
	return new Date(at.getTime() + BEIJING).toISOString().slice(0, 10);
}

/** Midnight (Beijing) at the start of a date, as an instant. */
export function beijingMidnight(isoDate: string): Date {
	return new Date(Date.parse(`${isoDate}T00:00:00Z`) - BEIJING);
}

function addDays(isoDate: string, n: number): string {
	return new Date(Date.parse(`${isoDate}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
}

export function isWorkingDay(isoDate: string, exceptions: Exceptions): boolean {
	const kind = exceptions.get(isoDate);
	if (kind) return kind === 'workday';
	const weekday = new Date(`${isoDate}T00:00:00Z`).getUTCDay();
	return weekday !== 0 && weekday !== 6;
}

/**
 * The end of a period that starts at `start`: the first instant after its last day. `length`
 * working days (or calendar days) are counted from the day after the start's Beijing date.
 */
export function periodEnd(start: Date, length: number, unit: 'workingDays' | 'days', exceptions: Exceptions): Date {
	let day = beijingDate(start);
	if (unit === 'days') return beijingMidnight(addDays(day, length + 1));
	let counted = 0;
	// Bounded: no calendar has a year without working days; a broken one must not spin forever.
	for (let guard = 0; counted < length && guard < 3660; guard++) {
		day = addDays(day, 1);
		if (isWorkingDay(day, exceptions)) counted++;
	}
	return beijingMidnight(addDays(day, 1));
}

/** The calendar's exceptions between two dates (a period never spans more than a few months). */
export async function loadExceptions(db: DbOrTx, from: Date, days = 400): Promise<Map<string, DayKind>> {
	const first = beijingDate(from);
	const rows = await db
		.select({ day: calendarDays.day, kind: calendarDays.kind })
		.from(calendarDays)
		.where(and(gte(calendarDays.day, first), lte(calendarDays.day, addDays(first, days))))
		.orderBy(asc(calendarDays.day));
	return new Map(rows.map((r) => [String(r.day), r.kind]));
}
