import type { DayNumber } from "../rules/days.ts";
import type { ExistingRow } from "../db/schedule_rows.ts";
import { Growable } from "./growable.ts";
import { KIND_CODES, type PlannedEmail, type PlannedKind } from "./plan_contact.ts";
import { PRIORITIES } from "../config/constants.ts";
import {
  type PlanStore,
  REASON_CODES,
  REASON_FREQUENCY_LIMIT,
  STATUS_SKIPPED,
} from "./plan_store.ts";

const PLANNED_KINDS = new Set<string>(Object.keys(KIND_CODES));
const OWNED_STATUSES = new Set(["pre-scheduled", "skipped"]);

/** One contact's existing rows, sorted out for reconciling with its new plan. */
export interface ContactRows {
  /** The scheduler's rows of planned kinds, by `kind|eventDay`; the first row per key. */
  owned: Map<string, ExistingRow>;
  /** Further rows of the scheduler with no key or a repeated key. */
  extraOwned: ExistingRow[];
  /** `kind|eventDay` of the sender's rows: those events get no new row. */
  senderEvents: Set<string>;
  /** `kind|sendDay` of the sender's rows: a new row on that date would break the unique index. */
  senderDates: Set<string>;
  /** Dates of the sender's rows that count for the frequency limit. */
  senderDays: DayNumber[];
}

/** Returns the key of a contact's email: its kind and event. */
export function eventKey(kind: string, eventDay: DayNumber | undefined): string {
  return `${kind}|${eventDay}`;
}

/** Sorts one contact's rows into the scheduler's and the sender's. */
export function sortContactRows(
  rows: readonly ExistingRow[],
  options: { today: DayNumber; frequencyPeriodDays: number },
): ContactRows {
  const { today, frequencyPeriodDays } = options;
  const result: ContactRows = {
    owned: new Map(),
    extraOwned: [],
    senderEvents: new Set(),
    senderDates: new Set(),
    senderDays: [],
  };
  for (const row of rows) {
    if (OWNED_STATUSES.has(row.status)) {
      // Rows of kinds this planner does not create (campaigns, follow-ups) are left alone.
      if (!PLANNED_KINDS.has(row.emailType)) continue;
      const key = eventKey(row.emailType, row.eventDay);
      if (row.eventDay === undefined || result.owned.has(key)) result.extraOwned.push(row);
      else result.owned.set(key, row);
      continue;
    }
    result.senderEvents.add(eventKey(row.emailType, row.eventDay));
    result.senderDates.add(`${row.emailType}|${row.sendDay}`);
    // Follow-ups neither count for the frequency limit nor are limited by it.
    const countsForFrequency = !row.emailType.startsWith("follow");
    if (
      countsForFrequency && row.sendDay !== undefined &&
      row.sendDay > today - frequencyPeriodDays
    ) {
      result.senderDays.push(row.sendDay);
    }
  }
  return result;
}

const DIRTY = 0x80;

/**
 * The earlier rows matched to plan emails, kept in columns parallel to the plan, plus the ids of
 * the scheduler's rows to delete. `isIdentical` compares a plan email with its earlier row.
 */
export class ExistingSnapshot {
  readonly day = new Growable(Int32Array);
  /** Status bit, skip reason code and a dirty bit for fields compared when matching. */
  readonly code = new Growable(Uint8Array);
  readonly metadata: Map<number, string> = new Map();
  readonly deleteIds = new Growable(Float64Array);
  historyKept = 0;
  /** Emails left out because the sender already has a row for the event or date. */
  senderHasEvent = 0;
  senderHasDate = 0;

  /** Records the earlier row (or none) of the plan email just added at index `email`. */
  record(email: number, row: ExistingRow | undefined, sendTime: string): void {
    if (row === undefined) {
      this.day.push(0);
      this.code.push(0);
      return;
    }
    const reasonCode = row.skipReason === null
      ? 0
      : Math.max(0, REASON_CODES.indexOf(row.skipReason as typeof REASON_CODES[number]));
    const unknownReason = row.skipReason !== null && reasonCode === 0;
    const kind = row.emailType as PlannedKind;
    const dirty = row.sendTime !== sendTime || row.priority !== PRIORITIES[kind] || unknownReason;
    this.day.push(row.sendDay ?? 0);
    this.code.push((row.status === "skipped" ? 1 : 0) | (reasonCode << 1) | (dirty ? DIRTY : 0));
    if (row.metadata !== null) this.metadata.set(email, row.metadata);
  }

  /** Returns true when the plan email equals its earlier row in every written column. */
  isIdentical(email: number, plan: PlanStore, metadata: string | null): boolean {
    const code = this.code.data[email];
    if ((code & DIRTY) !== 0) return false;
    if (this.day.data[email] !== plan.sendDay.data[email]) return false;
    if ((code & 1) !== (plan.status.data[email] === STATUS_SKIPPED ? 1 : 0)) return false;
    if (((code >> 1) & 0x7) !== plan.reason.data[email]) return false;
    return (this.metadata.get(email) ?? null) === metadata;
  }

  /** Marks a row for deletion unless it is history: dated before today for an event that passed. */
  deleteUnlessHistory(row: ExistingRow, today: DayNumber): void {
    const dated = row.sendDay;
    const eventPassed = row.eventDay === undefined || row.eventDay < today;
    if (dated !== undefined && dated < today && eventPassed) {
      this.historyKept++;
      return;
    }
    this.deleteIds.push(row.id);
  }
}

/** Returns the earlier day and window status for `placeEmail`, from a contact's owned rows. */
export function existingDayLookup(rows: ContactRows) {
  return (kind: PlannedKind, eventDay: DayNumber) => {
    const row = rows.owned.get(eventKey(kind, eventDay));
    if (row === undefined || row.sendDay === undefined) return undefined;
    const skippedByWindow = row.status === "skipped" &&
      row.skipReason !== REASON_CODES[REASON_FREQUENCY_LIMIT];
    return { day: row.sendDay, skippedByWindow };
  };
}

/** Returns true when the sender's rows leave no room for `email` (same event, or same date). */
export function senderBlocks(rows: ContactRows, email: PlannedEmail): "event" | "date" | undefined {
  if (rows.senderEvents.has(eventKey(email.kind, email.eventDay))) return "event";
  if (rows.senderDates.has(`${email.kind}|${email.sendDay}`)) return "date";
  return undefined;
}
