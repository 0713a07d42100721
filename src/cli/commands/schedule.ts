import type { Command, CommandContext } from "../command.ts";
import { expectPositionals, parseFlags, parseOrgId, parseTodayFlag } from "../args.ts";
import { SchedulerError } from "../../errors.ts";
import { scheduleAgency } from "../../scheduling/schedule_agency.ts";
import { formatSummary } from "../format_summary.ts";
import { openCentral } from "../../db/central.ts";
import { listOrganizations } from "../../db/central.ts";
import { listenForStopSignals } from "../../cron/cron_job.ts";
import { Logger } from "../../cron/logger.ts";

export const scheduleCommand: Command = {
  name: "schedule",
  usage: "schedule <org-id> | --all [--db PATH] [--today DATE] [--dry-run] [--json] [--verbose]",
  summary: "Plan an agency's emails and write them to its database (the main job).",
  help: [
    "Plans birthday, effective-date, AEP and post-window emails for every contact of the agency,",
    "skips dates inside state exclusion windows, balances daily volume, applies the frequency",
    "limit and reconciles email_schedules in one transaction. Prints a summary.",
    "",
    "  --all            schedule every active agency, one after another; exit code 1 if any failed",
    "  --db PATH        use this org database instead of the agency's db_path",
    "  --today DATE     plan as if today were DATE (YYYY-MM-DD); default: today in the agency's",
    "                   time zone",
    "  --dry-run        compute and report, then roll back: nothing is written",
    "  --json           print the summary as JSON",
    "  --verbose        print each phase of the run on stderr (also shown on a terminal)",
  ],
  run(args, context) {
    const { values, positionals } = parseFlags("schedule", args, {
      all: { type: "boolean" },
      db: { type: "string" },
      today: { type: "string" },
      "dry-run": { type: "boolean" },
      json: { type: "boolean" },
      verbose: { type: "boolean" },
    });
    const today = parseTodayFlag("schedule", values.today);
    const options = {
      today,
      dryRun: values["dry-run"] ?? false,
      json: values.json ?? false,
      verbose: values.verbose ?? false,
    };
    if (values.all) {
      if (positionals.length > 0 || values.db !== undefined) {
        throw new SchedulerError(
          "Invalid arguments for schedule: --all takes no <org-id> and no --db",
        );
      }
      return scheduleAll(context, options);
    }
    expectPositionals("schedule", positionals, ["<org-id>"]);
    const orgId = parseOrgId("schedule", positionals[0]);
    scheduleOne(context, orgId, { ...options, dbPath: values.db });
    return 0;
  },
};

interface Options {
  today: Temporal.PlainDate | undefined;
  dryRun: boolean;
  json: boolean;
  verbose: boolean;
  dbPath?: string;
}

function scheduleOne(context: CommandContext, orgId: number, options: Options): void {
  const { output } = context;
  const showProgress = output.interactive || options.verbose;
  const onProgress = showProgress
    ? (count: number) => output.error(`organization ${orgId}: ${count} contacts read`)
    : undefined;
  const onPhase = showProgress
    ? (phase: string) => output.error(`organization ${orgId}: ${phase}`)
    : undefined;
  const summary = scheduleAgency(context.env, orgId, {
    ...options,
    now: context.now(),
    onProgress,
    onPhase,
  });
  if (options.json) output.print(JSON.stringify(summary));
  else for (const line of formatSummary(summary)) output.print(line);
}

/**
 * Schedules every active agency, one after another. SIGINT or SIGTERM stops the loop once the
 * running agency has committed or rolled back; the agencies not started are listed.
 */
async function scheduleAll(context: CommandContext, options: Options): Promise<number> {
  const central = openCentral(context.env.CENTRAL_DB_PATH);
  let agencies;
  try {
    agencies = listOrganizations(central).filter((agency) => agency.active);
  } finally {
    central.close();
  }

  const logger = new Logger({
    format: context.env.LOG_FORMAT,
    write: (line) => context.output.error(line),
    now: context.now,
  });
  const stop = listenForStopSignals({ logger, parent: context.signal });
  const failed: number[] = [];
  try {
    for (const [index, agency] of agencies.entries()) {
      // Runs are synchronous, so yield once to let a pending signal reach its listener.
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (stop.signal.aborted) {
        const rest = agencies.slice(index).map((skipped) => skipped.id).join(", ");
        context.output.error(`stopped by a signal; agencies not started: ${rest}`);
        return 1;
      }
      try {
        scheduleOne(context, agency.id, options);
      } catch (error) {
        if (!(error instanceof SchedulerError)) throw error;
        context.output.error(`error: ${error.message}`);
        failed.push(agency.id);
      }
    }
  } finally {
    stop.dispose();
  }
  if (agencies.length === 0) context.output.error("no active agencies in the central database");
  if (failed.length > 0) {
    context.output.error(
      `${failed.length} of ${agencies.length} agencies failed: ${failed.join(", ")}`,
    );
    return 1;
  }
  if (agencies.length > 0) context.output.error(`all ${agencies.length} agencies scheduled`);
  return 0;
}
