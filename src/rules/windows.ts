import { dayInYear, type DayNumber, yearOfDay } from "./days.ts";
import type { ExclusionRule } from "./exclusion_rules.ts";

/** Skip reasons that an exclusion window gives. */
export type WindowReason = "year_round" | "birthday_window" | "effective_date_window";

/** A contact's exclusion window rule, resolved: the state's rule, its anchor date and buffer. */
export interface ContactWindowRule {
  readonly rule: ExclusionRule;
  /** Month (1–12) and day of the anchor: the birth date, the effective date, or the 1st of the birth month. */
  readonly anchorMonth: number;
  readonly anchorDay: number;
  /** Pre-window buffer in days: the state buffer, else the agency's. */
  readonly bufferDays: number;
}

/** An exclusion window: both ends inclusive. */
export interface ExclusionWindow {
  readonly start: DayNumber;
  readonly end: DayNumber;
  /** The anniversary the window is anchored on. */
  readonly anchor: DayNumber;
  readonly reason: WindowReason;
}

/** Returns the skip reason that a window of `rule` gives. */
export function windowReason(rule: ExclusionRule): WindowReason {
  if (rule.anchor === "year_round") return "year_round";
  return rule.anchor === "effective_date" ? "effective_date_window" : "birthday_window";
}

/**
 * Returns the window anchored on the anniversary in `year`: `[A − before − buffer, A + after]`.
 * A February 29 anchor uses February 28 in years without one.
 */
export function windowOfYear(contactRule: ContactWindowRule, year: number): ExclusionWindow {
  const { rule, anchorMonth, anchorDay, bufferDays } = contactRule;
  const anchor = dayInYear(year, anchorMonth, anchorDay);
  return {
    start: anchor - rule.daysBefore - bufferDays,
    end: anchor + rule.daysAfter,
    anchor,
    reason: windowReason(rule),
  };
}

/**
 * Returns the window that contains `day`, or undefined when `day` is outside every window.
 * Windows that overlap or touch (possible with buffers of about 300 days) are merged into one,
 * so the day after the returned end is the first day the contact can be emailed again. When the
 * windows cover every day, the window returned runs from -Infinity to Infinity.
 * Year-round rules are not windows: check `rule.anchor === "year_round"` before calling.
 */
export function windowContaining(
  contactRule: ContactWindowRule,
  day: DayNumber,
): ExclusionWindow | undefined {
  if (windowLength(contactRule) >= 366) {
    // Each window reaches the next one, so the windows cover every day and never end.
    return {
      start: -Infinity,
      end: Infinity,
      anchor: day,
      reason: windowReason(contactRule.rule),
    };
  }

  // The first anniversary whose window ends on or after `day` has the earliest start of all such
  // windows, because every window has the same length.
  let year = yearOfDay(day - contactRule.rule.daysAfter);
  let window = windowOfYear(contactRule, year);
  if (window.end < day) window = windowOfYear(contactRule, ++year);
  if (day < window.start) return undefined;

  for (;;) {
    const next = windowOfYear(contactRule, ++year);
    if (next.start > window.end + 1) return window;
    window = { ...window, end: next.end };
  }
}

/** Returns the number of days in one window, both ends counted. */
export function windowLength(contactRule: ContactWindowRule): number {
  return contactRule.rule.daysBefore + contactRule.bufferDays + contactRule.rule.daysAfter + 1;
}

/** Returns true when `day` lies in a window of `contactRule`, year-round rules included. */
export function isExcluded(contactRule: ContactWindowRule, day: DayNumber): boolean {
  if (contactRule.rule.anchor === "year_round") return true;
  return windowContaining(contactRule, day) !== undefined;
}
