import { z } from "zod";
import { PROFILE_NAMES } from "./profiles.ts";

/** Size profile setting of an agency: a profile name, or `auto` to choose by contact count. */
export const SIZE_PROFILE_SETTINGS = ["auto", ...PROFILE_NAMES] as const;
export type SizeProfileSetting = typeof SIZE_PROFILE_SETTINGS[number];

function integerBetween(min: number, max: number) {
  return {
    schema: z.int().min(min).max(max),
    rule: `must be an integer from ${min} to ${max}`,
  };
}

const FLAG = { schema: z.union([z.literal(0), z.literal(1)]), rule: "must be 0 or 1" };

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * Columns of `organizations` that the scheduler reads, each with its zod schema and the rule that
 * error messages quote. Bounds are the widest values an operator could mean. Anything else is a
 * typo, which must stop the run rather than send emails on a wrong day.
 */
export const ORGANIZATION_COLUMNS = {
  id: { schema: z.int().positive(), rule: "must be a positive integer" },
  name: { schema: z.string().min(1), rule: "must be non-empty text" },
  active: FLAG,
  // An empty db_path means the same as NULL: the path comes from ORG_DB_PATH_TEMPLATE.
  db_path: {
    schema: z.string().nullable().transform((path) => path === "" ? null : path),
    rule: "must be a file path or NULL",
  },
  enable_post_window_emails: FLAG,
  effective_date_first_email_months: integerBetween(0, 240),
  exclude_failed_underwriting_global: FLAG,
  send_without_zipcode_for_universal: FLAG,
  pre_exclusion_buffer_days: integerBetween(0, 365),
  birthday_days_before: integerBetween(0, 365),
  effective_date_days_before: integerBetween(0, 365),
  send_time_hour: integerBetween(0, 23),
  send_time_minute: integerBetween(0, 59),
  timezone: {
    schema: z.string().refine(isTimeZone),
    rule: "must be an IANA time zone such as America/Chicago",
  },
  max_emails_per_period: integerBetween(1, 1000),
  frequency_period_days: integerBetween(1, 366),
  size_profile: {
    schema: z.enum(SIZE_PROFILE_SETTINGS),
    rule: `must be one of ${SIZE_PROFILE_SETTINGS.join(", ")}`,
  },
  config_overrides: { schema: z.string().nullable(), rule: "must be JSON text or NULL" },
  aep_month: integerBetween(1, 12),
  aep_day: integerBetween(1, 31),
} as const;

export type OrganizationColumn = keyof typeof ORGANIZATION_COLUMNS;

/** A validated `organizations` row. */
export type OrganizationRow = {
  -readonly [K in OrganizationColumn]: z.infer<typeof ORGANIZATION_COLUMNS[K]["schema"]>;
};

/** Names of the columns, in table order. */
export const ORGANIZATION_COLUMN_NAMES = Object.keys(ORGANIZATION_COLUMNS) as OrganizationColumn[];
