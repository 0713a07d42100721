import { POST_WINDOW_DELAY_DAYS, PRIORITIES, type SkipReason } from "../config/constants.ts";
import type { AgencyConfig } from "../config/agency_config.ts";
import { type DayNumber, nextAnniversary, ymdFromDay } from "../rules/days.ts";
import { exclusionRuleFor } from "../rules/exclusion_rules.ts";
import {
  type ContactWindowRule,
  type ExclusionWindow,
  windowContaining,
} from "../rules/windows.ts";
import { extendedRange, strictRange } from "./allowed_range.ts";
import type { Contact } from "./contact.ts";
import { stableHash } from "./hash.ts";

/** Kinds of email this planner creates. */
export type PlannedKind = "birthday" | "effective_date" | "aep" | "post_window";

/** Numeric code of each kind, used in hashes and compact storage. */
export const KIND_CODES: Readonly<Record<PlannedKind, number>> = {
  birthday: 0,
  effective_date: 1,
  aep: 2,
  post_window: 3,
};
export const KINDS_BY_CODE: readonly PlannedKind[] = [
  "birthday",
  "effective_date",
  "aep",
  "post_window",
];

/** One email of one contact's plan, before load balancing and the frequency limit. */
export interface PlannedEmail {
  readonly kind: PlannedKind;
  /** The event the email announces: the anniversary, AEP date, or end of the window. */
  readonly eventDay: DayNumber;
  /** The date the rules ask for, before catch-up and balancing. */
  readonly idealDay: DayNumber;
  readonly sendDay: DayNumber;
  readonly status: "pre-scheduled" | "skipped";
  readonly skipReason: SkipReason | undefined;
  /** For skipped emails and post-window emails: the window that skipped them. */
  readonly windowStart: DayNumber | undefined;
  readonly windowEnd: DayNumber | undefined;
  /** The ideal date had passed, so the email was spread over the catch-up range. */
  readonly late: boolean;
  /** The date is an earlier run's, kept because it is still valid. */
  readonly kept: boolean;
  /**
   * The kept date is further than the catch-up spread from the ideal date, which balancing allows
   * only while no day within the spread has room: balancing checks that again.
   */
  readonly keptOutsideSpread: boolean;
  readonly priority: number;
}

/** Reason a contact got fewer emails than a complete contact would. */
export type ContactProblem =
  | "invalid_email"
  | "unknown_state"
  | "state_zip_mismatch"
  | "invalid_birth_date"
  | "invalid_effective_date"
  | "window_anchor_missing"
  | "failed_underwriting";

/** The planner's decision for one contact. */
export interface ContactPlan {
  readonly emails: PlannedEmail[];
  readonly windowRule: ContactWindowRule | undefined;
  readonly problems: ContactProblem[];
}

/** The part of the configuration the per-contact planner uses. */
export type PlanSettings = Pick<
  AgencyConfig,
  | "birthdayDaysBefore"
  | "effectiveDateDaysBefore"
  | "effectiveDateFirstEmailMonths"
  | "aepMonth"
  | "aepDay"
  | "enablePostWindowEmails"
  | "excludeFailedUnderwritingGlobal"
  | "catchUpSpreadDays"
  | "preExclusionBufferDays"
  | "stateBufferDays"
>;

/**
 * Plans one contact's birthday, effective-date, AEP and post-window emails for `today`. Emails
 * whose date falls in an exclusion window are returned as skipped, followed by one post-window
 * email per window. The frequency limit and load balancing come later, over the whole plan.
 */
export function planContact(
  contact: Contact,
  settings: PlanSettings,
  options: {
    today: DayNumber;
    existingDay?: ExistingDayLookup;
    /**
     * Windows that skipped emails of earlier runs whose event has passed: this plan no longer has
     * those emails, but the post-window email of a window that has not ended is still due.
     */
    earlierWindows?: ReadonlyArray<{ start: DayNumber; end: DayNumber; reason: string }>;
  },
): ContactPlan {
  const { today, existingDay, earlierWindows = [] } = options;
  const problems = contactProblems(contact);
  if (!contact.emailValid || contact.state === undefined) {
    return { emails: [], windowRule: undefined, problems };
  }

  const windowRule = contactWindowRule(contact, settings);
  const rule = exclusionRuleFor(contact.state);
  if (rule !== undefined && rule.anchor !== "year_round" && windowRule === undefined) {
    problems.push("window_anchor_missing");
  }
  const skipUnderwriting = settings.excludeFailedUnderwritingGlobal && contact.failedUnderwriting;
  if (skipUnderwriting) problems.push("failed_underwriting");

  const emails: PlannedEmail[] = [];
  const add = (kind: PlannedKind, eventDay: DayNumber, idealDay: DayNumber) => {
    const existing = existingDay?.(kind, eventDay);
    emails.push(
      placeEmail(contact, { kind, eventDay, idealDay, today, settings, windowRule, existing }),
    );
  };

  if (contact.birthDate !== undefined && !skipUnderwriting) {
    const { month, day } = ymdFromDay(contact.birthDate);
    const event = nextAnniversary(month, day, today);
    add("birthday", event, event - settings.birthdayDaysBefore);
  }
  if (contact.effectiveDate !== undefined && !skipUnderwriting) {
    const { month, day } = ymdFromDay(contact.effectiveDate);
    const event = nextAnniversary(month, day, today);
    const ideal = event - settings.effectiveDateDaysBefore;
    if (monthsBetween(contact.effectiveDate, ideal) >= settings.effectiveDateFirstEmailMonths) {
      add("effective_date", event, ideal);
    }
  }
  const aep = nextAnniversary(settings.aepMonth, settings.aepDay, today);
  add("aep", aep, aep);

  if (settings.enablePostWindowEmails) {
    // One post-window email per window, the day after it ends; it announces the window's end.
    const windows = skippingWindows(emails, earlierWindows);
    for (const window of windows.filter((window) => window.end >= today - POST_WINDOW_DELAY_DAYS)) {
      const sendDay = window.end + POST_WINDOW_DELAY_DAYS;
      const existing = existingDay?.("post_window", window.end);
      const email = placeEmail(contact, {
        kind: "post_window",
        eventDay: window.end,
        idealDay: sendDay,
        today,
        settings,
        windowRule,
        existing,
      });
      emails.push({ ...email, windowStart: window.start, windowEnd: window.end });
    }
  }
  return { emails, windowRule, problems };
}

/**
 * The date and status of the row an earlier run wrote for the same contact, kind and event, so a
 * rerun can keep its date. Undefined when there is no such row.
 */
export type ExistingDayLookup = (
  kind: PlannedKind,
  eventDay: DayNumber,
) => { day: DayNumber; skippedByWindow: boolean } | undefined;

/** Options of `placeEmail`. */
interface PlaceOptions {
  kind: PlannedKind;
  eventDay: DayNumber;
  idealDay: DayNumber;
  today: DayNumber;
  settings: PlanSettings;
  windowRule: ContactWindowRule | undefined;
  existing: { day: DayNumber; skippedByWindow: boolean } | undefined;
}

/**
 * Chooses an email's send date and skips it when that date is excluded. An earlier run's date is
 * kept while it is still valid: inside the email's allowed range, and still excluded exactly when
 * the earlier row was skipped for a window. Otherwise late emails get a catch-up date.
 */
function placeEmail(contact: Contact, options: PlaceOptions): PlannedEmail {
  const { kind, eventDay, idealDay, today, settings, windowRule, existing } = options;
  const late = idealDay < today;
  const rule = contact.state === undefined ? undefined : exclusionRuleFor(contact.state);
  const yearRound = rule?.anchor === "year_round";

  if (existing !== undefined) {
    const shape = { idealDay, eventDay, hasEventLimit: kind !== "post_window" };
    const strict = strictRange(shape, today, settings.catchUpSpreadDays);
    const insideSpread = existing.day >= strict.lo && existing.day <= strict.hi;
    // Skipped rows never move during balancing, so only a pending row may keep a wider date.
    const range = insideSpread || existing.skippedByWindow ? strict : extendedRange(shape, today);
    if (existing.day >= range.lo && existing.day <= range.hi) {
      const window = yearRound || windowRule === undefined
        ? undefined
        : windowContaining(windowRule, existing.day);
      const excluded = yearRound || window !== undefined;
      if (excluded === existing.skippedByWindow) {
        return buildEmail({
          kind,
          eventDay,
          idealDay,
          sendDay: existing.day,
          late,
          yearRound,
          window,
          kept: true,
          keptOutsideSpread: !insideSpread,
        });
      }
    }
  }

  const sendDay = late
    ? catchUpDay({ contactId: contact.id, kind, eventDay, today, settings })
    : idealDay;
  const window = yearRound || windowRule === undefined
    ? undefined
    : windowContaining(windowRule, sendDay);
  return buildEmail({
    kind,
    eventDay,
    idealDay,
    sendDay,
    late,
    yearRound,
    window,
    kept: false,
    keptOutsideSpread: false,
  });
}

function buildEmail(parts: {
  kind: PlannedKind;
  eventDay: DayNumber;
  idealDay: DayNumber;
  sendDay: DayNumber;
  late: boolean;
  yearRound: boolean;
  window: ExclusionWindow | undefined;
  kept: boolean;
  keptOutsideSpread: boolean;
}): PlannedEmail {
  const { kind, eventDay, idealDay, sendDay, late, yearRound, window, kept, keptOutsideSpread } =
    parts;
  const skipped = yearRound || window !== undefined;
  return {
    kind,
    eventDay,
    idealDay,
    sendDay,
    status: skipped ? "skipped" : "pre-scheduled",
    skipReason: yearRound ? "year_round" : window?.reason,
    windowStart: window?.start,
    windowEnd: window?.end,
    late,
    kept,
    keptOutsideSpread,
    priority: PRIORITIES[kind],
  };
}

/**
 * Spreads a late email over the catch-up range: today + (h mod k), where
 * k = min(catch-up spread, days until the event + 1) and h is a stable hash of the email.
 */
export function catchUpDay(options: {
  contactId: number;
  kind: PlannedKind;
  eventDay: DayNumber;
  today: DayNumber;
  settings: Pick<PlanSettings, "catchUpSpreadDays">;
}): DayNumber {
  const { contactId, kind, eventDay, today, settings } = options;
  const range = Math.min(settings.catchUpSpreadDays, eventDay - today + 1);
  return today + stableHash(contactId, KIND_CODES[kind], eventDay) % range;
}

/** Returns the distinct windows that skipped an email, earliest first. */
function skippingWindows(
  emails: readonly PlannedEmail[],
  earlierWindows: ReadonlyArray<{ start: DayNumber; end: DayNumber; reason: string }>,
): ExclusionWindow[] {
  const windows = new Map<number, ExclusionWindow>();
  for (const { start, end, reason } of earlierWindows) {
    windows.set(end, { start, end, anchor: end, reason: reason as ExclusionWindow["reason"] });
  }
  for (const email of emails) {
    const { windowStart, windowEnd, skipReason } = email;
    if (windowStart === undefined || windowEnd === undefined || !Number.isFinite(windowEnd)) {
      continue;
    }
    if (skipReason !== "birthday_window" && skipReason !== "effective_date_window") continue;
    windows.set(windowEnd, {
      start: windowStart,
      end: windowEnd,
      anchor: windowEnd,
      reason: skipReason,
    });
  }
  return [...windows.values()].sort((a, b) => a.end - b.end);
}

/**
 * Returns the contact's exclusion window rule, or undefined when its state has none, the rule is
 * year-round, or the contact lacks the date the window is anchored on.
 */
export function contactWindowRule(
  contact: Contact,
  settings: Pick<PlanSettings, "preExclusionBufferDays" | "stateBufferDays">,
): ContactWindowRule | undefined {
  if (contact.state === undefined) return undefined;
  const rule = exclusionRuleFor(contact.state);
  if (rule === undefined || rule.anchor === "year_round") return undefined;

  const anchorDate = rule.anchor === "effective_date" ? contact.effectiveDate : contact.birthDate;
  if (anchorDate === undefined) return undefined;
  const { month, day } = ymdFromDay(anchorDate);
  return {
    rule,
    anchorMonth: month,
    anchorDay: rule.anchor === "birth_month_start" ? 1 : day,
    bufferDays: settings.stateBufferDays[contact.state] ?? settings.preExclusionBufferDays,
  };
}

/** Months from `from` to `to` counting only years and months: 12·Δyear + Δmonth. */
export function monthsBetween(from: DayNumber, to: DayNumber): number {
  const a = ymdFromDay(from);
  const b = ymdFromDay(to);
  return 12 * (b.year - a.year) + (b.month - a.month);
}

function contactProblems(contact: Contact): ContactProblem[] {
  if (!contact.emailValid) return ["invalid_email"];
  const problems: ContactProblem[] = [];
  if (contact.state === undefined) problems.push("unknown_state");
  if (contact.stateZipMismatch) problems.push("state_zip_mismatch");
  if (contact.birthDateInvalid) problems.push("invalid_birth_date");
  if (contact.effectiveDateInvalid) problems.push("invalid_effective_date");
  return problems;
}
