import { SchedulerError } from "../errors.ts";
import { loadEnv } from "../config/env.ts";
import type { Command, CommandContext } from "./command.ts";
import { consoleOutput, type Output } from "./output.ts";
import { configCommand } from "./commands/config.ts";
import { migrateCommand } from "./commands/migrate.ts";
import { scheduleCommand } from "./commands/schedule.ts";
import { generateCommand } from "./commands/generate.ts";
import { demoCommand } from "./commands/demo.ts";
import { cronCommand } from "./commands/cron.ts";
import { explainCommand } from "./commands/explain.ts";

/** Every subcommand, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  scheduleCommand,
  migrateCommand,
  configCommand,
  explainCommand,
  generateCommand,
  demoCommand,
  cronCommand,
];

/** Options for `main`; tests replace the output, environment and clock. */
export interface MainOptions {
  output?: Output;
  env?: CommandContext["env"];
  now?: () => Temporal.Instant;
  signal?: AbortSignal;
}

/**
 * Runs one subcommand and returns the exit code: 0 success, 1 a run failed, 2 a usage or
 * configuration error. Expected failures print one line; anything else is a bug and keeps its
 * stack trace.
 */
export async function main(args: string[], options: MainOptions = {}): Promise<number> {
  const { output = consoleOutput, now = () => Temporal.Now.instant() } = options;
  const [name, ...rest] = args;

  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    printOverview(output);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command === undefined) {
    output.error(`Unknown command: ${JSON.stringify(name)}; run with --help to list commands`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    printHelp(output, command);
    return 0;
  }

  try {
    const env = options.env ?? loadEnv();
    const signal = options.signal ?? new AbortController().signal;
    return await command.run(rest, { env, output, now, signal });
  } catch (error) {
    if (error instanceof SchedulerError) {
      output.error(`error: ${error.message}`);
      return error.exitCode;
    }
    throw error;
  }
}

function printOverview(output: Output): void {
  output.print("medigap-scheduler: plan each contact's marketing emails around state exclusion");
  output.print("windows, for every agency, every day.");
  output.print("");
  output.print("Usage: deno task <command> [arguments]");
  output.print("   or: deno run -A --unstable-cron main.ts <command> [arguments]");
  output.print("");
  const width = Math.max(...COMMANDS.map((command) => command.usage.length));
  for (const command of COMMANDS) {
    output.print(`  ${command.usage.padEnd(width)}  ${command.summary}`);
  }
  output.print("");
  output.print("Run a command with --help for its options. Exit codes: 0 success, 1 a run failed,");
  output.print("2 a usage or configuration error.");
}

function printHelp(output: Output, command: Command): void {
  output.print(`Usage: ${command.usage}`);
  output.print("");
  output.print(command.summary);
  output.print("");
  for (const line of command.help) output.print(line);
}
