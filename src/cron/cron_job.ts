import type { EnvSettings } from "../config/env.ts";
import { openCentral } from "../db/central.ts";
import { SchedulerError } from "../errors.ts";
import type { Logger } from "./logger.ts";
import { createTickState, runTick, type TickState } from "./tick.ts";

/** The name of the one `Deno.cron` job, as Deno Deploy's dashboard would show it. */
export const CRON_JOB_NAME = "medigap-scheduler daily runs";

/**
 * Every 15 minutes. Deno.cron reads cron strings in UTC, and the tick itself works out each
 * agency's local time. An agency's run starts within 15 minutes after its run hour, plus the time
 * that the agencies before it in the same tick take.
 */
export const CRON_SCHEDULE = "*/15 * * * *";

/** A stop signal that SIGINT and SIGTERM abort, and the way to stop listening for them. */
export interface StopSignals {
  signal: AbortSignal;
  /** Removes the signal listeners, so that the process can exit. */
  dispose(): void;
}

/**
 * Listens for SIGINT and SIGTERM (only SIGINT on Windows, where Deno cannot listen for SIGTERM)
 * and aborts the returned signal on the first one, or when `parent` aborts. The listeners replace
 * Deno's default of exiting at once, so the agency that is running finishes its transaction first.
 */
export function listenForStopSignals(options: {
  logger: Logger;
  parent?: AbortSignal;
}): StopSignals {
  const { logger, parent } = options;
  const controller = new AbortController();
  const names: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];

  const listeners = names.map((name) => {
    const listener = () => {
      if (controller.signal.aborted) {
        logger.warn(`received ${name} again: still stopping`, {
          event: "stop_requested",
          signal: name,
        });
        return;
      }
      logger.info(`received ${name}: stopping once the running agency, if any, has finished`, {
        event: "stop_requested",
        signal: name,
      });
      controller.abort();
    };
    Deno.addSignalListener(name, listener);
    return { name, listener };
  });
  const forwardAbort = () => controller.abort();
  if (parent?.aborted) controller.abort();
  else parent?.addEventListener("abort", forwardAbort, { once: true });

  return {
    signal: controller.signal,
    dispose() {
      for (const { name, listener } of listeners) Deno.removeSignalListener(name, listener);
      parent?.removeEventListener("abort", forwardAbort);
    },
  };
}

/** Options of `runCronService`. */
export interface CronServiceOptions {
  logger: Logger;
  /** The clock that each tick reads once, at its start. */
  now: () => Temporal.Instant;
  /** Aborting it deregisters the job, waits for a running tick to finish, then returns. */
  signal: AbortSignal;
}

/**
 * Registers the one `Deno.cron` job and keeps it running until `signal` aborts. Returns exit code
 * 0 after a clean stop. Throws a SchedulerError at start-up when the central database is missing or
 * not migrated, so a wrong path fails now rather than at the first tick.
 */
export async function runCronService(
  env: EnvSettings,
  options: CronServiceOptions,
): Promise<number> {
  const { logger, now, signal } = options;
  openCentral(env.CENTRAL_DB_PATH).close();
  if (signal.aborted) {
    logger.info("cron stopped before its registration", { event: "cron_stopped" });
    return 0;
  }

  const state = createTickState();
  const ticks = new Set<Promise<void>>();
  // The handler returns at once instead of waiting for the tick. Deno.cron would otherwise skip an
  // overlapping tick without a word, while runTick logs it.
  const startTick = () => {
    const tick = tickAndLogErrors(env, now(), { logger, state, signal });
    ticks.add(tick);
    tick.finally(() => ticks.delete(tick));
  };
  const registration = Deno.cron(CRON_JOB_NAME, CRON_SCHEDULE, { signal }, startTick);

  const hour = String(env.SCHEDULER_RUN_HOUR).padStart(2, "0");
  logger.info(
    `cron registered: "${CRON_SCHEDULE}" (UTC); each active agency runs once a day after ${hour}:00 ` +
      `in its time zone; central database ${env.CENTRAL_DB_PATH}`,
    {
      event: "cron_registered",
      schedule: CRON_SCHEDULE,
      run_hour: env.SCHEDULER_RUN_HOUR,
      central_db_path: env.CENTRAL_DB_PATH,
    },
  );

  await registration;
  await Promise.all(ticks);
  logger.info("cron stopped", { event: "cron_stopped" });
  return 0;
}

/**
 * Runs one tick and logs an error that ends it, such as an unreadable central database, so the
 * service keeps running and tries again at the next tick.
 */
async function tickAndLogErrors(
  env: EnvSettings,
  now: Temporal.Instant,
  options: { logger: Logger; state: TickState; signal: AbortSignal },
): Promise<void> {
  const { logger } = options;
  const tick = now.toString({ smallestUnit: "millisecond" });
  try {
    await runTick(env, now, options);
  } catch (error) {
    const expected = error instanceof SchedulerError;
    const message = error instanceof Error ? error.message : String(error);
    logger.error(
      `tick ${tick} failed${expected ? "" : " with an unexpected error (a bug)"}: ${message}`,
      {
        event: "tick_failed",
        tick,
        error: message,
        ...(expected || !(error instanceof Error) ? {} : { stack: error.stack ?? null }),
      },
    );
  }
}
