import type { AgencyConfig } from "../config/agency_config.ts";

/** Lists configuration entries for printing: name, value and source. */
export function describeConfig(
  config: AgencyConfig,
): Array<{ name: string; value: unknown; source: string }> {
  const values: Array<[string, unknown]> = [
    ["name", config.name],
    ["active", config.active],
    ["db_path", config.dbPath],
    ["timezone", config.timezone],
    ["contacts_with_email", config.contactCount],
    ["size_profile", config.sizeProfileSetting],
    ["profile", config.profile],
    ["daily_send_percentage_cap", config.dailySendPercentageCap],
    ["daily_cap", config.dailyCap],
    ["ed_daily_soft_limit", config.edDailySoftLimit],
    ["ed_daily_limit", config.edDailyLimit],
    ["batch_size", config.batchSize],
    ["ed_smoothing_window_days", config.edSmoothingWindowDays],
    ["catch_up_spread_days", config.catchUpSpreadDays],
    ["overage_threshold", config.overageThreshold],
    ["max_emails_per_period", config.maxEmailsPerPeriod],
    ["frequency_period_days", config.frequencyPeriodDays],
    ["birthday_days_before", config.birthdayDaysBefore],
    ["effective_date_days_before", config.effectiveDateDaysBefore],
    ["effective_date_first_email_months", config.effectiveDateFirstEmailMonths],
    ["aep_month", config.aepMonth],
    ["aep_day", config.aepDay],
    ["send_time", config.sendTime],
    ["enable_post_window_emails", config.enablePostWindowEmails],
    ["exclude_failed_underwriting_global", config.excludeFailedUnderwritingGlobal],
    ["send_without_zipcode_for_universal", config.sendWithoutZipcodeForUniversal],
    ["pre_exclusion_buffer_days", config.preExclusionBufferDays],
  ];
  for (const [state, days] of Object.entries(config.stateBufferDays)) {
    values.push([`pre_exclusion_buffer_days.${state}`, days]);
  }
  return values.map(([name, value]) => ({
    name,
    value,
    source: config.sources[name] ?? "column",
  }));
}
