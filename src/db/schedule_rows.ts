import type { DatabaseSync, StatementSync } from "node:sqlite";
import { dayFromYmd, type DayNumber, daysInMonth, formatDay, parseIsoDay } from "../rules/days.ts";
import type { ContactRow } from "../scheduling/contact.ts";
import { returnArrays } from "./sqlite.ts";
import { PRIORITIES } from "../config/constants.ts";
import { KINDS_BY_CODE } from "../scheduling/plan_contact.ts";
import { REASON_CODES } from "../scheduling/plan_store.ts";

/** Statuses of rows that the scheduler owns; every other status is the sender's. */
const OWNED = "('pre-scheduled', 'skipped')";

/** An `email_schedules` row as read for reconciling. */
export interface ExistingRow {
  id: number;
  contactId: number;
  emailType: string;
  sendDay: DayNumber | undefined;
  /** True when `scheduled_send_time` equals the agency's send time. */
  sameSendTime: boolean;
  /** True when `priority` is the priority of the row's kind. */
  samePriority: boolean;
  status: string;
  skipReason: string | null;
  eventDay: DayNumber | undefined;
  metadata: string | null;
}

/** Counts the sender's rows per day from `fromDay` on: they use up daily capacity. */
export function readSenderLoad(db: DatabaseSync, fromDay: DayNumber): Map<DayNumber, number> {
  const rows = db.prepare(
    `SELECT scheduled_send_date AS day, count(*) AS n FROM email_schedules
     WHERE status NOT IN ${OWNED} AND scheduled_send_date >= ? GROUP BY scheduled_send_date`,
  ).all(formatDay(fromDay));
  const load = new Map<DayNumber, number>();
  for (const row of rows) {
    const day = parseIsoDay(row.day);
    if (day !== undefined) load.set(day, Number(row.n));
  }
  return load;
}

/** Reads contacts in id order, one batch at a time, without holding them all in memory. */
export class ContactReader {
  #statement: StatementSync;
  #lastId = -Infinity;
  #batchSize: number;
  done = false;

  constructor(db: DatabaseSync, batchSize: number) {
    this.#statement = db.prepare(
      `SELECT id, email, state, zip_code, birth_date, effective_date FROM contacts
       WHERE id > ? ORDER BY id LIMIT ?`,
    );
    returnArrays(this.#statement);
    this.#batchSize = batchSize;
  }

  /** Returns the next batch (empty when done) and the id range it covers. */
  next(): ContactRow[] {
    if (this.done) return [];
    const rows = this.#statement.all(
      this.#lastId === -Infinity ? Number.MIN_SAFE_INTEGER : this.#lastId,
      this.#batchSize,
    ) as unknown as ContactRow[];
    if (rows.length < this.#batchSize) this.done = true;
    if (rows.length > 0) this.#lastId = Number(rows[rows.length - 1][0]);
    return rows;
  }
}

/** Reads the rows of contacts in an id range (both ends inclusive), in contact id order. */
export class ScheduleRowReader {
  #statement: StatementSync;
  #sendTime: string;

  constructor(db: DatabaseSync, sendTime: string) {
    // A rerun reads millions of rows, and every value crossing from SQLite costs time, so SQLite
    // turns dates into day numbers and packs kind, status, reason and the send-time and priority
    // comparisons into one integer (see unpackFlags).
    const kindCases = KINDS_BY_CODE.map((kind, code) => `WHEN '${kind}' THEN ${code}`).join(" ");
    const priorityCases = KINDS_BY_CODE.map((kind) => `WHEN '${kind}' THEN ${PRIORITIES[kind]}`)
      .join(" ");
    const reasonCases = REASON_CODES.map((reason, code) => `WHEN '${reason}' THEN ${code}`).join(
      " ",
    );
    this.#statement = returnArrays(db.prepare(
      `SELECT id, contact_id,
              CAST(julianday(scheduled_send_date) - ${UNIX_EPOCH_JULIAN_DAY} AS INTEGER),
              event_year * 10000 + event_month * 100 + event_day,
              -- SQLite gives | and << the same precedence, so every shift has parentheses.
              (CASE WHEN email_type LIKE 'follow%' THEN ${KIND_FOLLOW_UP}
                    ELSE CASE email_type ${kindCases} ELSE ${KIND_OTHER} END END)
              | ((CASE status WHEN 'pre-scheduled' THEN 0 WHEN 'skipped' THEN 1 ELSE 2 END) << 3)
              | ((CASE WHEN skip_reason IS NULL THEN 0
                      ELSE CASE skip_reason ${reasonCases} ELSE ${REASON_OTHER} END END) << 5)
              | ((scheduled_send_time IS ?) << 8)
              | ((priority IS CASE email_type ${priorityCases} END) << 9),
              metadata
       FROM email_schedules WHERE contact_id BETWEEN ? AND ? ORDER BY contact_id`,
    ));
    this.#sendTime = sendTime;
  }

  read(firstContactId: number, lastContactId: number): ExistingRow[] {
    const rows = this.#statement.all(
      this.#sendTime,
      firstContactId,
      lastContactId,
    ) as unknown as unknown[][];
    return rows.map((row) => {
      const flags = Number(row[4]);
      const kindCode = flags & 7;
      const reasonCode = (flags >> 5) & 7;
      return {
        id: Number(row[0]),
        contactId: Number(row[1]),
        sendDay: row[2] === null ? undefined : Number(row[2]),
        eventDay: dayFromPacked(row[3]),
        emailType: kindCode < KINDS_BY_CODE.length
          ? KINDS_BY_CODE[kindCode]
          : kindCode === KIND_FOLLOW_UP
          ? "follow_up"
          : "other",
        status: STATUS_TEXTS[(flags >> 3) & 3],
        skipReason: reasonCode === 0
          ? null
          : reasonCode === REASON_OTHER
          ? "other"
          : REASON_CODES[reasonCode],
        sameSendTime: (flags & (1 << 8)) !== 0,
        samePriority: (flags & (1 << 9)) !== 0,
        metadata: row[5] === null ? null : String(row[5]),
      };
    });
  }
}

/** Converts YYYYMMDD to a day number; undefined for NULL or a date that does not exist. */
function dayFromPacked(value: unknown): DayNumber | undefined {
  if (typeof value !== "number") return undefined;
  const year = Math.floor(value / 10000);
  const month = Math.floor(value / 100) % 100;
  const day = value % 100;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return dayFromYmd(year, month, day);
}

// Codes of the other kinds follow those of KINDS_BY_CODE; they are read as "follow_up" or "other".
const KIND_FOLLOW_UP = 4;
const KIND_OTHER = 5;
/** Status text by code: the scheduler's two statuses, and any status of the sender. */
const STATUS_TEXTS = ["pre-scheduled", "skipped", "sender"] as const;
const REASON_OTHER = 7;

/** Julian day number of 1970-01-01 at midnight, the day numbers' origin. */
const UNIX_EPOCH_JULIAN_DAY = 2440587.5;

/**
 * Reads, for contacts in an id range, whether the latest `eligibility_answered` event reports
 * medical conditions. Returns the ids of contacts whose latest answer does.
 */
export class UnderwritingReader {
  #statement: StatementSync | undefined;

  constructor(db: DatabaseSync, enabled: boolean) {
    const hasTable = db.prepare(
      "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'contact_events'",
    ).get() !== undefined;
    if (!enabled || !hasTable) return;
    this.#statement = db.prepare(
      `SELECT contact_id, metadata FROM contact_events
       WHERE event_type = 'eligibility_answered' AND contact_id BETWEEN ? AND ?
       ORDER BY contact_id, created_at, id`,
    );
    returnArrays(this.#statement);
  }

  read(firstContactId: number, lastContactId: number): Set<number> {
    const failed = new Set<number>();
    if (this.#statement === undefined) return failed;
    for (
      const row of this.#statement.iterate(firstContactId, lastContactId) as Iterable<unknown[]>
    ) {
      const contactId = Number(row[0]);
      if (reportsMedicalConditions(row[1])) failed.add(contactId);
      else failed.delete(contactId);
    }
    return failed;
  }
}

/** Returns true when an eligibility answer's metadata says the contact has medical conditions. */
export function reportsMedicalConditions(metadata: unknown): boolean {
  if (typeof metadata !== "string") return false;
  try {
    const parsed = JSON.parse(metadata);
    return parsed?.has_medical_conditions === true;
  } catch {
    return false;
  }
}
