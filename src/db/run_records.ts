import type { DatabaseSync } from "node:sqlite";
import type { AgencyConfig } from "../config/agency_config.ts";
import type { RunSummary } from "../scheduling/run_summary.ts";
import { sqliteMessage, tableExists } from "./sqlite.ts";

/** Identity of one run, as its `scheduler_runs` row records it. */
export interface RunIdentity {
  runId: string;
  orgId: number;
  today: Temporal.PlainDate;
  startedAt: Temporal.Instant;
}

/** Inserts the run's `scheduler_runs` row with status `running`, inside the run's transaction. */
export function startRunRecord(
  db: DatabaseSync,
  run: RunIdentity & { config: AgencyConfig },
): void {
  db.prepare(
    `INSERT INTO scheduler_runs (run_id, org_id, plan_date, started_at, status, effective_config)
     VALUES (?, ?, ?, ?, 'running', ?)`,
  ).run(
    run.runId,
    run.orgId,
    run.today.toString(),
    run.startedAt.round({ smallestUnit: "millisecond" }).toString(),
    JSON.stringify(run.config),
  );
}

/** Marks the run completed with its counts. */
export function finishRunRecord(
  db: DatabaseSync,
  run: { runId: string; summary: RunSummary; finishedAt: Temporal.Instant },
): void {
  const { runId, summary, finishedAt } = run;
  db.prepare(
    `UPDATE scheduler_runs SET status = 'completed', finished_at = ?, contacts_read = ?,
       rows_inserted = ?, rows_updated = ?, rows_deleted = ?, rows_kept = ?,
       skipped_by_reason = ?, invalid_by_reason = ?, summary = ?
     WHERE run_id = ?`,
  ).run(
    finishedAt.round({ smallestUnit: "millisecond" }).toString(),
    summary.contactsRead,
    summary.rows.inserted,
    summary.rows.updated,
    summary.rows.deleted,
    summary.rows.kept,
    JSON.stringify(summary.skippedByReason),
    JSON.stringify(summary.invalidByReason),
    JSON.stringify(summary),
    runId,
  );
}

/**
 * Records a run that failed after it started, in its own transaction after the run's was rolled
 * back: `email_schedules` is as it was, and operators can see the failure. Best effort: a database
 * that cannot take this row (locked, read-only, corrupt) keeps the original error.
 */
export function recordFailedRun(
  db: DatabaseSync,
  run: RunIdentity & { error: unknown },
): void {
  try {
    if (!tableExists(db, "scheduler_runs")) return;
    db.prepare(
      `INSERT OR REPLACE INTO scheduler_runs
         (run_id, org_id, plan_date, started_at, finished_at, status, error_message)
       VALUES (?, ?, ?, ?, ?, 'failed', ?)`,
    ).run(
      run.runId,
      run.orgId,
      run.today.toString(),
      run.startedAt.round({ smallestUnit: "millisecond" }).toString(),
      Temporal.Now.instant().round({ smallestUnit: "millisecond" }).toString(),
      sqliteMessage(run.error),
    );
  } catch {
    // The original error matters more than the record of it.
  }
}

/** Returns true when the agency has a completed run for `today`. */
export function hasCompletedRun(db: DatabaseSync, today: Temporal.PlainDate): boolean {
  if (!tableExists(db, "scheduler_runs")) return false;
  return db.prepare(
    "SELECT 1 FROM scheduler_runs WHERE plan_date = ? AND status = 'completed' LIMIT 1",
  ).get(today.toString()) !== undefined;
}
