import type { RunSummary } from "../scheduling/run_summary.ts";
import type { Logger } from "./logger.ts";

/** One agency's run that a tick completed. */
export interface CompletedRun {
  orgId: number;
  /** The plan's date, in the agency's time zone. */
  today: string;
  runId: string;
  inserted: number;
  updated: number;
  deleted: number;
  /** Emails of the plan written as `skipped`, in total and by reason. */
  skipped: number;
  skippedByReason: Record<string, number>;
  /** Milliseconds from the first check of the agency to the end of its run. */
  durationMs: number;
}

/** One agency that a tick could not check or run. */
export interface FailedRun {
  orgId: number;
  /** The plan's date, or null when the agency's time zone is invalid. */
  today: string | null;
  /** One line that names the agency, the field or database, and the value, but no contact data. */
  message: string;
  /** The exit code `schedule` would return for this failure: 2 configuration, 1 a failed run. */
  exitCode: 1 | 2;
  /** This failure and the ones right before it, counted in ticks. */
  consecutiveFailures: number;
}

/** The outcome of one tick, agency by agency. */
export interface TickReport {
  /** The instant the tick ran as, in ISO-8601 with milliseconds, like the log's timestamps. */
  instant: string;
  /**
   * `finished` when every active agency was visited, `overlapped` when the previous tick was still
   * working so this one did nothing, `stopped` when a stop signal ended it between agencies.
   */
  outcome: "finished" | "overlapped" | "stopped";
  completed: CompletedRun[];
  failed: FailedRun[];
  /** Agencies that already have a completed run for their local today. */
  alreadyCompleted: number[];
  /** Agencies whose local time has not reached the run hour yet. */
  beforeRunHour: number[];
  /** Agencies the tick did not visit because a stop signal arrived. */
  notStarted: number[];
}

/** Returns a report of a tick at `instant` that has done nothing yet. */
export function emptyTickReport(instant: Temporal.Instant): TickReport {
  return {
    instant: instant.toString({ smallestUnit: "millisecond" }),
    outcome: "finished",
    completed: [],
    failed: [],
    alreadyCompleted: [],
    beforeRunHour: [],
    notStarted: [],
  };
}

/** Builds a run's report entry from its summary, for the report and the run's log line. */
export function completedRun(summary: RunSummary, durationMs: number): CompletedRun {
  const skipped = Object.values(summary.skippedByReason).reduce((sum, count) => sum + count, 0);
  return {
    orgId: summary.orgId,
    today: summary.today,
    runId: summary.runId,
    inserted: summary.rows.inserted,
    updated: summary.rows.updated,
    deleted: summary.rows.deleted,
    skipped,
    skippedByReason: summary.skippedByReason,
    durationMs: Math.round(durationMs),
  };
}

/** Logs one completed run: agency id, today, rows written, skipped emails and time taken. */
export function logCompletedRun(logger: Logger, run: CompletedRun): void {
  const reasons = Object.entries(run.skippedByReason).map(([reason, count]) =>
    `${reason} ${count}`
  );
  const skipped = reasons.length > 0
    ? `${run.skipped} skipped (${reasons.join(", ")})`
    : "0 skipped";
  logger.info(
    `organization ${run.orgId}: run completed for ${run.today}: ${run.inserted} inserted, ` +
      `${run.updated} updated, ${run.deleted} deleted, ${skipped} in ${run.durationMs} ms`,
    {
      event: "run_completed",
      org_id: run.orgId,
      today: run.today,
      run_id: run.runId,
      inserted: run.inserted,
      updated: run.updated,
      deleted: run.deleted,
      skipped: run.skipped,
      skipped_by_reason: run.skippedByReason,
      duration_ms: run.durationMs,
    },
  );
}

/** Logs one agency's failure with its reason, and how many ticks in a row it has failed. */
export function logFailedRun(logger: Logger, failure: FailedRun, stack?: string): void {
  const day = failure.today === null ? "" : ` for ${failure.today}`;
  const repeat = failure.consecutiveFailures > 1
    ? ` (${failure.consecutiveFailures} ticks in a row)`
    : "";
  logger.error(`organization ${failure.orgId}: run failed${day}${repeat}: ${failure.message}`, {
    event: "run_failed",
    org_id: failure.orgId,
    today: failure.today,
    error: failure.message,
    exit_code: failure.exitCode,
    consecutive_failures: failure.consecutiveFailures,
    ...(stack === undefined ? {} : { stack }),
  });
}

/** Logs the end of a tick with a count of each outcome. */
export function logTickEnd(logger: Logger, report: TickReport, durationMs: number): void {
  const counts = {
    completed: report.completed.length,
    failed: report.failed.length,
    already_completed: report.alreadyCompleted.length,
    before_run_hour: report.beforeRunHour.length,
    not_started: report.notStarted.length,
  };
  const ms = Math.round(durationMs);
  const text = `${counts.completed} completed, ${counts.failed} failed, ` +
    `${counts.already_completed} already completed today, ${counts.before_run_hour} before the run hour`;
  if (report.outcome === "stopped") {
    logger.warn(
      `tick ${report.instant} stopped by a signal after ${ms} ms: ${text}; not started: ` +
        (report.notStarted.length > 0 ? report.notStarted.join(", ") : "none"),
      { event: "tick_stopped", tick: report.instant, duration_ms: ms, ...counts },
    );
    return;
  }
  logger.info(`tick ${report.instant} finished in ${ms} ms: ${text}`, {
    event: "tick_finished",
    tick: report.instant,
    duration_ms: ms,
    ...counts,
  });
}

/** Logs a tick that did nothing because the previous one was still working. */
export function logTickOverlap(logger: Logger, report: TickReport): void {
  logger.warn(`tick ${report.instant} skipped: the previous tick is still running`, {
    event: "tick_skipped",
    tick: report.instant,
  });
}
