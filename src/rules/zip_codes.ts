import type { StateCode } from "./states.ts";

/**
 * Ranges of three-digit ZIP prefixes and the state that uses them, from the USPS assignment of
 * sectional center facilities. Prefixes that USPS has not assigned are missing, so a ZIP starting
 * with one of them has no state. A few prefixes serve a single facility across a state line, for
 * example 055 in Vermont's range is Massachusetts. Those are listed as their own ranges.
 */
const PREFIX_RANGES: ReadonlyArray<readonly [first: number, last: number, state: StateCode]> = [
  [5, 5, "NY"],
  [6, 7, "PR"],
  [8, 8, "VI"],
  [9, 9, "PR"],
  [10, 27, "MA"],
  [28, 29, "RI"],
  [30, 38, "NH"],
  [39, 49, "ME"],
  [50, 54, "VT"],
  [55, 55, "MA"],
  [56, 59, "VT"],
  [60, 69, "CT"],
  [70, 89, "NJ"],
  [90, 98, "AE"],
  [100, 149, "NY"],
  [150, 196, "PA"],
  [197, 199, "DE"],
  [200, 200, "DC"],
  [201, 201, "VA"],
  [202, 205, "DC"],
  [206, 219, "MD"],
  [220, 246, "VA"],
  [247, 268, "WV"],
  [270, 289, "NC"],
  [290, 299, "SC"],
  [300, 319, "GA"],
  [320, 339, "FL"],
  [340, 340, "AA"],
  [341, 349, "FL"],
  [350, 369, "AL"],
  [370, 385, "TN"],
  [386, 397, "MS"],
  [398, 399, "GA"],
  [400, 427, "KY"],
  [430, 459, "OH"],
  [460, 479, "IN"],
  [480, 499, "MI"],
  [500, 528, "IA"],
  [530, 549, "WI"],
  [550, 567, "MN"],
  [569, 569, "DC"],
  [570, 577, "SD"],
  [580, 588, "ND"],
  [590, 599, "MT"],
  [600, 629, "IL"],
  [630, 658, "MO"],
  [660, 679, "KS"],
  [680, 693, "NE"],
  [700, 715, "LA"],
  [716, 729, "AR"],
  [730, 732, "OK"],
  [733, 733, "TX"],
  [734, 749, "OK"],
  [750, 799, "TX"],
  [800, 816, "CO"],
  [820, 831, "WY"],
  [832, 838, "ID"],
  [840, 847, "UT"],
  [850, 865, "AZ"],
  [870, 884, "NM"],
  [885, 885, "TX"],
  [889, 898, "NV"],
  [900, 961, "CA"],
  [962, 966, "AP"],
  [967, 968, "HI"],
  [969, 969, "GU"],
  [970, 979, "OR"],
  [980, 994, "WA"],
  [995, 999, "AK"],
]; // deno-fmt-ignore

/** State of each three-digit prefix, indexed by the prefix. */
const STATE_BY_PREFIX: ReadonlyArray<StateCode | undefined> = (() => {
  const table: Array<StateCode | undefined> = new Array(1000).fill(undefined);
  for (const [first, last, state] of PREFIX_RANGES) {
    for (let prefix = first; prefix <= last; prefix++) table[prefix] = state;
  }
  return table;
})();

const ZIP_PATTERN = /^(\d{5})(?:-?\d{4})?$/;

/**
 * Returns the state of a ZIP code from its first three digits, or undefined when the text is not a
 * ZIP code (five digits, optionally followed by four more) or its prefix is not assigned.
 */
export function stateForZip(zip: unknown): StateCode | undefined {
  // A ZIP stored in an INTEGER column has lost its leading zeros (02134 became 2134).
  const text = typeof zip === "number" ? String(zip).padStart(5, "0") : zip;
  if (typeof text !== "string") return undefined;
  const match = ZIP_PATTERN.exec(text.trim());
  if (match === null) return undefined;
  return STATE_BY_PREFIX[Number(match[1].slice(0, 3))];
}

/** Returns the three-digit prefixes assigned to `state`, for generating realistic ZIP codes. */
export function zipPrefixesOf(state: StateCode): number[] {
  const prefixes: number[] = [];
  STATE_BY_PREFIX.forEach((owner, prefix) => {
    if (owner === state) prefixes.push(prefix);
  });
  return prefixes;
}
