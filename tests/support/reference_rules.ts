/**
 * A second, deliberately plain implementation of the contact rules that the invariant tests check
 * the scheduler against: state lookup, date parsing, anniversaries and exclusion windows. It uses
 * `Temporal.PlainDate` and ISO date strings. It imports nothing from `src/rules` or
 * `src/scheduling` except the ZIP-prefix table, so a bug there cannot hide itself.
 *
 * ISO `YYYY-MM-DD` strings compare in calendar order, so windows are kept as string pairs.
 */
import { stateForZip } from "../../src/rules/zip_codes.ts";

/** What a state's exclusion window is anchored on. */
export type ReferenceAnchor = "birthday" | "birth_month_start" | "effective_date" | "year_round";

/** A state's exclusion rule: days before and after each anniversary of the anchor. */
export interface ReferenceRule {
  readonly anchor: ReferenceAnchor;
  readonly daysBefore: number;
  readonly daysAfter: number;
}

/** The state exclusion rules of the product's contract, typed in again by hand. */
export const REFERENCE_RULES: Readonly<Record<string, ReferenceRule>> = {
  CA: { anchor: "birthday", daysBefore: 30, daysAfter: 60 },
  ID: { anchor: "birthday", daysBefore: 0, daysAfter: 63 },
  KY: { anchor: "birthday", daysBefore: 0, daysAfter: 60 },
  MD: { anchor: "birthday", daysBefore: 0, daysAfter: 30 },
  NV: { anchor: "birth_month_start", daysBefore: 0, daysAfter: 60 },
  OK: { anchor: "birthday", daysBefore: 0, daysAfter: 60 },
  OR: { anchor: "birthday", daysBefore: 0, daysAfter: 31 },
  VA: { anchor: "birthday", daysBefore: 0, daysAfter: 30 },
  MO: { anchor: "effective_date", daysBefore: 30, daysAfter: 33 },
  CT: { anchor: "year_round", daysBefore: 0, daysAfter: 0 },
  MA: { anchor: "year_round", daysBefore: 0, daysAfter: 0 },
  NY: { anchor: "year_round", daysBefore: 0, daysAfter: 0 },
  WA: { anchor: "year_round", daysBefore: 0, daysAfter: 0 },
};

/**
 * USPS codes of the 50 states, the District of Columbia, the five inhabited territories and the
 * three military mail regions (AA, AE, AP), which the ZIP-prefix table also returns.
 */
const US_STATE_CODES: ReadonlySet<string> = new Set(
  ("AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH " +
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR VI GU AS MP AA AE AP")
    .split(" "),
);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const EMAIL_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Parses `YYYY-MM-DD` text; returns undefined for anything that is not a real calendar date. */
export function parseCalendarDate(text: unknown): Temporal.PlainDate | undefined {
  if (typeof text !== "string") return undefined;
  const trimmed = text.trim();
  if (!ISO_DATE.test(trimmed)) return undefined;
  try {
    return Temporal.PlainDate.from(trimmed, { overflow: "reject" });
  } catch {
    return undefined;
  }
}

/** Returns true when the value looks like `local@domain.tld`. */
export function looksLikeEmail(value: unknown): boolean {
  return typeof value === "string" && EMAIL_ADDRESS.test(value.trim());
}

/**
 * Returns the contact's state: the state column when it is a US code once trimmed and
 * upper-cased, else the state of the ZIP code, else undefined.
 */
export function resolveState(stateColumn: unknown, zipCode: unknown): string | undefined {
  if (typeof stateColumn === "string") {
    const code = stateColumn.trim().toUpperCase();
    if (US_STATE_CODES.has(code)) return code;
  }
  return stateForZip(zipCode);
}

/** Returns month/day in `year`, with February 29 moved to February 28 in years without it. */
export function anniversaryInYear(year: number, month: number, day: number): Temporal.PlainDate {
  const leap = Temporal.PlainDate.from({ year, month: 1, day: 1 }).inLeapYear;
  const usedDay = month === 2 && day === 29 && !leap ? 28 : day;
  return Temporal.PlainDate.from({ year, month, day: usedDay }, { overflow: "reject" });
}

/** Returns the first anniversary of `date`'s month and day on or after `from`. */
export function nextAnniversary(
  date: { month: number; day: number },
  from: Temporal.PlainDate,
): Temporal.PlainDate {
  const thisYear = anniversaryInYear(from.year, date.month, date.day);
  if (Temporal.PlainDate.compare(thisYear, from) >= 0) return thisYear;
  return anniversaryInYear(from.year + 1, date.month, date.day);
}

/** Months from `from` to `to` counting only years and months: 12·Δyear + Δmonth. */
export function monthsBetween(from: Temporal.PlainDate, to: Temporal.PlainDate): number {
  return 12 * (to.year - from.year) + (to.month - from.month);
}

/** Adds `days` (may be negative) to an ISO date and returns the ISO date. */
export function addDays(iso: string, days: number): string {
  return Temporal.PlainDate.from(iso).add({ days }).toString();
}

/** Returns the number of days from ISO date `from` to ISO date `to`. */
export function daysBetween(from: string, to: string): number {
  return Temporal.PlainDate.from(from).until(Temporal.PlainDate.from(to), { largestUnit: "days" })
    .days;
}

/** An exclusion window as ISO dates, both ends inclusive. */
export interface ReferenceWindow {
  readonly start: string;
  readonly end: string;
}

/**
 * One contact's exclusion windows: `[A − before − buffer, A + after]` around every anniversary A of
 * the anchor (the 1st of the birth month for NV). Windows are computed once per year and cached.
 */
export class ContactWindows {
  readonly rule: ReferenceRule;
  readonly anchorMonth: number;
  readonly anchorDay: number;
  readonly bufferDays: number;
  readonly #byYear = new Map<number, ReferenceWindow>();

  constructor(rule: ReferenceRule, anchor: Temporal.PlainDate, bufferDays: number) {
    this.rule = rule;
    this.anchorMonth = anchor.month;
    this.anchorDay = rule.anchor === "birth_month_start" ? 1 : anchor.day;
    this.bufferDays = bufferDays;
  }

  /** Returns the window around the anniversary in `year`. */
  windowOfYear(year: number): ReferenceWindow {
    let window = this.#byYear.get(year);
    if (window === undefined) {
      const anchor = anniversaryInYear(year, this.anchorMonth, this.anchorDay);
      window = {
        start: anchor.subtract({ days: this.rule.daysBefore + this.bufferDays }).toString(),
        end: anchor.add({ days: this.rule.daysAfter }).toString(),
      };
      this.#byYear.set(year, window);
    }
    return window;
  }

  /**
   * Returns the windows that contain `iso`, from the anniversaries of the year before to two years
   * after (a buffer near a year long makes next year's window start in this year).
   */
  windowsContaining(iso: string): ReferenceWindow[] {
    const year = Number(iso.slice(0, 4));
    const found: ReferenceWindow[] = [];
    for (let anchorYear = year - 1; anchorYear <= year + 2; anchorYear++) {
      const window = this.windowOfYear(anchorYear);
      if (window.start <= iso && iso <= window.end) found.push(window);
    }
    return found;
  }

  /** Returns true when `iso` lies in any window. */
  isExcluded(iso: string): boolean {
    return this.windowsContaining(iso).length > 0;
  }

  /**
   * Returns the last excluded day of the run of excluded days that contains `iso`: the end of its
   * window, extended while the next day is excluded too (windows that touch or overlap). Returns
   * undefined when `iso` is not excluded or the run has not ended five years later.
   */
  excludedRunEnd(iso: string): string | undefined {
    let containing = this.windowsContaining(iso);
    if (containing.length === 0) return undefined;
    const limit = addDays(iso, 5 * 366);
    for (;;) {
      const end = containing.map((window) => window.end).sort().at(-1)!;
      if (end > limit) return undefined;
      containing = this.windowsContaining(addDays(end, 1));
      if (containing.length === 0) return end;
    }
  }
}

/** The reason a skipped row must carry when its date is excluded by a rule with this anchor. */
export function skipReasonOf(anchor: ReferenceAnchor): string {
  if (anchor === "year_round") return "year_round";
  return anchor === "effective_date" ? "effective_date_window" : "birthday_window";
}

/** A `contacts` row as the reference reads it. */
export interface ReferenceContactRow {
  id: number;
  email: unknown;
  state: unknown;
  zip_code: unknown;
  birth_date: unknown;
  effective_date: unknown;
}

/** A contact as the reference rules see it, with its windows built on first use. */
export class ReferenceContact {
  readonly id: number;
  readonly emailValid: boolean;
  readonly state: string | undefined;
  readonly birthDate: Temporal.PlainDate | undefined;
  readonly effectiveDate: Temporal.PlainDate | undefined;
  readonly rule: ReferenceRule | undefined;
  readonly #bufferDays: number;
  #windows: ContactWindows | undefined | null = null;

  constructor(row: ReferenceContactRow, bufferDaysFor: (state: string) => number) {
    this.id = row.id;
    this.emailValid = looksLikeEmail(row.email);
    this.state = resolveState(row.state, row.zip_code);
    this.birthDate = parseCalendarDate(row.birth_date);
    this.effectiveDate = parseCalendarDate(row.effective_date);
    this.rule = this.state === undefined ? undefined : REFERENCE_RULES[this.state];
    this.#bufferDays = this.state === undefined ? 0 : bufferDaysFor(this.state);
  }

  get yearRound(): boolean {
    return this.rule?.anchor === "year_round";
  }

  /** The contact's windows, or undefined without a window rule or without its anchor date. */
  get windows(): ContactWindows | undefined {
    if (this.#windows === null) {
      const rule = this.rule;
      const anchor = rule === undefined || rule.anchor === "year_round"
        ? undefined
        : rule.anchor === "effective_date"
        ? this.effectiveDate
        : this.birthDate;
      this.#windows = rule === undefined || anchor === undefined
        ? undefined
        : new ContactWindows(rule, anchor, this.#bufferDays);
    }
    return this.#windows;
  }

  /** Returns true when no email may go out on `iso`: a year-round state or a window. */
  isExcluded(iso: string): boolean {
    if (this.yearRound) return true;
    return this.windows?.isExcluded(iso) ?? false;
  }
}
