import type { Command } from "../command.ts";
import { expectPositionals, parseFlags } from "../args.ts";
import { generateAgency } from "../generate_agency.ts";
import { scheduleCommand } from "./schedule.ts";
import { openDatabase } from "../../db/sqlite.ts";
import { orgDatabasePath } from "../../db/organizations.ts";
import { SchedulerError } from "../../errors.ts";

/** The demo agency's id and size. */
export const DEMO_ORG_ID = 206;
export const DEMO_CONTACTS = 5_000;

export const demoCommand: Command = {
  name: "demo",
  usage: "demo [--json]",
  summary: "Generate a 5,000-contact agency 206 if missing, then run schedule 206 on it.",
  help: [
    "Uses CENTRAL_DB_PATH and ORG_DB_PATH_TEMPLATE (default ./data/). The agency is generated with",
    "seed 1 the first time; later runs reuse it, so a second demo on the same day changes no row.",
    "",
    "  --json   print the schedule summary as JSON",
  ],
  run(args, context) {
    const { values, positionals } = parseFlags("demo", args, { json: { type: "boolean" } });
    expectPositionals("demo", positionals, []);
    if (!demoAgencyExists(context.env.CENTRAL_DB_PATH, context.env.ORG_DB_PATH_TEMPLATE)) {
      const today = context.now().toZonedDateTimeISO("America/Chicago").toPlainDate();
      const result = generateAgency(context.env, DEMO_ORG_ID, {
        contacts: DEMO_CONTACTS,
        seed: 1,
        today,
      });
      context.output.print(
        `organization ${DEMO_ORG_ID}: generated ${result.summary.total} contacts in ${result.dbPath}`,
      );
    }
    return scheduleCommand.run([String(DEMO_ORG_ID), ...(values.json ? ["--json"] : [])], context);
  },
};

/**
 * Returns whether the demo agency is ready to schedule. When agency 206 exists in the central
 * database but its database file does not, this is not the demo's data, so demo stops rather than
 * filling another agency's database path with generated contacts.
 */
function demoAgencyExists(centralPath: string, template: string): boolean {
  try {
    Deno.statSync(centralPath);
  } catch {
    return false;
  }
  const central = openDatabase(centralPath, { readOnly: true, label: "central database" });
  let path: string | undefined;
  try {
    const hasTable = central.prepare(
      "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'organizations'",
    ).get() !== undefined;
    path = hasTable ? orgDatabasePath(central, DEMO_ORG_ID, template) : undefined;
  } finally {
    central.close();
  }
  if (path === undefined) return false;
  try {
    return Deno.statSync(path).isFile;
  } catch {
    throw new SchedulerError(
      `Cannot run demo: organization ${DEMO_ORG_ID} exists in ${centralPath} but its database file is missing: ${path}; use another CENTRAL_DB_PATH for the demo`,
    );
  }
}
