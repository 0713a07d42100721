import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite";
import { formatDay, ymdFromDay } from "../rules/days.ts";
import { windowContaining } from "../rules/windows.ts";
import { PRIORITY_BY_KIND_CODE } from "../scheduling/kind_codes.ts";
import { KINDS_BY_CODE } from "../scheduling/plan_contact.ts";
import { type PlanStore, REASON_CODES, STATUS_SKIPPED } from "../scheduling/plan_store.ts";
import type { ExistingSnapshot } from "../scheduling/existing_rows.ts";

/** What writing the plan did to `email_schedules`. */
export interface WriteCounts {
  inserted: number;
  updated: number;
  deleted: number;
  kept: number;
  /**
   * Rows not written because another row of the contact already had the same kind and date (the
   * unique index). Planning avoids the known cases, so this stays 0 unless rows change underneath.
   */
  conflicts: number;
}

/** Options of `writePlan`. */
export interface WriteOptions {
  runId: string;
  /** `YYYY-MM-DD HH:MM:SS` in UTC, written to created_at and updated_at. */
  timestamp: string;
  sendTime: string;
  existing: ExistingSnapshot;
  /** Ids of the scheduler's rows that the new plan no longer has. */
  deleteIds: ArrayLike<number>;
}

const INSERT_COLUMNS = [
  "contact_id",
  "email_type",
  "scheduled_send_date",
  "scheduled_send_time",
  "status",
  "skip_reason",
  "priority",
  "event_year",
  "event_month",
  "event_day",
  "scheduler_run_id",
  "metadata",
  "created_at",
  "updated_at",
];
// 64 rows × 14 columns stays far below SQLite's limit of 32,766 parameters per statement.
const ROWS_PER_INSERT = 64;
const IDS_PER_DELETE = 500;

/**
 * Writes the plan: deletes the scheduler's rows that have no counterpart, updates rows that
 * changed, leaves identical rows untouched and inserts the rest. The caller owns the transaction.
 */
export function writePlan(db: DatabaseSync, plan: PlanStore, options: WriteOptions): WriteCounts {
  const { runId, timestamp, sendTime, existing, deleteIds } = options;
  const counts: WriteCounts = { inserted: 0, updated: 0, deleted: 0, kept: 0, conflicts: 0 };

  counts.deleted = deleteRows(db, deleteIds);

  const update = db.prepare(
    `UPDATE OR IGNORE email_schedules SET scheduled_send_date = ?, scheduled_send_time = ?, status = ?,
       skip_reason = ?, priority = ?, event_year = ?, event_month = ?, event_day = ?,
       scheduler_run_id = ?, metadata = ?, updated_at = ? WHERE id = ?`,
  );
  const inserter = new BatchInserter(db);
  for (let email = 0; email < plan.emailCount; email++) {
    const row = rowValues(plan, email, sendTime);
    const existingId = plan.existingId.data[email];
    if (existingId === 0) {
      inserter.add([...row.values, runId, row.metadata, timestamp, timestamp]);
    } else if (existing.isIdentical(email, plan, row.metadata)) {
      counts.kept++;
    } else {
      const { changes } = update.run(
        ...row.values.slice(2),
        runId,
        row.metadata,
        timestamp,
        existingId,
      );
      if (Number(changes) === 1) counts.updated++;
      else counts.conflicts++;
    }
  }
  inserter.flush();
  counts.inserted = inserter.inserted;
  counts.conflicts += inserter.attempted - inserter.inserted;
  return counts;
}

/** Column values of one email, without the run id and timestamps. */
function rowValues(plan: PlanStore, email: number, sendTime: string) {
  const kindCode = plan.kind.data[email];
  const skipped = plan.status.data[email] === STATUS_SKIPPED;
  const reason = REASON_CODES[plan.reason.data[email]];
  const event = ymdFromDay(plan.eventDay.data[email]);
  const values: SQLInputValue[] = [
    plan.contactId.data[plan.contactIndex.data[email]],
    KINDS_BY_CODE[kindCode],
    formatDay(plan.sendDay.data[email]),
    sendTime,
    skipped ? "skipped" : "pre-scheduled",
    reason === "" ? null : reason,
    PRIORITY_BY_KIND_CODE[kindCode],
    event.year,
    event.month,
    event.day,
  ];
  return { values, metadata: metadataOf(plan, email) };
}

/**
 * Returns the row's metadata: the exclusion window for rows skipped by a window and for
 * post-window rows, else null. Derived from the plan alone, so reruns produce the same text.
 */
export function metadataOf(plan: PlanStore, email: number): string | null {
  const reason = REASON_CODES[plan.reason.data[email]];
  const isPostWindow = KINDS_BY_CODE[plan.kind.data[email]] === "post_window";
  if (reason !== "birthday_window" && reason !== "effective_date_window" && !isPostWindow) {
    return null;
  }
  const windowRule = plan.windowRuleOf(plan.contactIndex.data[email]);
  if (windowRule === undefined) return null;
  const day = isPostWindow ? plan.eventDay.data[email] : plan.sendDay.data[email];
  const window = windowContaining(windowRule, day);
  if (window === undefined || !Number.isFinite(window.start) || !Number.isFinite(window.end)) {
    return null;
  }
  return JSON.stringify({
    window_start: formatDay(window.start),
    window_end: formatDay(window.end),
  });
}

function deleteRows(db: DatabaseSync, ids: ArrayLike<number>): number {
  let deleted = 0;
  const full = db.prepare(
    `DELETE FROM email_schedules WHERE id IN (${Array(IDS_PER_DELETE).fill("?").join(", ")})`,
  );
  for (let start = 0; start < ids.length; start += IDS_PER_DELETE) {
    const chunk = Array.from(
      { length: Math.min(IDS_PER_DELETE, ids.length - start) },
      (_, i) => ids[start + i],
    );
    const statement = chunk.length === IDS_PER_DELETE
      ? full
      : db.prepare(`DELETE FROM email_schedules WHERE id IN (${chunk.map(() => "?").join(", ")})`);
    deleted += Number(statement.run(...chunk).changes);
  }
  return deleted;
}

/** Inserts rows with multi-row INSERT statements, so each row costs a fraction of a call. */
class BatchInserter {
  #db: DatabaseSync;
  #full: StatementSync;
  #pending: SQLInputValue[] = [];
  #rows = 0;
  attempted = 0;
  inserted = 0;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#full = db.prepare(insertSql(ROWS_PER_INSERT));
  }

  add(values: SQLInputValue[]): void {
    for (const value of values) this.#pending.push(value);
    if (++this.#rows === ROWS_PER_INSERT) this.flush();
  }

  flush(): void {
    if (this.#rows === 0) return;
    const statement = this.#rows === ROWS_PER_INSERT
      ? this.#full
      : this.#db.prepare(insertSql(this.#rows));
    this.inserted += Number(statement.run(...this.#pending).changes);
    this.attempted += this.#rows;
    this.#pending = [];
    this.#rows = 0;
  }
}

function insertSql(rows: number): string {
  const tuple = `(${INSERT_COLUMNS.map(() => "?").join(", ")})`;
  return `INSERT OR IGNORE INTO email_schedules (${INSERT_COLUMNS.join(", ")}) VALUES ${
    Array(rows).fill(tuple).join(", ")
  }`;
}
