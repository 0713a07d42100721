import { z } from "zod";
import { SchedulerError } from "../errors.ts";

/** Environment variables the program reads, with their defaults. `.env.example` documents them. */
export const ENV_DEFAULTS = Object.freeze({
  CENTRAL_DB_PATH: "./data/central.sqlite3",
  ORG_DB_PATH_TEMPLATE: "./data/org-{id}.sqlite3",
  SCHEDULER_RUN_HOUR: 5,
  LOG_FORMAT: "text" as "text" | "json",
});

const ENV_SCHEMA = z.object({
  CENTRAL_DB_PATH: z.string().min(1).default(ENV_DEFAULTS.CENTRAL_DB_PATH),
  // Without {id} every agency would share one database file.
  ORG_DB_PATH_TEMPLATE: z.string().includes("{id}").default(ENV_DEFAULTS.ORG_DB_PATH_TEMPLATE),
  SCHEDULER_RUN_HOUR: z.coerce.number().int().min(0).max(23).default(
    ENV_DEFAULTS.SCHEDULER_RUN_HOUR,
  ),
  LOG_FORMAT: z.enum(["text", "json"]).default(ENV_DEFAULTS.LOG_FORMAT),
});

/** Validated environment settings. */
export type EnvSettings = Readonly<z.infer<typeof ENV_SCHEMA>>;

const ENV_RULES: Record<keyof EnvSettings, string> = {
  CENTRAL_DB_PATH: "must be a file path",
  ORG_DB_PATH_TEMPLATE: "must be a file path, with {id} for the agency id",
  SCHEDULER_RUN_HOUR: "must be an hour from 0 to 23",
  LOG_FORMAT: "must be text or json",
};

/** Validates environment variables (empty values count as unset). */
export function parseEnv(source: Record<string, string | undefined>): EnvSettings {
  const values: Record<string, string> = {};
  for (const key of Object.keys(ENV_RULES)) {
    const value = source[key];
    if (value !== undefined && value !== "") values[key] = value;
  }
  const result = ENV_SCHEMA.safeParse(values);
  if (!result.success) {
    const key = String(result.error.issues[0].path[0]) as keyof EnvSettings;
    throw new SchedulerError(
      `Invalid environment variable (from the environment or .env): ${key} ${ENV_RULES[key]}: ${
        JSON.stringify(values[key])
      }`,
    );
  }
  return Object.freeze(result.data);
}

/**
 * Reads `.env` when present (a missing file is fine) under the process environment: a variable
 * already set in the environment keeps its value, as `.env.example` documents.
 */
export function loadEnv(envFile = ".env"): EnvSettings {
  // Deno 2.9.6's process.loadEnvFile overwrites variables that are already set, so the values
  // from before are put back afterwards.
  const before = Deno.env.toObject();
  try {
    process.loadEnvFile(envFile);
    for (const [key, value] of Object.entries(before)) Deno.env.set(key, value);
  } catch (error) {
    if (
      (error as { code?: string }).code !== "ENOENT" && !(error instanceof Deno.errors.NotFound)
    ) {
      throw new SchedulerError(`Cannot read ${envFile}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  return parseEnv(Deno.env.toObject());
}
