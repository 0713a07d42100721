import type { StateCode } from "../rules/states.ts";
import type { ProfileName } from "./profiles.ts";
import type { SizeProfileSetting } from "./organization_schema.ts";

/** Source of an effective value, in the order of precedence (later wins). */
export type ValueSource =
  | "constant"
  | "profile"
  | "column"
  | "override"
  | "state buffer"
  | "environment"
  | "command line"
  | "computed";

/**
 * The effective configuration of one agency for one run: system constants, profile presets,
 * organization columns, JSON overrides and state buffers combined. Built once at start-up, frozen,
 * and passed to the scheduling code, which never reads configuration anywhere else.
 */
export interface AgencyConfig {
  readonly orgId: number;
  readonly name: string;
  readonly active: boolean;
  readonly dbPath: string;
  readonly timezone: string;

  readonly enablePostWindowEmails: boolean;
  readonly effectiveDateFirstEmailMonths: number;
  readonly excludeFailedUnderwritingGlobal: boolean;
  readonly sendWithoutZipcodeForUniversal: boolean;
  readonly birthdayDaysBefore: number;
  readonly effectiveDateDaysBefore: number;
  /** `HH:MM:SS`, written on every row. */
  readonly sendTime: string;
  readonly maxEmailsPerPeriod: number;
  readonly frequencyPeriodDays: number;
  readonly aepMonth: number;
  readonly aepDay: number;

  /** The agency's buffer before every window, unless `stateBufferDays` has the state. */
  readonly preExclusionBufferDays: number;
  readonly stateBufferDays: Readonly<Partial<Record<StateCode, number>>>;

  readonly sizeProfileSetting: SizeProfileSetting;
  readonly profile: ProfileName;
  /** Contacts with a non-empty email: the N of the size profiles. */
  readonly contactCount: number;
  readonly dailySendPercentageCap: number;
  readonly edDailySoftLimit: number;
  readonly batchSize: number;
  readonly edSmoothingWindowDays: number;
  readonly catchUpSpreadDays: number;
  readonly overageThreshold: number;
  /** max(1, floor(contactCount × dailySendPercentageCap)). */
  readonly dailyCap: number;
  /** min(edDailySoftLimit, max(1, floor(dailyCap × ED share))). */
  readonly edDailyLimit: number;

  /** Source of each value, keyed by the snake_case name that `config` prints. */
  readonly sources: Readonly<Record<string, ValueSource>>;
}

/** Returns the buffer before windows for a contact in `state`. */
export function bufferDaysFor(config: AgencyConfig, state: StateCode): number {
  return config.stateBufferDays[state] ?? config.preExclusionBufferDays;
}
