import { type DayNumber, parseIsoDay } from "../rules/days.ts";
import type { ExistingRow } from "../db/schedule_rows.ts";
import { KIND_CODES, type PlannedEmail, type PlannedKind } from "./plan_contact.ts";
import {
  type PlanStore,
  REASON_CODES,
  REASON_FREQUENCY_LIMIT,
  STATUS_SKIPPED,
} from "./plan_store.ts";

const OWNED_STATUSES = new Set(["pre-scheduled", "skipped"]);

/**
 * One contact's existing rows, sorted out for reconciling with its new plan. A contact has a
 * handful of rows, so plain arrays searched in order beat maps here.
 */
export interface ContactRows {
  /** The scheduler's rows of planned kinds; the first row for each kind and event. */
  owned: ExistingRow[];
  /** Further rows of the scheduler with no event or a repeated one: deleted unless history. */
  extraOwned: ExistingRow[];
  /** The sender's rows of planned kinds: their events get no new row, their dates no second. */
  senderRows: ExistingRow[];
  /** Dates of the sender's rows that count for the frequency limit. */
  senderDays: DayNumber[];
}

/** Rows of a contact that has none. */
export const NO_ROWS: ContactRows = Object.freeze({
  owned: [],
  extraOwned: [],
  senderRows: [],
  senderDays: [],
}) as unknown as ContactRows;

/** Sorts one contact's rows into the scheduler's and the sender's. */
export function sortContactRows(
  rows: readonly ExistingRow[],
  options: { today: DayNumber; frequencyPeriodDays: number },
): ContactRows {
  const { today, frequencyPeriodDays } = options;
  const result: ContactRows = { owned: [], extraOwned: [], senderRows: [], senderDays: [] };
  for (const row of rows) {
    const planned = Object.hasOwn(KIND_CODES, row.emailType);
    if (OWNED_STATUSES.has(row.status)) {
      // Rows of kinds this planner does not create (campaigns, follow-ups) are left alone.
      if (!planned) continue;
      const repeated = result.owned.some((other) => sameEvent(other, row));
      if (row.eventDay === undefined || repeated) result.extraOwned.push(row);
      else result.owned.push(row);
      continue;
    }
    if (planned) result.senderRows.push(row);
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

function sameEvent(a: ExistingRow, b: ExistingRow): boolean {
  return a.emailType === b.emailType && a.eventDay === b.eventDay;
}

/**
 * Returns the exclusion windows of the contact's history rows that an earlier run skipped for a
 * window (dated before today, event passed), as their metadata recorded them. Those rows stay,
 * so the post-window email of their window is still due when the window has not ended yet.
 */
export function historyWindows(rows: ContactRows, today: DayNumber): RecordedWindow[] {
  const windows: RecordedWindow[] = [];
  for (const row of [...rows.owned, ...rows.extraOwned]) {
    const byWindow = row.skipReason === "birthday_window" ||
      row.skipReason === "effective_date_window";
    if (row.status !== "skipped" || !byWindow || row.sendDay === undefined) continue;
    const isHistory = row.sendDay < today && (row.eventDay === undefined || row.eventDay < today);
    const window = isHistory ? parseWindowMetadata(row.metadata) : undefined;
    if (window !== undefined) windows.push({ ...window, reason: row.skipReason! });
  }
  return windows;
}

/** A window as a skipped row's metadata records it. */
export interface RecordedWindow {
  start: DayNumber;
  end: DayNumber;
  reason: string;
}

function parseWindowMetadata(
  metadata: string | null,
): { start: DayNumber; end: DayNumber } | undefined {
  if (metadata === null) return undefined;
  try {
    const parsed = JSON.parse(metadata);
    const start = parseIsoDay(parsed?.window_start);
    const end = parseIsoDay(parsed?.window_end);
    return start === undefined || end === undefined ? undefined : { start, end };
  } catch {
    return undefined;
  }
}

/** Returns the scheduler's row for the same kind and event as `email`, if any. */
export function ownedRowFor(rows: ContactRows, email: PlannedEmail): ExistingRow | undefined {
  return rows.owned.find((row) => row.emailType === email.kind && row.eventDay === email.eventDay);
}

/** Returns the earlier day and window status for `planContact`, from a contact's owned rows. */
export function existingDayLookup(rows: ContactRows) {
  if (rows.owned.length === 0) return undefined;
  return (kind: PlannedKind, eventDay: DayNumber) => {
    const row = rows.owned.find((owned) => owned.emailType === kind && owned.eventDay === eventDay);
    if (row === undefined || row.sendDay === undefined) return undefined;
    const skippedByWindow = row.status === "skipped" &&
      row.skipReason !== REASON_CODES[REASON_FREQUENCY_LIMIT];
    return { day: row.sendDay, skippedByWindow };
  };
}

/**
 * Returns why the sender's rows leave no room for `email`: it already has a row for the same
 * event, or one of the same kind on the same date (which the unique index forbids twice).
 */
export function senderBlocks(rows: ContactRows, email: PlannedEmail): "event" | "date" | undefined {
  for (const row of rows.senderRows) {
    if (row.emailType !== email.kind) continue;
    if (row.eventDay === email.eventDay) return "event";
    if (row.sendDay === email.sendDay) return "date";
  }
  return undefined;
}

const DIRTY = 0x80;

/**
 * Compares plan emails with the earlier rows matched to them (kept in the plan's `existing…`
 * columns) and collects the ids of the scheduler's rows to delete.
 */
export class ExistingSnapshot {
  readonly deleteIds: number[] = [];
  historyKept = 0;
  /** Emails left out because the sender already has a row for the event or date. */
  senderHasEvent = 0;
  senderHasDate = 0;

  /** Records the earlier row of the plan email at index `email`. */
  record(plan: PlanStore, email: number, row: ExistingRow): void {
    const reasonCode = row.skipReason === null
      ? 0
      : Math.max(0, REASON_CODES.indexOf(row.skipReason as typeof REASON_CODES[number]));
    const unknownReason = row.skipReason !== null && reasonCode === 0;
    const dirty = !row.sameSendTime || !row.samePriority || unknownReason;
    plan.existingDay[email] = row.sendDay ?? 0;
    plan.existingCode[email] = (row.status === "skipped" ? 1 : 0) | (reasonCode << 1) |
      (dirty ? DIRTY : 0);
    plan.existingMetadataHash[email] = hashText(row.metadata);
  }

  /**
   * Returns true when the plan email equals its earlier row in every written column. Metadata is
   * compared by a 32-bit hash to keep memory flat. A collision would only leave the older
   * metadata text on a row whose date and status are unchanged.
   */
  isIdentical(email: number, plan: PlanStore, metadata: string | null): boolean {
    const code = plan.existingCode[email];
    if ((code & DIRTY) !== 0) return false;
    if (plan.existingDay[email] !== plan.sendDay[email]) return false;
    if ((code & 1) !== (plan.status[email] === STATUS_SKIPPED ? 1 : 0)) return false;
    if (((code >> 1) & 0x7) !== plan.reason[email]) return false;
    return plan.existingMetadataHash[email] === hashText(metadata);
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

/** Returns the FNV-1a hash of `text`, never 0 for text, and 0 for null. */
function hashText(text: string | null): number {
  if (text === null) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  }
  return (hash >>> 0) || 1;
}
