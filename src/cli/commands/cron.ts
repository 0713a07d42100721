import type { Command } from "../command.ts";
import { parseFlags } from "../args.ts";
import { SchedulerError } from "../../errors.ts";
import { Logger } from "../../cron/logger.ts";
import { runTick } from "../../cron/tick.ts";
import { CRON_SCHEDULE, listenForStopSignals, runCronService } from "../../cron/cron_job.ts";

export const cronCommand: Command = {
  name: "cron",
  usage: "cron [--tick-at INSTANT]",
  summary: "Run every active agency once a day after its run hour, until stopped (Deno.cron).",
  help: [
    `Registers one Deno.cron job that ticks at "${CRON_SCHEDULE}" (every 15 minutes, UTC) and`,
    "keeps running. Each tick schedules, one after another, every active agency whose local time",
    "has passed SCHEDULER_RUN_HOUR (default 5) and that has no completed run for its local today.",
    "A failing agency is logged and retried at the next tick; the others go on. SIGINT or SIGTERM",
    "lets the running agency finish its transaction, starts no other, and exits with code 0.",
    "Logs go to stdout, one line per event: text, or JSON lines with LOG_FORMAT=json.",
    "",
    "  --tick-at INSTANT  run exactly one tick as if the clock read INSTANT (ISO-8601 with an",
    "                     offset, such as 2026-03-06T11:00:00Z), then exit: 0 when every due",
    "                     agency completed, 1 when any failed or a signal stopped the tick",
  ],
  async run(args, context) {
    const { values, positionals } = parseFlags("cron", args, { "tick-at": { type: "string" } });
    if (positionals.length > 0) {
      throw new SchedulerError(
        `Invalid arguments for cron: unexpected argument ${
          JSON.stringify(positionals[0])
        }; see --help`,
      );
    }
    const tickAt = parseInstantFlag(values["tick-at"]);
    if (tickAt === undefined && typeof Deno.cron !== "function") {
      throw new SchedulerError(
        "Cannot start cron: Deno.cron needs the --unstable-cron flag; run it with deno task cron",
      );
    }
    const { env, output } = context;
    const logger = new Logger({
      format: env.LOG_FORMAT,
      write: (line) => output.print(line),
      now: context.now,
    });

    const stop = listenForStopSignals({ logger, parent: context.signal });
    try {
      if (tickAt === undefined) {
        return await runCronService(env, { logger, now: context.now, signal: stop.signal });
      }
      const report = await runTick(env, tickAt, { logger, signal: stop.signal });
      return report.failed.length > 0 || report.outcome === "stopped" ? 1 : 0;
    } finally {
      stop.dispose();
    }
  },
};

/** Parses `--tick-at` into an instant; undefined when the flag is absent. */
function parseInstantFlag(text: string | undefined): Temporal.Instant | undefined {
  if (text === undefined) return undefined;
  try {
    return Temporal.Instant.from(text);
  } catch (error) {
    throw new SchedulerError(
      `Invalid arguments for cron: --tick-at must be an ISO-8601 instant with an offset, such as 2026-03-06T11:00:00Z: ${
        JSON.stringify(text)
      }`,
      { cause: error },
    );
  }
}
