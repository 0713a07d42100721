import type { DayNumber } from "../rules/days.ts";

/** How far load balancing may move an email from its ideal date when nothing nearer has room. */
export const MAX_MOVE_DAYS = 366;

/** Inclusive range of days. */
export interface DayRange {
  lo: DayNumber;
  hi: DayNumber;
}

/**
 * Returns the days an email may be sent on without leaving its catch-up spread: never before
 * today, never after the event for birthday, effective-date and AEP emails, and at most `spread`
 * days from its ideal date. A late email's ideal date counts as today, so that a catch-up date
 * chosen yesterday is still in range today. Exclusion windows are checked separately.
 */
export function strictRange(
  email: { idealDay: DayNumber; eventDay: DayNumber; hasEventLimit: boolean },
  today: DayNumber,
  spread: number,
): DayRange {
  return rangeAround(email, today, spread);
}

/** Returns the wider range used when no day of the strict range has room. */
export function extendedRange(
  email: { idealDay: DayNumber; eventDay: DayNumber; hasEventLimit: boolean },
  today: DayNumber,
): DayRange {
  return rangeAround(email, today, MAX_MOVE_DAYS);
}

function rangeAround(
  email: { idealDay: DayNumber; eventDay: DayNumber; hasEventLimit: boolean },
  today: DayNumber,
  distance: number,
): DayRange {
  const base = Math.max(email.idealDay, today);
  const lo = Math.max(today, base - distance);
  const hi = email.hasEventLimit ? Math.min(email.eventDay, base + distance) : base + distance;
  return { lo, hi };
}
