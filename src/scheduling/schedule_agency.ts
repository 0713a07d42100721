import type { EnvSettings } from "../config/env.ts";
import { loadAgencyConfig } from "../config/load_config.ts";
import { runAgency, type RunPhase } from "./run_agency.ts";
import type { RunSummary } from "./run_summary.ts";

/** Options of `scheduleAgency`. */
export interface ScheduleOptions {
  /** Pins the plan's date; otherwise the date in the agency's time zone at `now`. */
  today?: Temporal.PlainDate;
  now: Temporal.Instant;
  dryRun?: boolean;
  /** Use this org database instead of the agency's `db_path`. */
  dbPath?: string;
  onProgress?: (contactsRead: number) => void;
  onPhase?: (phase: RunPhase) => void;
}

/**
 * Loads one agency's configuration (read once at start) and runs the scheduler on its database.
 * Throws a SchedulerError for configuration errors (exit code 2) and failed runs (exit code 1).
 */
export function scheduleAgency(
  env: EnvSettings,
  orgId: number,
  options: ScheduleOptions,
): RunSummary {
  const { now, dryRun, dbPath, onProgress, onPhase } = options;
  const config = loadAgencyConfig(env, orgId, { dbPath });
  const today = options.today ?? now.toZonedDateTimeISO(config.timezone).toPlainDate();
  return runAgency(config, { today, dryRun, startedAt: now, onProgress, onPhase });
}
