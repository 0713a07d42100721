import type { Command } from "../command.ts";
import {
  expectPositionals,
  parseFlags,
  parseOrgId,
  parsePositiveInteger,
  parseTodayFlag,
} from "../args.ts";
import { generateAgency } from "../generate_agency.ts";
import { SchedulerError } from "../../errors.ts";

export const generateCommand: Command = {
  name: "generate",
  usage: "generate <org-id> --contacts N [--seed S] [--today DATE]",
  summary: "Create a realistic synthetic agency: central row and org database.",
  help: [
    "Adds the agency to the central database (created when missing) unless its id exists, and",
    "fills a new org database with N generated contacts: a state mix like the 65+ population,",
    "ages 65 to 95, effective dates mostly on the 1st of a month, and a few percent of bad rows.",
    "",
    "  --contacts N   number of contacts, 1 to 5,000,000",
    "  --seed S       seed of the generator (default 1); the same seed gives the same contacts",
    "  --today DATE   date the ages and effective dates are relative to (default: today, UTC)",
  ],
  run(args, context) {
    const { values, positionals } = parseFlags("generate", args, {
      contacts: { type: "string" },
      seed: { type: "string" },
      today: { type: "string" },
    });
    expectPositionals("generate", positionals, ["<org-id>"]);
    const orgId = parseOrgId("generate", positionals[0]);
    const contacts = parsePositiveInteger("generate", "--contacts", values.contacts);
    if (contacts > 5_000_000) {
      throw new SchedulerError(
        `Invalid arguments for generate: --contacts must be at most 5000000: ${contacts}`,
      );
    }
    const seed = values.seed === undefined
      ? 1
      : parsePositiveInteger("generate", "--seed", values.seed);
    const today = parseTodayFlag("generate", values.today) ??
      context.now().toZonedDateTimeISO("UTC").toPlainDate();

    const { output } = context;
    const onProgress = output.interactive
      ? (inserted: number, total: number) => output.error(`generated ${inserted} of ${total}`)
      : undefined;
    const result = generateAgency(context.env, orgId, { contacts, seed, today, onProgress });
    output.print(
      `organization ${orgId}: generated ${result.summary.total} contacts in ${result.dbPath}${
        result.created ? " (agency added to the central database)" : ""
      }`,
    );
    return 0;
  },
};
