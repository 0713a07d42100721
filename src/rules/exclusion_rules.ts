import type { StateCode } from "./states.ts";

/**
 * Anchor of a state's exclusion window:
 * - `birthday`: each anniversary of the birth date;
 * - `birth_month_start`: the first day of the birth month in each year (Nevada);
 * - `effective_date`: each anniversary of the policy's effective date;
 * - `year_round`: no anchor, every date is excluded.
 */
export type WindowAnchor = "birthday" | "birth_month_start" | "effective_date" | "year_round";

/** A state's Medigap exclusion rule. The agency's pre-window buffer is added before `daysBefore`. */
export interface ExclusionRule {
  readonly anchor: WindowAnchor;
  readonly daysBefore: number;
  readonly daysAfter: number;
}

/**
 * States whose Medigap rules create an exclusion window. States that are not listed have none.
 * The rules follow each state's birthday or anniversary rule for Medigap plan changes.
 */
export const EXCLUSION_RULES: Readonly<Partial<Record<StateCode, ExclusionRule>>> = Object.freeze({
  CA: { anchor: "birthday", daysBefore: 30, daysAfter: 60 },
  ID: { anchor: "birthday", daysBefore: 0, daysAfter: 63 },
  KY: { anchor: "birthday", daysBefore: 0, daysAfter: 60 },
  MD: { anchor: "birthday", daysBefore: 0, daysAfter: 30 },
  NV: { anchor: "birth_month_start", daysBefore: 0, daysAfter: 60 },
  OK: { anchor: "birthday", daysBefore: 0, daysAfter: 60 },
  OR: { anchor: "birthday", daysBefore: 0, daysAfter: 31 },
  VA: { anchor: "birthday", daysBefore: 0, daysAfter: 30 },
  MO: { anchor: "effective_date", daysBefore: 30, daysAfter: 33 },
  CT: { anchor: "year_round", daysBefore: 0, daysAfter: 0 },
  MA: { anchor: "year_round", daysBefore: 0, daysAfter: 0 },
  NY: { anchor: "year_round", daysBefore: 0, daysAfter: 0 },
  WA: { anchor: "year_round", daysBefore: 0, daysAfter: 0 },
});

/** Returns the exclusion rule of `state`, or undefined when the state has none. */
export function exclusionRuleFor(state: StateCode): ExclusionRule | undefined {
  return EXCLUSION_RULES[state];
}
