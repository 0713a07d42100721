import { parseArgs, type ParseArgsConfig } from "node:util";
import { z } from "zod";
import { SchedulerError } from "../errors.ts";
import { parseIsoDay } from "../rules/days.ts";

/** Parses flags with node:util, turning its errors into a usage error for `command`. */
export function parseFlags<T extends ParseArgsConfig["options"]>(
  command: string,
  args: string[],
  options: T,
) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new SchedulerError(`Invalid arguments for ${command}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Rejects positional arguments beyond the `names` a command takes. */
export function expectPositionals(command: string, positionals: string[], names: string[]): void {
  if (positionals.length > names.length) {
    const extra = positionals.slice(names.length).map((text) => JSON.stringify(text)).join(", ");
    const takes = names.length === 0 ? "no arguments" : names.join(" ");
    throw new SchedulerError(
      `Invalid arguments for ${command}: unexpected ${extra} (it takes ${takes}); see --help`,
    );
  }
}

const ORG_ID = z.string().regex(/^\d{1,12}$/).transform(Number).pipe(z.int().positive());

/** Parses an agency id argument. */
export function parseOrgId(command: string, text: string | undefined): number {
  if (text === undefined) {
    throw new SchedulerError(`Invalid arguments for ${command}: missing <org-id>; see --help`);
  }
  const result = ORG_ID.safeParse(text);
  if (!result.success) {
    throw new SchedulerError(
      `Invalid arguments for ${command}: org-id must be a positive integer: ${
        JSON.stringify(text)
      }`,
    );
  }
  return result.data;
}

/** Parses a positive integer argument such as a contact id or a count. */
export function parsePositiveInteger(command: string, name: string, text: string | undefined) {
  if (text === undefined) {
    throw new SchedulerError(`Invalid arguments for ${command}: ${name} is missing; see --help`);
  }
  const result = ORG_ID.safeParse(text);
  if (!result.success) {
    throw new SchedulerError(
      `Invalid arguments for ${command}: ${name} must be a positive integer: ${
        JSON.stringify(text ?? null)
      }`,
    );
  }
  return result.data;
}

/** Parses `--today YYYY-MM-DD` into a PlainDate; undefined when the flag is absent. */
export function parseTodayFlag(
  command: string,
  text: string | undefined,
): Temporal.PlainDate | undefined {
  if (text === undefined) return undefined;
  if (parseIsoDay(text) === undefined) {
    throw new SchedulerError(
      `Invalid arguments for ${command}: --today must be a real calendar date as YYYY-MM-DD: ${
        JSON.stringify(text)
      }`,
    );
  }
  return Temporal.PlainDate.from(text);
}
