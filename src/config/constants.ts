/**
 * System-wide constants of the hybrid configuration. Business rules per agency live in the central
 * database. These values are the same for every agency, and every part of the code uses these names.
 */

/** Share of the daily cap that effective-date emails may take before smoothing spreads them. */
export const ED_DAILY_CAP_SHARE = 0.30;

/** A day may exceed its cap by this factor before load balancing moves emails off it. */
export const OVERAGE_THRESHOLD = 1.2;

/** Late emails and moved emails stay within this many days of their ideal date. */
export const CATCH_UP_SPREAD_DAYS = 7;

/** Follow-ups look back this many days for campaign emails to follow. */
export const FOLLOW_UP_LOOKBACK_DAYS = 35;

/** Days between a campaign email and its follow-up. */
export const FOLLOW_UP_DELAY_DAYS = 2;

/** Days between the end of an exclusion window and the post-window email. */
export const POST_WINDOW_DELAY_DAYS = 1;

/** Email kinds the scheduler plans, in the order used to break ties. */
export const EMAIL_KINDS = ["birthday", "effective_date", "aep", "post_window"] as const;
export type EmailKind = typeof EMAIL_KINDS[number];

/** Priority of each kind; a lower number is more important. */
export const PRIORITIES = {
  birthday: 10,
  effective_date: 20,
  aep: 30,
  campaign: 30,
  post_window: 40,
  follow_up: 50,
} as const;

/** Statuses the scheduler writes. Every other status belongs to the sender. */
export const OWNED_STATUSES = ["pre-scheduled", "skipped"] as const;
export type OwnedStatus = typeof OWNED_STATUSES[number];

/** Reasons recorded on skipped rows. */
export const SKIP_REASONS = [
  "year_round",
  "birthday_window",
  "effective_date_window",
  "frequency_limit",
] as const;
export type SkipReason = typeof SKIP_REASONS[number];

/** Reasons a contact, or one of its dates, is left out of the plan. */
export const INVALID_CONTACT_REASONS = [
  "invalid_email",
  "unknown_state",
  "state_zip_mismatch",
  "invalid_birth_date",
  "invalid_effective_date",
  "window_anchor_missing",
  "failed_underwriting",
] as const;
export type InvalidContactReason = typeof INVALID_CONTACT_REASONS[number];
