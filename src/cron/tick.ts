import type { DatabaseSync } from "node:sqlite";
import type { EnvSettings } from "../config/env.ts";
import { loadAgencySettings } from "../config/load_config.ts";
import { type AgencyListing, listOrganizations, openCentral } from "../db/central.ts";
import { openOrgDatabase } from "../db/org.ts";
import { hasCompletedRun } from "../db/run_records.ts";
import { isBusyError, sqliteMessage } from "../db/sqlite.ts";
import { SchedulerError } from "../errors.ts";
import { scheduleAgency } from "../scheduling/schedule_agency.ts";
import { localRunDay } from "./local_run_day.ts";
import type { Logger } from "./logger.ts";
import {
  completedRun,
  emptyTickReport,
  logCompletedRun,
  logFailedRun,
  logTickEnd,
  logTickOverlap,
  type TickReport,
} from "./tick_report.ts";

/** State that consecutive ticks of one process share. */
export interface TickState {
  /** True while a tick is working, so that an overlapping tick does nothing. */
  running: boolean;
  /** Failed ticks in a row per agency id, so that a repeated failure shows its count. */
  consecutiveFailures: Map<number, number>;
}

/** Returns the state of a process that has not ticked yet. */
export function createTickState(): TickState {
  return { running: false, consecutiveFailures: new Map() };
}

/** Options of `runTick`. */
export interface TickOptions {
  logger: Logger;
  /** The state that the ticks of one process share. A fresh state when absent. */
  state?: TickState;
  /** Once aborted, the tick starts no further agency. */
  signal?: AbortSignal;
  /** Returns a monotonic time in milliseconds, for the durations in the log. */
  clock?: () => number;
}

/** The values that every agency visit of one tick shares. */
interface TickContext {
  env: EnvSettings;
  now: Temporal.Instant;
  central: DatabaseSync;
  report: TickReport;
  options: Required<Omit<TickOptions, "signal">> & { signal?: AbortSignal };
}

/**
 * Runs one tick as if the clock read `now`: schedules, one after another, every active agency whose
 * local time has passed `SCHEDULER_RUN_HOUR` and that has no completed run for its local today.
 * One agency's failure is logged and reported, and the tick goes on with the next agency. A tick
 * that starts while another one of the same state is working does nothing. Throws a
 * SchedulerError when the central database cannot be read, because then no agency can run.
 */
export async function runTick(
  env: EnvSettings,
  now: Temporal.Instant,
  options: TickOptions,
): Promise<TickReport> {
  const { logger, state = createTickState(), signal, clock = () => performance.now() } = options;
  const report = emptyTickReport(now);
  if (state.running) {
    report.outcome = "overlapped";
    logTickOverlap(logger, report);
    return report;
  }

  state.running = true;
  const started = clock();
  try {
    const central = openCentral(env.CENTRAL_DB_PATH);
    try {
      const agencies = listActiveAgencies(central);
      const context = { env, now, central, report, options: { logger, state, signal, clock } };
      for (const agency of agencies) {
        if (report.outcome === "stopped") report.notStarted.push(agency.id);
        else await visitAgency(context, agency);
      }
    } finally {
      central.close();
    }
    logTickEnd(logger, report, clock() - started);
    return report;
  } finally {
    state.running = false;
  }
}

/** Runs one agency when it is due, and records the outcome in the report. */
async function visitAgency(context: TickContext, agency: AgencyListing): Promise<void> {
  const { env, now, report, options } = context;
  const started = options.clock();
  let today: Temporal.PlainDate | undefined;
  try {
    const day = agencyRunDay(agency, now, env.SCHEDULER_RUN_HOUR);
    today = day.today;
    if (!day.runHourPassed) {
      report.beforeRunHour.push(agency.id);
      return;
    }
    const { dbPath } = loadAgencySettings(context.central, agency.id, { env });
    if (hasCompletedRunOn(dbPath, agency.id, today)) {
      report.alreadyCompleted.push(agency.id);
      return;
    }

    // Runs are synchronous, so a signal listener only gets its turn between agencies.
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (options.signal?.aborted) {
      report.outcome = "stopped";
      report.notStarted.push(agency.id);
      return;
    }

    const summary = scheduleAgency(env, agency.id, { now, today });
    const run = completedRun(summary, options.clock() - started);
    options.state.consecutiveFailures.delete(agency.id);
    report.completed.push(run);
    logCompletedRun(options.logger, run);
  } catch (error) {
    recordFailure(context, { orgId: agency.id, today, error });
  }
}

/**
 * Reports and logs one agency's failure. An error that is not a SchedulerError is a bug: it is
 * logged with its stack trace and counted as a failed run, so that one agency's bug does not stop
 * the schedule of every other agency.
 */
function recordFailure(
  context: TickContext,
  failure: { orgId: number; today: Temporal.PlainDate | undefined; error: unknown },
): void {
  const { orgId, today, error } = failure;
  const { state, logger } = context.options;
  const consecutiveFailures = (state.consecutiveFailures.get(orgId) ?? 0) + 1;
  state.consecutiveFailures.set(orgId, consecutiveFailures);

  const expected = error instanceof SchedulerError;
  const message = expected
    ? error.message
    : `unexpected error (a bug): ${error instanceof Error ? error.message : String(error)}`;
  const failed = {
    orgId,
    today: today?.toString() ?? null,
    message,
    exitCode: expected ? error.exitCode : 1 as const,
    consecutiveFailures,
  };
  context.report.failed.push(failed);
  logFailedRun(logger, failed, expected || !(error instanceof Error) ? undefined : error.stack);
}

/** Lists the active agencies in id order, turning a read error into a SchedulerError. */
function listActiveAgencies(central: DatabaseSync): AgencyListing[] {
  try {
    return listOrganizations(central).filter((agency) => agency.active);
  } catch (error) {
    throw new SchedulerError(
      `Cannot list organizations: central database: ${sqliteMessage(error)}`,
      {
        cause: error,
      },
    );
  }
}

/** Computes the agency's local day, turning an unknown time zone into a configuration error. */
function agencyRunDay(agency: AgencyListing, now: Temporal.Instant, runHour: number) {
  try {
    return localRunDay(now, { timezone: agency.timezone, runHour });
  } catch (error) {
    // The environment's schema already limits the run hour to 0–23, so a RangeError here comes
    // from the time zone.
    if (!(error instanceof RangeError)) throw error;
    throw new SchedulerError(
      `Cannot load organization ${agency.id}: timezone must be an IANA time zone such as America/Chicago: ${
        JSON.stringify(agency.timezone)
      }`,
      { cause: error },
    );
  }
}

/** Returns true when the agency's database records a completed run for `today`. */
function hasCompletedRunOn(dbPath: string, orgId: number, today: Temporal.PlainDate): boolean {
  const db = openOrgDatabase(dbPath, orgId, { readOnly: true });
  try {
    return hasCompletedRun(db, today);
  } catch (error) {
    const reason = isBusyError(error)
      ? "its database is locked by another run or writer; the next tick tries again"
      : sqliteMessage(error);
    throw new SchedulerError(`Cannot check the runs of organization ${orgId}: ${reason}`, {
      exitCode: 1,
      cause: error,
    });
  } finally {
    db.close();
  }
}
