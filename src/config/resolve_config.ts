import { CATCH_UP_SPREAD_DAYS, OVERAGE_THRESHOLD } from "./constants.ts";
import { dailyCap, effectiveEdLimit, profileByName, profileForContactCount } from "./profiles.ts";
import type { OrganizationRow } from "./organization_schema.ts";
import type { ConfigOverrides } from "./overrides.ts";
import type { AgencyConfig, ValueSource } from "./agency_config.ts";
import type { StateCode } from "../rules/states.ts";

/** Everything `resolveConfig` combines. */
export interface ConfigInput {
  organization: OrganizationRow;
  overrides: ConfigOverrides;
  stateBufferDays: Partial<Record<StateCode, number>>;
  contactCount: number;
  dbPath: string;
  /** Source of `dbPath`: the `db_path` column (default), the path template, or a `--db` flag. */
  dbPathSource?: "column" | "environment" | "command line";
}

/**
 * Combines system constants, profile presets, organization columns, JSON overrides and state
 * buffers, later wins, into one frozen configuration that records the source of each value.
 */
export function resolveConfig(input: ConfigInput): AgencyConfig {
  const { organization: org, overrides, stateBufferDays, contactCount, dbPath } = input;
  const sources: Record<string, ValueSource> = {};

  const profile = org.size_profile === "auto"
    ? profileForContactCount(contactCount)
    : profileByName(org.size_profile);
  sources.profile = org.size_profile === "auto" ? "computed" : "column";

  function pick(key: keyof ConfigOverrides, base: number, baseSource: ValueSource): number {
    const override = overrides[key];
    sources[key] = override === undefined ? baseSource : "override";
    return override ?? base;
  }
  const dailySendPercentageCap = pick(
    "daily_send_percentage_cap",
    profile.dailySendPercentageCap,
    "profile",
  );
  const edDailySoftLimit = pick("ed_daily_soft_limit", profile.edDailySoftLimit, "profile");
  const batchSize = pick("batch_size", profile.batchSize, "profile");
  const edSmoothingWindowDays = pick(
    "ed_smoothing_window_days",
    profile.edSmoothingWindowDays,
    "profile",
  );
  const catchUpSpreadDays = pick("catch_up_spread_days", CATCH_UP_SPREAD_DAYS, "constant");
  const overageThreshold = pick("overage_threshold", OVERAGE_THRESHOLD, "constant");

  const cap = dailyCap(contactCount, dailySendPercentageCap);
  const edLimit = effectiveEdLimit(cap, edDailySoftLimit);
  sources.daily_cap = "computed";
  sources.ed_daily_limit = "computed";
  sources.contacts_with_email = "computed";
  for (const column of COLUMN_BACKED_KEYS) sources[column] = "column";
  sources.db_path = input.dbPathSource ?? "column";
  for (const state of Object.keys(stateBufferDays)) {
    sources[`pre_exclusion_buffer_days.${state}`] = "state buffer";
  }

  const hour = String(org.send_time_hour).padStart(2, "0");
  const minute = String(org.send_time_minute).padStart(2, "0");
  return deepFreeze({
    orgId: org.id,
    name: org.name,
    active: org.active === 1,
    dbPath,
    timezone: org.timezone,
    enablePostWindowEmails: org.enable_post_window_emails === 1,
    effectiveDateFirstEmailMonths: org.effective_date_first_email_months,
    excludeFailedUnderwritingGlobal: org.exclude_failed_underwriting_global === 1,
    sendWithoutZipcodeForUniversal: org.send_without_zipcode_for_universal === 1,
    birthdayDaysBefore: org.birthday_days_before,
    effectiveDateDaysBefore: org.effective_date_days_before,
    sendTime: `${hour}:${minute}:00`,
    maxEmailsPerPeriod: org.max_emails_per_period,
    frequencyPeriodDays: org.frequency_period_days,
    aepMonth: org.aep_month,
    aepDay: org.aep_day,
    preExclusionBufferDays: org.pre_exclusion_buffer_days,
    stateBufferDays: { ...stateBufferDays },
    sizeProfileSetting: org.size_profile,
    profile: profile.name,
    contactCount,
    dailySendPercentageCap,
    edDailySoftLimit,
    batchSize,
    edSmoothingWindowDays,
    catchUpSpreadDays,
    overageThreshold,
    dailyCap: cap,
    edDailyLimit: edLimit,
    sources,
  });
}

/** Settings that come straight from an `organizations` column. */
const COLUMN_BACKED_KEYS = [
  "name",
  "active",
  "db_path",
  "timezone",
  "enable_post_window_emails",
  "effective_date_first_email_months",
  "exclude_failed_underwriting_global",
  "send_without_zipcode_for_universal",
  "birthday_days_before",
  "effective_date_days_before",
  "send_time",
  "max_emails_per_period",
  "frequency_period_days",
  "aep_month",
  "aep_day",
  "pre_exclusion_buffer_days",
  "size_profile",
];

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) {
    if (typeof inner === "object" && inner !== null) deepFreeze(inner);
  }
  return Object.freeze(value);
}
