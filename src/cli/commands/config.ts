import type { Command } from "../command.ts";
import { expectPositionals, parseFlags, parseOrgId } from "../args.ts";
import { describeConfig } from "../agency.ts";
import { loadAgencyConfig } from "../../config/load_config.ts";
import {
  ED_DAILY_CAP_SHARE,
  FOLLOW_UP_DELAY_DAYS,
  FOLLOW_UP_LOOKBACK_DAYS,
  POST_WINDOW_DELAY_DAYS,
  PRIORITIES,
} from "../../config/constants.ts";

export const configCommand: Command = {
  name: "config",
  usage: "config <org-id> [--json]",
  summary: "Show an agency's effective configuration and where each value comes from.",
  help: [
    "Reads the agency's row and state buffers from the central database and counts its contacts",
    "with an email, then prints every effective value with its source: constant, profile, column,",
    "override, state buffer, environment or computed. Inactive agencies are shown too.",
    "",
    "  --json   print one JSON object instead of a table",
  ],
  run(args, context) {
    const { values, positionals } = parseFlags("config", args, { json: { type: "boolean" } });
    expectPositionals("config", positionals, ["<org-id>"]);
    const orgId = parseOrgId("config", positionals[0]);
    const config = loadAgencyConfig(context.env, orgId, { allowInactive: true });
    const entries = describeConfig(config);
    const constants = [
      { name: "ed_daily_cap_share", value: ED_DAILY_CAP_SHARE, source: "constant" },
      { name: "post_window_delay_days", value: POST_WINDOW_DELAY_DAYS, source: "constant" },
      { name: "follow_up_lookback_days", value: FOLLOW_UP_LOOKBACK_DAYS, source: "constant" },
      { name: "follow_up_delay_days", value: FOLLOW_UP_DELAY_DAYS, source: "constant" },
      ...Object.entries(PRIORITIES).map(([kind, value]) => ({
        name: `priority.${kind}`,
        value,
        source: "constant",
      })),
    ];

    if (values.json) {
      const asObject = Object.fromEntries(
        [...entries, ...constants].map(({ name, value, source }) => [name, { value, source }]),
      );
      context.output.print(JSON.stringify({ org_id: orgId, config: asObject }, null, 2));
      return 0;
    }
    context.output.print(`Organization ${orgId}: effective configuration`);
    const width = Math.max(...[...entries, ...constants].map((entry) => entry.name.length));
    for (const { name, value, source } of [...entries, ...constants]) {
      context.output.print(`  ${name.padEnd(width)}  ${displayValue(value).padEnd(24)}  ${source}`);
    }
    return 0;
  },
};

function displayValue(value: unknown): string {
  if (value === true) return "yes";
  if (value === false) return "no";
  return String(value);
}
