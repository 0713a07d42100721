import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import { dayFromPlainDate, dayFromYmd, dayInYear, formatDay, ymdFromDay } from "../rules/days.ts";
import type { StateCode } from "../rules/states.ts";
import { zipPrefixesOf } from "../rules/zip_codes.ts";
import { createAppTables } from "./app_schema.ts";
import {
  AGE_WEIGHTS,
  CARRIER_WEIGHTS,
  FIRST_NAMES,
  LAST_NAMES,
  MAX_AGE,
  MIN_AGE,
  PLAN_F_CLOSED_FROM_YEAR,
  PLAN_WEIGHTS,
  STATE_WEIGHTS,
} from "./population.ts";
import { SeededRandom, WeightedChoice } from "./random.ts";

/** Largest number of contacts that one call generates. */
export const MAX_GENERATED_CONTACTS = 5_000_000;

/**
 * Kinds of deliberately bad rows, so that the scheduler's validation meets every case it must
 * handle. A contact has at most one kind.
 * - `missing_zip`: `zip_code` is NULL or empty, the state column is valid.
 * - `missing_state`: the state column is NULL or empty, so the state comes from the valid ZIP.
 * - `unnormalized_state`: the state column is lower case or padded (`" ca"`), valid once trimmed
 *   and upper-cased.
 * - `state_zip_mismatch`: a valid state column and a ZIP of another state.
 * - `unknown_state`: neither a state nor a ZIP.
 * - `invalid_birth_date`, `invalid_effective_date`: not a calendar date (`1950-02-30`,
 *   `06/15/1950`, `2021-13-01`, empty).
 * - `invalid_email`: NULL, empty, or text that is not `local@domain.tld`.
 */
export const BAD_ROW_KINDS = [
  "missing_zip",
  "missing_state",
  "unnormalized_state",
  "state_zip_mismatch",
  "unknown_state",
  "invalid_birth_date",
  "invalid_effective_date",
  "invalid_email",
] as const;
export type BadRowKind = typeof BAD_ROW_KINDS[number];

/** Share of contacts of each bad kind: about 6% of the rows are bad in total. */
const BAD_ROW_SHARES: Readonly<Record<BadRowKind, number>> = {
  missing_zip: 0.008,
  missing_state: 0.008,
  unnormalized_state: 0.008,
  state_zip_mismatch: 0.006,
  unknown_state: 0.010,
  invalid_birth_date: 0.007,
  invalid_effective_date: 0.007,
  invalid_email: 0.008,
};

/** Options of generateContacts(). */
export interface GenerateOptions {
  /** Number of contacts, 1 to MAX_GENERATED_CONTACTS. */
  contacts: number;
  /** Seed of the random stream, a safe integer; the same seed gives byte-identical rows. */
  seed?: number;
  /** The date that ages, effective dates and timestamps are relative to. */
  today: Temporal.PlainDate;
  /** Called after every 100,000 contacts and after the last one, for progress output. */
  onProgress?: (inserted: number, total: number) => void;
}

/** Counts of what generateContacts() inserted. */
export interface GenerateSummary {
  /** Contacts inserted. */
  total: number;
  /**
   * Contacts per state as a correct reader resolves it: the state column when it is a valid code
   * after trimming and upper-casing, else the ZIP's state. Contacts of unknown state are missing.
   */
  byState: Partial<Record<StateCode, number>>;
  /** Contacts of each deliberately bad kind. */
  badRows: Record<BadRowKind, number>;
  /** Contacts whose valid effective date is after today (policies not started yet). */
  futureEffectiveDates: number;
  /** Contacts with at least one `eligibility_answered` event. */
  eligibilityAnswered: number;
  /** Contacts whose latest `eligibility_answered` event reports medical conditions. */
  medicalConditions: number;
  /** Rows inserted into `contact_events`. */
  events: number;
}

const CONTACT_COLUMNS = [
  "id",
  "first_name",
  "last_name",
  "email",
  "current_carrier",
  "plan_type",
  "effective_date",
  "birth_date",
  "state",
  "zip_code",
  "phone_number",
  "status",
  "created_at",
  "updated_at",
] as const;
const EVENT_COLUMNS = ["contact_id", "event_type", "metadata", "created_at"] as const;

// A 100-row INSERT binds 1,400 values, below SQLite's default limit of 32,766 since 3.32. It took
// 2.1 s against 2.6 s for single-row INSERTs of 1,000,000 rows (Deno 2.9.6, 2-core VM).
const ROWS_PER_INSERT = 100;
const PROGRESS_INTERVAL = 100_000;

/**
 * Inserts `contacts` synthetic contacts with ids 1 to N into an empty `contacts` table, and
 * `eligibility_answered` events for about 3% of them, in one transaction. Creates the tables when
 * they are missing. The same seed and today give byte-identical rows. Throws RangeError for a count
 * out of range, a bad seed or date, or a table that already contains contacts.
 */
export function generateContacts(db: DatabaseSync, options: GenerateOptions): GenerateSummary {
  const { contacts: count, seed = 1, today, onProgress } = options;

  if (typeof count !== "number") {
    throw new TypeError(`Cannot generate contacts: count must be a number: ${typeof count}`);
  }
  if (!Number.isInteger(count) || count < 1 || count > MAX_GENERATED_CONTACTS) {
    throw new RangeError(
      `Cannot generate contacts: count must be a positive integer up to ${MAX_GENERATED_CONTACTS}: ${count}`,
    );
  }
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`Cannot generate contacts: seed must be a safe integer: ${seed}`);
  }
  if (!(today instanceof Temporal.PlainDate)) {
    throw new TypeError(`Cannot generate contacts: today must be a Temporal.PlainDate: ${today}`);
  }
  // Keeps every generated date, 96 years back and a few months ahead, at four-digit years.
  if (today.year < 1900 || today.year > 9998) {
    throw new RangeError(
      `Cannot generate contacts: today must be in the years 1900 to 9998: ${today}`,
    );
  }

  createAppTables(db);
  const existing = Number(db.prepare("SELECT count(*) AS n FROM contacts").get()?.n);
  if (existing > 0) {
    throw new RangeError(
      `Cannot generate contacts: contacts table must be empty: ${existing} rows`,
    );
  }

  const factory = new ContactFactory(new SeededRandom(seed), today);
  db.exec("BEGIN");
  try {
    insertContacts(db, factory, { count, onProgress });
    insertEvents(db, factory.events);
    db.exec("COMMIT");
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
  return factory.summarize(count);
}

function insertContacts(
  db: DatabaseSync,
  factory: ContactFactory,
  options: { count: number; onProgress: GenerateOptions["onProgress"] },
): void {
  const { count, onProgress } = options;
  insertRows(db, {
    table: "contacts",
    columns: CONTACT_COLUMNS,
    count,
    fillRow: (values, offset, index) => factory.fillContact(values, offset, index + 1),
    afterBatch: (inserted) => {
      if (inserted % PROGRESS_INTERVAL === 0 || inserted === count) onProgress?.(inserted, count);
    },
  });
}

function insertEvents(db: DatabaseSync, events: EligibilityEvents): void {
  // Sorting by time gives ids in the order the main application would have written the rows.
  const order = Array.from(events.contactIds.keys()).sort((a, b) => {
    if (events.timestamps[a] < events.timestamps[b]) return -1;
    if (events.timestamps[a] > events.timestamps[b]) return 1;
    return events.contactIds[a] - events.contactIds[b];
  });

  insertRows(db, {
    table: "contact_events",
    columns: EVENT_COLUMNS,
    count: order.length,
    fillRow: (values, offset, index) => {
      const event = order[index];
      values[offset] = events.contactIds[event];
      values[offset + 1] = "eligibility_answered";
      values[offset + 2] = events.medicalConditions[event]
        ? '{"has_medical_conditions": true}'
        : '{"has_medical_conditions": false}';
      values[offset + 3] = events.timestamps[event];
    },
  });
}

/** Instructions for insertRows(). */
interface RowInsert {
  table: string;
  columns: readonly string[];
  count: number;
  /** Writes the values of row `index` (from 0) into `values` from `offset` on. */
  fillRow: (values: SQLInputValue[], offset: number, index: number) => void;
  /** Called after each INSERT with the number of rows inserted so far. */
  afterBatch?: (inserted: number) => void;
}

/** Inserts `count` rows with multi-row INSERT statements of ROWS_PER_INSERT rows each. */
function insertRows(db: DatabaseSync, insert: RowInsert): void {
  const { table, columns, count, fillRow, afterBatch } = insert;
  const width = columns.length;
  const fullInsert = db.prepare(insertSql(table, columns, ROWS_PER_INSERT));
  const fullValues: SQLInputValue[] = new Array(ROWS_PER_INSERT * width);

  for (let first = 0; first < count; first += ROWS_PER_INSERT) {
    const rows = Math.min(ROWS_PER_INSERT, count - first);
    const values = rows === ROWS_PER_INSERT ? fullValues : new Array(rows * width);
    for (let row = 0; row < rows; row++) fillRow(values, row * width, first + row);

    if (rows === ROWS_PER_INSERT) fullInsert.run(...values);
    else db.prepare(insertSql(table, columns, rows)).run(...values);
    afterBatch?.(first + rows);
  }
}

function insertSql(table: string, columns: readonly string[], rows: number): string {
  const tuple = `(${columns.map(() => "?").join(", ")})`;
  const tuples = new Array(rows).fill(tuple).join(", ");
  return `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${tuples}`;
}

/** `eligibility_answered` events collected while contacts are generated, one array entry each. */
interface EligibilityEvents {
  contactIds: number[];
  timestamps: string[];
  medicalConditions: boolean[];
}

/** Share of contacts who answered the eligibility questions. */
const ELIGIBILITY_ANSWERED_SHARE = 0.03;
/** Share of those who answered a second time, on a later date. */
const SECOND_ANSWER_SHARE = 0.25;
/** Share of answers that report medical conditions. */
const MEDICAL_CONDITIONS_SHARE = 0.35;

/** Shares of effective dates: the rest is on the 1st of a month within the last 15 years. */
const FUTURE_EFFECTIVE_SHARE = 0.02;
const MID_MONTH_EFFECTIVE_SHARE = 0.13;
/** Share of 1st-of-month effective dates that fall in the month the contact turned 65. */
const TURNING_65_EFFECTIVE_SHARE = 0.3;
const EFFECTIVE_YEARS_BACK = 15;
const FUTURE_EFFECTIVE_MONTHS = 3;

const ZIP_PLUS_FOUR_SHARE = 0.02;
const UPDATED_AFTER_CREATION_SHARE = 0.4;
const CREATED_DAYS_BACK = 3 * 365;
const EVENT_DAYS_BACK = 2 * 365;

const TWO_DIGITS: readonly string[] = Array.from(
  { length: 100 },
  (_, value) => String(value).padStart(2, "0"),
);

/** Builds contact rows from one random stream, counting what it builds. */
class ContactFactory {
  readonly events: EligibilityEvents = { contactIds: [], timestamps: [], medicalConditions: [] };

  readonly #random: SeededRandom;
  readonly #calendar: GenerationCalendar;
  readonly #badKinds = new WeightedChoice<BadRowKind | undefined>([
    ...BAD_ROW_KINDS.map((kind) => [kind, BAD_ROW_SHARES[kind]] as const),
    [undefined, 1 - Object.values(BAD_ROW_SHARES).reduce((sum, share) => sum + share, 0)],
  ]);
  readonly #states = new WeightedChoice(STATE_WEIGHTS);
  readonly #ages = new WeightedChoice(AGE_WEIGHTS.map((weight, index) => [index, weight] as const));
  readonly #carriers = new WeightedChoice(CARRIER_WEIGHTS);
  readonly #plans = new WeightedChoice(PLAN_WEIGHTS);
  readonly #zipPrefixes: readonly string[][] = STATE_WEIGHTS.map(([state]) =>
    zipPrefixesOf(state).map((prefix) => String(prefix).padStart(3, "0"))
  );
  readonly #emailNames = {
    first: FIRST_NAMES.map(emailPart),
    last: LAST_NAMES.map(emailPart),
  };

  readonly #stateCounts = new Array<number>(STATE_WEIGHTS.length).fill(0);
  readonly #badCounts = Object.fromEntries(BAD_ROW_KINDS.map((kind) => [kind, 0])) as Record<
    BadRowKind,
    number
  >;
  #futureEffectiveDates = 0;
  #eligibilityAnswered = 0;
  #medicalConditions = 0;

  constructor(random: SeededRandom, today: Temporal.PlainDate) {
    this.#random = random;
    this.#calendar = new GenerationCalendar(today);
    this.#zipPrefixes.forEach((prefixes, index) => {
      if (prefixes.length === 0) {
        throw new RangeError(
          `Cannot generate contacts: state has no ZIP prefixes: ${STATE_WEIGHTS[index][0]}`,
        );
      }
    });
  }

  /** Writes the 14 column values of contact `id` into `values` from `offset` on. */
  fillContact(values: SQLInputValue[], offset: number, id: number): void {
    const random = this.#random;
    const badKind = this.#badKinds.pick(random);
    if (badKind !== undefined) this.#badCounts[badKind]++;

    const firstName = random.nextInt(FIRST_NAMES.length);
    const lastName = random.nextInt(LAST_NAMES.length);
    const email = `${this.#emailNames.first[firstName]}.${this.#emailNames.last[lastName]}${id}`;
    const birthDay = this.#calendar.birthDay(this.#ages.pickIndex(random), random);
    const turning65Year = ymdFromDay(birthDay).year + MIN_AGE;
    const effectiveDay = this.#effectiveDay(birthDay);
    const createdDay = this.#calendar.today - 1 - random.nextInt(CREATED_DAYS_BACK);
    const createdAt = this.#timestamp(createdDay);

    values[offset] = id;
    values[offset + 1] = FIRST_NAMES[firstName];
    values[offset + 2] = LAST_NAMES[lastName];
    values[offset + 3] = badKind === "invalid_email"
      ? this.#invalidEmail(email)
      : `${email}@example.com`;
    values[offset + 4] = this.#carriers.pick(random);
    values[offset + 5] = this.#planType(turning65Year);
    values[offset + 6] = badKind === "invalid_effective_date"
      ? this.#invalidEffectiveDate(effectiveDay)
      : this.#calendar.text(effectiveDay);
    values[offset + 7] = badKind === "invalid_birth_date"
      ? this.#invalidBirthDate(birthDay)
      : this.#calendar.text(birthDay);
    this.#fillLocation(values, offset + 8, badKind);
    // Numbers 555-0100 to 555-0199 are reserved for fiction in every area code, so none is real.
    values[offset + 10] = `${200 + random.nextInt(800)}-555-01${TWO_DIGITS[random.nextInt(100)]}`;
    values[offset + 11] = "active";
    values[offset + 12] = createdAt;
    values[offset + 13] = this.#updatedAt(createdDay, createdAt);

    if (badKind !== "invalid_effective_date" && effectiveDay > this.#calendar.today) {
      this.#futureEffectiveDates++;
    }
    if (random.nextChance(ELIGIBILITY_ANSWERED_SHARE)) this.#answerEligibility(id);
  }

  /** Returns the counts of everything built so far. */
  summarize(total: number): GenerateSummary {
    const byState: Partial<Record<StateCode, number>> = {};
    STATE_WEIGHTS.forEach(([state], index) => {
      if (this.#stateCounts[index] > 0) byState[state] = this.#stateCounts[index];
    });
    return {
      total,
      byState,
      badRows: { ...this.#badCounts },
      futureEffectiveDates: this.#futureEffectiveDates,
      eligibilityAnswered: this.#eligibilityAnswered,
      medicalConditions: this.#medicalConditions,
      events: this.events.contactIds.length,
    };
  }

  /** Returns a plan type, with Plan G in place of Plan F for those who turned 65 too late for F. */
  #planType(turning65Year: number): string {
    const plan = this.#plans.pick(this.#random);
    return plan === "Plan F" && turning65Year >= PLAN_F_CLOSED_FROM_YEAR ? "Plan G" : plan;
  }

  /** Writes the `state` and `zip_code` values at `offset` and `offset + 1`. */
  #fillLocation(values: SQLInputValue[], offset: number, badKind: BadRowKind | undefined): void {
    const random = this.#random;
    const stateIndex = this.#states.pickIndex(random);
    const state = STATE_WEIGHTS[stateIndex][0];
    const emptyText = random.nextChance(0.5) ? null : "";

    if (badKind === "unknown_state") {
      values[offset] = emptyText;
      values[offset + 1] = random.nextChance(0.5) ? null : "";
      return;
    }

    this.#stateCounts[stateIndex]++;
    let zipState = stateIndex;
    // The ZIP of a second home or a typing error: any other state, weighted like the rest.
    while (badKind === "state_zip_mismatch" && zipState === stateIndex) {
      zipState = this.#states.pickIndex(random);
    }

    values[offset] = state;
    if (badKind === "missing_state") values[offset] = emptyText;
    if (badKind === "unnormalized_state") values[offset] = unnormalizedState(state, random);
    values[offset + 1] = badKind === "missing_zip" ? emptyText : this.#zipCode(zipState);
  }

  #zipCode(stateIndex: number): string {
    const random = this.#random;
    const prefixes = this.#zipPrefixes[stateIndex];
    const zip = prefixes[random.nextInt(prefixes.length)] + TWO_DIGITS[random.nextInt(100)];
    if (!random.nextChance(ZIP_PLUS_FOUR_SHARE)) return zip;
    return `${zip}-${String(random.nextInt(10_000)).padStart(4, "0")}`;
  }

  /**
   * Returns an effective date. Most are the 1st of a month in the span that starts 15 years ago, or
   * in the month the contact turned 65 if that is later, and ends today. Some are any day of that
   * span, and a few are the 1st of one of the next three months.
   */
  #effectiveDay(birthDay: number): number {
    const random = this.#random;
    const calendar = this.#calendar;
    const birth = ymdFromDay(birthDay);
    const turning65Month = (birth.year + MIN_AGE) * 12 + birth.month - 1;
    const firstMonth = Math.max(calendar.firstEffectiveMonth, turning65Month);
    const share = random.nextFloat();

    if (share < FUTURE_EFFECTIVE_SHARE) {
      return monthStart(calendar.todayMonth + 1 + random.nextInt(FUTURE_EFFECTIVE_MONTHS));
    }
    if (share < FUTURE_EFFECTIVE_SHARE + MID_MONTH_EFFECTIVE_SHARE) {
      const firstDay = Math.max(calendar.fifteenYearsAgo, monthStart(turning65Month));
      return firstDay + random.nextInt(calendar.today - firstDay + 1);
    }
    if (turning65Month >= firstMonth && random.nextChance(TURNING_65_EFFECTIVE_SHARE)) {
      return monthStart(turning65Month);
    }
    return monthStart(firstMonth + random.nextInt(calendar.todayMonth - firstMonth + 1));
  }

  #answerEligibility(contactId: number): void {
    const random = this.#random;
    const today = this.#calendar.today;
    const firstDay = today - 1 - random.nextInt(EVENT_DAYS_BACK);
    let hasConditions = random.nextChance(MEDICAL_CONDITIONS_SHARE);
    this.#recordAnswer(contactId, firstDay, hasConditions);

    // A second answer falls after the first and before today. It decides the outcome because it
    // is the latest.
    if (firstDay < today - 1 && random.nextChance(SECOND_ANSWER_SHARE)) {
      const secondDay = firstDay + 1 + random.nextInt(today - 1 - firstDay);
      hasConditions = random.nextChance(MEDICAL_CONDITIONS_SHARE);
      this.#recordAnswer(contactId, secondDay, hasConditions);
    }

    this.#eligibilityAnswered++;
    if (hasConditions) this.#medicalConditions++;
  }

  #recordAnswer(contactId: number, day: number, hasConditions: boolean): void {
    this.events.contactIds.push(contactId);
    this.events.timestamps.push(this.#timestamp(day));
    this.events.medicalConditions.push(hasConditions);
  }

  /** Returns `YYYY-MM-DD HH:MM:SS` on `day` at a random time between 07:00 and 20:59. */
  #timestamp(day: number): string {
    const random = this.#random;
    const hour = TWO_DIGITS[7 + random.nextInt(14)];
    const minute = TWO_DIGITS[random.nextInt(60)];
    const second = TWO_DIGITS[random.nextInt(60)];
    return `${this.#calendar.text(day)} ${hour}:${minute}:${second}`;
  }

  /** Returns `updated_at`: the creation time, or a later day before today for some contacts. */
  #updatedAt(createdDay: number, createdAt: string): string {
    const random = this.#random;
    const lastDay = this.#calendar.today - 1;
    if (createdDay >= lastDay || !random.nextChance(UPDATED_AFTER_CREATION_SHARE)) return createdAt;
    return this.#timestamp(createdDay + 1 + random.nextInt(lastDay - createdDay));
  }

  #invalidEmail(localPart: string): string | null {
    switch (this.#random.nextInt(5)) {
      case 0:
        return `${localPart}.example.com`;
      case 1:
        return `${localPart}@`;
      case 2:
        return `${localPart}@example`;
      case 3:
        return "";
      default:
        return null;
    }
  }

  #invalidBirthDate(birthDay: number): string {
    const { year, month, day } = ymdFromDay(birthDay);
    switch (this.#random.nextInt(5)) {
      case 0:
        return `${year}-02-30`;
      case 1:
        return `${TWO_DIGITS[month]}/${TWO_DIGITS[day]}/${year}`;
      case 2:
        // An odd year is never a leap year.
        return `${year | 1}-02-29`;
      case 3:
        return `${year}-04-31`;
      default:
        return "";
    }
  }

  #invalidEffectiveDate(effectiveDay: number): string {
    const { year, month } = ymdFromDay(effectiveDay);
    switch (this.#random.nextInt(5)) {
      case 0:
        return `${year}-13-01`;
      case 1:
        return `${year}-00-01`;
      case 2:
        return `${year}-06-31`;
      case 3:
        return `${TWO_DIGITS[month]}/01/${year}`;
      default:
        return "";
    }
  }
}

/**
 * Day numbers that generation needs relative to today, and the `YYYY-MM-DD` text of every day that
 * a generated date can fall on, formatted once so that no row formats a date.
 */
class GenerationCalendar {
  readonly today: number;
  /** Month index (year × 12 + month − 1) of today. */
  readonly todayMonth: number;
  readonly fifteenYearsAgo: number;
  /** Month index of the earliest 1st of a month that is at most 15 years before today. */
  readonly firstEffectiveMonth: number;
  /** `ageLimits[k]` is the latest birth day of someone aged MIN_AGE + k today. */
  readonly #ageLimits: Int32Array;
  readonly #firstCachedDay: number;
  readonly #texts: string[];

  constructor(today: Temporal.PlainDate) {
    this.today = dayFromPlainDate(today);
    this.todayMonth = today.year * 12 + today.month - 1;
    this.fifteenYearsAgo = dayInYear(today.year - EFFECTIVE_YEARS_BACK, today.month, today.day);
    const fifteenYearsAgoMonth = this.todayMonth - EFFECTIVE_YEARS_BACK * 12;
    this.firstEffectiveMonth = monthStart(fifteenYearsAgoMonth) >= this.fifteenYearsAgo
      ? fifteenYearsAgoMonth
      : fifteenYearsAgoMonth + 1;

    // Someone is `age` years old when born on or before the date `age` years ago; Feb 29 counts
    // as Feb 28 in years without it.
    this.#ageLimits = new Int32Array(MAX_AGE - MIN_AGE + 2);
    for (let index = 0; index < this.#ageLimits.length; index++) {
      this.#ageLimits[index] = dayInYear(today.year - MIN_AGE - index, today.month, today.day);
    }

    this.#firstCachedDay = this.#ageLimits[this.#ageLimits.length - 1] + 1;
    const lastCachedDay = monthStart(this.todayMonth + FUTURE_EFFECTIVE_MONTHS + 1);
    this.#texts = new Array(lastCachedDay - this.#firstCachedDay + 1);
    for (let day = this.#firstCachedDay; day <= lastCachedDay; day++) {
      this.#texts[day - this.#firstCachedDay] = formatDay(day);
    }
  }

  /** Returns a birth day, uniform over the days on which someone aged MIN_AGE + `ageIndex` is born. */
  birthDay(ageIndex: number, random: SeededRandom): number {
    const latest = this.#ageLimits[ageIndex];
    const earliest = this.#ageLimits[ageIndex + 1] + 1;
    return earliest + random.nextInt(latest - earliest + 1);
  }

  /** Returns the `YYYY-MM-DD` text of a day between the oldest birth day and the last future date. */
  text(day: number): string {
    return this.#texts[day - this.#firstCachedDay];
  }
}

/** Returns the day number of the 1st of a month index (year × 12 + month − 1). */
function monthStart(monthIndex: number): number {
  return dayFromYmd(Math.floor(monthIndex / 12), (monthIndex % 12) + 1, 1);
}

function unnormalizedState(state: StateCode, random: SeededRandom): string {
  const lower = state.toLowerCase();
  switch (random.nextInt(4)) {
    case 0:
      return lower;
    case 1:
      return ` ${lower}`;
    case 2:
      return `${state} `;
    default:
      return state[0] + state[1].toLowerCase();
  }
}

/** Returns a name as it appears in an email address: lower case letters only. */
function emailPart(name: string): string {
  return name.toLowerCase().replace(/[^a-z]/g, "");
}
