import { z } from "zod";

/** Keys that `config_overrides` may set, with their zod schema and the rule errors quote. */
export const OVERRIDE_KEYS = {
  daily_send_percentage_cap: {
    schema: z.number().gt(0).lte(1),
    rule: "must be a number greater than 0 and at most 1",
  },
  ed_daily_soft_limit: { schema: z.int().positive(), rule: "must be a positive integer" },
  batch_size: { schema: z.int().positive(), rule: "must be a positive integer" },
  ed_smoothing_window_days: { schema: z.int().positive(), rule: "must be a positive integer" },
  catch_up_spread_days: { schema: z.int().positive(), rule: "must be a positive integer" },
  overage_threshold: { schema: z.number().gte(1), rule: "must be a number of at least 1" },
} as const;

export type OverrideKey = keyof typeof OVERRIDE_KEYS;

/** Values of a valid `config_overrides` object. */
export type ConfigOverrides = Partial<Record<OverrideKey, number>>;

/** Why an override was rejected: the field (`config_overrides` or `config_overrides.KEY`) and rule. */
export interface OverrideProblem {
  field: string;
  rule: string;
  value: string;
}

/**
 * Parses `config_overrides` text. Returns the overrides, or the first problem: invalid JSON, a value
 * that is not an object, an unknown key, a wrong type or a value out of range.
 */
export function parseOverrides(
  text: string | null,
): { ok: true; overrides: ConfigOverrides } | { ok: false; problem: OverrideProblem } {
  if (text === null || text.trim() === "") return { ok: true, overrides: {} };

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return fail("config_overrides", "must be valid JSON", text);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return fail("config_overrides", "must be a JSON object", text);
  }

  const overrides: ConfigOverrides = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!Object.hasOwn(OVERRIDE_KEYS, key)) {
      const allowed = Object.keys(OVERRIDE_KEYS).join(", ");
      return fail(`config_overrides.${key}`, `is not a known key (known: ${allowed})`, value);
    }
    const { schema, rule } = OVERRIDE_KEYS[key as OverrideKey];
    const result = schema.safeParse(value);
    if (!result.success) return fail(`config_overrides.${key}`, rule, value);
    overrides[key as OverrideKey] = result.data;
  }
  return { ok: true, overrides };
}

function fail(
  field: string,
  rule: string,
  value: unknown,
): { ok: false; problem: OverrideProblem } {
  // Quoting the text keeps the message on one line when the JSON spans several. JSON.stringify
  // would print Infinity (from a literal such as 1e400) as null.
  const valueText = typeof value === "number" ? String(value) : JSON.stringify(value);
  return { ok: false, problem: { field, rule, value: valueText } };
}
