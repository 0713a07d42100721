import { ED_DAILY_CAP_SHARE } from "./constants.ts";

/** Name of a size profile; `auto` in the central database picks one by contact count. */
export const PROFILE_NAMES = ["small", "medium", "large", "enterprise"] as const;
export type ProfileName = typeof PROFILE_NAMES[number];

/** Presets of one size profile. */
export interface SizeProfile {
  readonly name: ProfileName;
  /** Smallest contact count that `auto` maps to this profile. */
  readonly minContacts: number;
  readonly dailySendPercentageCap: number;
  readonly edDailySoftLimit: number;
  readonly batchSize: number;
  readonly edSmoothingWindowDays: number;
}

/** The profiles, smallest first. */
export const SIZE_PROFILES: readonly SizeProfile[] = Object.freeze([
  {
    name: "small",
    minContacts: 0,
    dailySendPercentageCap: 0.20,
    edDailySoftLimit: 50,
    batchSize: 1_000,
    edSmoothingWindowDays: 3,
  },
  {
    name: "medium",
    minContacts: 10_000,
    dailySendPercentageCap: 0.10,
    edDailySoftLimit: 200,
    batchSize: 5_000,
    edSmoothingWindowDays: 5,
  },
  {
    name: "large",
    minContacts: 100_000,
    dailySendPercentageCap: 0.07,
    edDailySoftLimit: 500,
    batchSize: 10_000,
    edSmoothingWindowDays: 7,
  },
  {
    name: "enterprise",
    minContacts: 500_000,
    dailySendPercentageCap: 0.05,
    edDailySoftLimit: 1_000,
    batchSize: 25_000,
    edSmoothingWindowDays: 10,
  },
]);

/** Returns the profile that `size_profile = 'auto'` picks for `contactCount` contacts. */
export function profileForContactCount(contactCount: number): SizeProfile {
  let chosen = SIZE_PROFILES[0];
  for (const profile of SIZE_PROFILES) {
    if (contactCount >= profile.minContacts) chosen = profile;
  }
  return chosen;
}

/** Returns the profile with the given name. */
export function profileByName(name: ProfileName): SizeProfile {
  const profile = SIZE_PROFILES.find((candidate) => candidate.name === name);
  if (profile === undefined) throw new RangeError(`Unknown size profile: "${name}"`);
  return profile;
}

/** Daily cap: max(1, floor(N × share)), where N is the number of contacts with an email. */
export function dailyCap(contactCount: number, share: number): number {
  // The epsilon keeps products such as 0.29 × 100 = 28.999999999999996 from losing a whole email.
  return Math.max(1, Math.floor(contactCount * share + 1e-9));
}

/** Effective ED limit: min(soft limit, max(1, floor(cap × ED share))). */
export function effectiveEdLimit(cap: number, edSoftLimit: number): number {
  return Math.min(edSoftLimit, Math.max(1, Math.floor(cap * ED_DAILY_CAP_SHARE)));
}
