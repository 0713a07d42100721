import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite";
import { formatDay, packedYmd } from "../rules/days.ts";
import { windowContaining } from "../rules/windows.ts";
import { PRIORITY_BY_KIND_CODE } from "../scheduling/kind_codes.ts";
import { KINDS_BY_CODE } from "../scheduling/plan_contact.ts";
import { type PlanStore, REASON_CODES, STATUS_SKIPPED } from "../scheduling/plan_store.ts";
import type { ExistingSnapshot } from "../scheduling/existing_rows.ts";

/** Row counts of writing the plan to `email_schedules`. */
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

/*
 * Each row crosses into SQLite as six numbers and one text: contact id, kind code, send day
 * number, status code (0 pre-scheduled, else the skip reason code), event as YYYYMMDD, metadata.
 * SQLite turns them into the row's text columns, and the values shared by the whole run are
 * literals in the statement. Binding 14 values per row made the write about a third slower.
 */
const VALUES_PER_ROW = 6;
// 256 rows × 6 values stays far below SQLite's limit of 32,766 parameters per statement.
const ROWS_PER_INSERT = 256;
const IDS_PER_DELETE = 500;

/**
 * Writes the plan: deletes the scheduler's rows that have no counterpart, updates rows that
 * changed, leaves identical rows untouched and inserts the rest. The caller owns the transaction.
 */
export function writePlan(db: DatabaseSync, plan: PlanStore, options: WriteOptions): WriteCounts {
  const { existing, deleteIds } = options;
  const counts: WriteCounts = { inserted: 0, updated: 0, deleted: 0, kept: 0, conflicts: 0 };

  counts.deleted = deleteRows(db, deleteIds);
  const rebuild = suspendPlainIndexes(db, countInserts(plan));

  const columns = columnExpressions(options);
  const update = db.prepare(
    `UPDATE OR IGNORE email_schedules SET scheduled_send_date = ${columns.sendDate("?1")},
       scheduled_send_time = ${columns.sendTime}, status = ${columns.status("?2")},
       skip_reason = ${columns.skipReason("?2")}, priority = ${columns.priority("?3")},
       event_year = ${columns.eventYear("?4")}, event_month = ${columns.eventMonth("?4")},
       event_day = ${columns.eventDay("?4")}, scheduler_run_id = ${columns.runId},
       metadata = ?5, updated_at = ${columns.timestamp} WHERE id = ?6`,
  );
  const inserter = new BatchInserter(db, columns);
  const row: SQLInputValue[] = new Array(VALUES_PER_ROW);
  for (let email = 0; email < plan.emailCount; email++) {
    fillRow(row, plan, email);
    const existingId = plan.existingId[email];
    if (existingId === 0) {
      inserter.add(row);
    } else if (existing.isIdentical(email, plan, row[5] as string | null)) {
      counts.kept++;
    } else {
      const { changes } = update.run(row[2], row[3], row[1], row[4], row[5], existingId);
      if (Number(changes) === 1) counts.updated++;
      else counts.conflicts++;
    }
  }
  inserter.flush();
  rebuild();
  counts.inserted = inserter.inserted;
  counts.conflicts += inserter.attempted - inserter.inserted;
  return counts;
}

function countInserts(plan: PlanStore): number {
  let inserts = 0;
  for (let email = 0; email < plan.emailCount; email++) {
    if (plan.existingId[email] === 0) inserts++;
  }
  return inserts;
}

/** Below this many new rows, keeping the indexes up to date row by row is cheap enough. */
const BULK_INSERT_ROWS = 100_000;

/**
 * Drops the non-unique indexes of `email_schedules` before a bulk insert that at least doubles the
 * table, and returns the function that creates them again from their own SQL text. An index on
 * (status, scheduled_send_date) takes rows in date order while they arrive in contact order. So
 * maintaining it during the insert costs more than building it afterwards: 10.5 s against 6.1 s
 * for 3.15 million rows, measured with the sqlite3 3.40 shell on a 2-core VM. Unique indexes stay,
 * so OR IGNORE still guards against duplicates. The caller's transaction hides the change: after
 * commit the schema is exactly as before, and a failed run rolls the drop back.
 */
function suspendPlainIndexes(db: DatabaseSync, inserts: number): () => void {
  if (inserts < BULK_INSERT_ROWS) return () => {};
  const existingRows = Number(db.prepare("SELECT count(*) AS n FROM email_schedules").get()?.n);
  if (inserts < existingRows) return () => {};

  const indexes = db.prepare(
    `SELECT s.name, s.sql FROM sqlite_schema AS s JOIN pragma_index_list('email_schedules') AS i
       ON i.name = s.name
     WHERE s.type = 'index' AND s.sql IS NOT NULL AND i."unique" = 0`,
  ).all() as Array<{ name: string; sql: string }>;
  for (const { name } of indexes) db.exec(`DROP INDEX "${name.replaceAll('"', '""')}"`);
  return () => {
    for (const { sql } of indexes) db.exec(sql);
  };
}

/** Fills `row` with the compact values of one email (see VALUES_PER_ROW). */
function fillRow(row: SQLInputValue[], plan: PlanStore, email: number): void {
  row[0] = plan.contactId[plan.contactIndex[email]];
  row[1] = plan.kind[email];
  row[2] = plan.sendDay[email];
  row[3] = plan.status[email] === STATUS_SKIPPED ? plan.reason[email] : 0;
  row[4] = packedYmd(plan.eventDay[email]);
  row[5] = metadataOf(plan, email);
}

/** SQL expressions that turn the compact values into column values. */
function columnExpressions(options: WriteOptions) {
  const kindCases = KINDS_BY_CODE.map((kind, code) => `WHEN ${code} THEN '${kind}'`).join(" ");
  const priorityCases = PRIORITY_BY_KIND_CODE.map((priority, code) =>
    `WHEN ${code} THEN ${priority}`
  )
    .join(" ");
  const reasonCases = REASON_CODES.map((reason, code) =>
    code === 0 ? "" : `WHEN ${code} THEN '${reason}'`
  )
    .join(" ");
  return {
    emailType: (value: string) => `CASE ${value} ${kindCases} END`,
    priority: (value: string) => `CASE ${value} ${priorityCases} END`,
    sendDate: (value: string) => `date(${value} * 86400, 'unixepoch')`,
    status: (value: string) => `CASE ${value} WHEN 0 THEN 'pre-scheduled' ELSE 'skipped' END`,
    skipReason: (value: string) => `CASE ${value} ${reasonCases} END`,
    // node:sqlite binds JS numbers as REAL, so integer arithmetic needs a CAST first.
    eventYear: (value: string) => `CAST(${value} AS INTEGER) / 10000`,
    eventMonth: (value: string) => `CAST(${value} AS INTEGER) / 100 % 100`,
    eventDay: (value: string) => `CAST(${value} AS INTEGER) % 100`,
    sendTime: sqlText(options.sendTime),
    runId: sqlText(options.runId),
    timestamp: sqlText(options.timestamp),
  };
}

/** Quotes text as an SQL string literal. */
function sqlText(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * Returns the row's metadata: the exclusion window for rows skipped by a window and for
 * post-window rows, else null. Derived from the plan alone, so reruns produce the same text.
 */
export function metadataOf(plan: PlanStore, email: number): string | null {
  const reason = REASON_CODES[plan.reason[email]];
  const isPostWindow = KINDS_BY_CODE[plan.kind[email]] === "post_window";
  if (reason !== "birthday_window" && reason !== "effective_date_window" && !isPostWindow) {
    return null;
  }
  const windowRule = plan.windowRuleOf(plan.contactIndex[email]);
  if (windowRule === undefined) return null;
  const day = isPostWindow ? plan.eventDay[email] : plan.sendDay[email];
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
  #columns: ReturnType<typeof columnExpressions>;
  #full: StatementSync;
  #pending: SQLInputValue[] = [];
  #rows = 0;
  attempted = 0;
  inserted = 0;

  constructor(db: DatabaseSync, columns: ReturnType<typeof columnExpressions>) {
    this.#db = db;
    this.#columns = columns;
    this.#full = db.prepare(this.#sql(ROWS_PER_INSERT));
  }

  add(row: readonly SQLInputValue[]): void {
    for (const value of row) this.#pending.push(value);
    if (++this.#rows === ROWS_PER_INSERT) this.flush();
  }

  flush(): void {
    if (this.#rows === 0) return;
    const statement = this.#rows === ROWS_PER_INSERT
      ? this.#full
      : this.#db.prepare(this.#sql(this.#rows));
    this.inserted += Number(statement.run(...this.#pending).changes);
    this.attempted += this.#rows;
    this.#pending = [];
    this.#rows = 0;
  }

  #sql(rows: number): string {
    const c = this.#columns;
    // Columns of a VALUES list are named column1, column2, … in SQLite.
    const tuple = `(${Array(VALUES_PER_ROW).fill("?").join(", ")})`;
    return `INSERT OR IGNORE INTO email_schedules (contact_id, email_type, scheduled_send_date,
        scheduled_send_time, status, skip_reason, priority, event_year, event_month, event_day,
        scheduler_run_id, metadata, created_at, updated_at)
      SELECT column1, ${c.emailType("column2")}, ${c.sendDate("column3")}, ${c.sendTime},
        ${c.status("column4")}, ${c.skipReason("column4")}, ${c.priority("column2")},
        ${c.eventYear("column5")}, ${c.eventMonth("column5")}, ${c.eventDay("column5")},
        ${c.runId}, column6, ${c.timestamp}, ${c.timestamp}
      FROM (VALUES ${Array(rows).fill(tuple).join(", ")})`;
  }
}
