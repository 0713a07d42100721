/** Builds agency configurations for unit tests without a database. */
import { resolveConfig } from "../../src/config/resolve_config.ts";
import type { AgencyConfig } from "../../src/config/agency_config.ts";
import type { OrganizationRow } from "../../src/config/organization_schema.ts";
import type { ConfigOverrides } from "../../src/config/overrides.ts";
import type { StateCode } from "../../src/rules/states.ts";

/** Returns an `organizations` row with every column at its migration default. */
export function defaultOrganization(id = 206): OrganizationRow {
  return {
    id,
    name: `Agency ${id}`,
    active: 1,
    db_path: null,
    enable_post_window_emails: 1,
    effective_date_first_email_months: 11,
    exclude_failed_underwriting_global: 0,
    send_without_zipcode_for_universal: 1,
    pre_exclusion_buffer_days: 60,
    birthday_days_before: 14,
    effective_date_days_before: 30,
    send_time_hour: 8,
    send_time_minute: 30,
    timezone: "America/Chicago",
    max_emails_per_period: 3,
    frequency_period_days: 30,
    size_profile: "auto",
    config_overrides: null,
    aep_month: 9,
    aep_day: 15,
  };
}

/** Returns a configuration with default columns, changed by `columns`, for `contactCount`. */
export function testConfig(options: {
  columns?: Partial<OrganizationRow>;
  overrides?: ConfigOverrides;
  stateBufferDays?: Partial<Record<StateCode, number>>;
  contactCount?: number;
} = {}): AgencyConfig {
  const { columns = {}, overrides = {}, stateBufferDays = {}, contactCount = 1000 } = options;
  return resolveConfig({
    organization: { ...defaultOrganization(), ...columns },
    overrides,
    stateBufferDays,
    contactCount,
    dbPath: ":memory:",
  });
}
