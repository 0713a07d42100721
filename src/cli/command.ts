import type { EnvSettings } from "../config/env.ts";
import type { Output } from "./output.ts";

/** Context that every command receives from the CLI edge. */
export interface CommandContext {
  env: EnvSettings;
  output: Output;
  /** Current instant; tests pin it. */
  now(): Temporal.Instant;
  /** Aborted on SIGINT or SIGTERM: long commands stop between agencies. */
  signal: AbortSignal;
}

/** A subcommand of `main.ts`. */
export interface Command {
  name: string;
  usage: string;
  summary: string;
  help: string[];
  /** Runs the command and returns its exit code: 0 success, 1 a run failed, 2 usage error. */
  run(args: string[], context: CommandContext): number | Promise<number>;
}
