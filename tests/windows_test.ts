import assert from "node:assert/strict";
import { dayFromPlainDate, formatDay } from "../src/rules/days.ts";
import { EXCLUSION_RULES } from "../src/rules/exclusion_rules.ts";
import {
  type ContactWindowRule,
  isExcluded,
  windowContaining,
  windowOfYear,
} from "../src/rules/windows.ts";
import type { StateCode } from "../src/rules/states.ts";

const day = (text: string) => dayFromPlainDate(Temporal.PlainDate.from(text));

function ruleFor(state: StateCode, anchor: string, bufferDays = 60): ContactWindowRule {
  const rule = EXCLUSION_RULES[state]!;
  const [, month, dayOfMonth] = anchor.split("-").map(Number);
  return {
    rule,
    anchorMonth: month,
    anchorDay: rule.anchor === "birth_month_start" ? 1 : dayOfMonth,
    bufferDays,
  };
}

Deno.test("windowOfYear() follows the state table", () => {
  // [state, anchor date, year, start, end], buffer 60.
  const cases: Array<[StateCode, string, number, string, string]> = [
    ["CA", "1950-06-15", 2026, "2026-03-17", "2026-08-14"],
    ["ID", "1950-06-15", 2026, "2026-04-16", "2026-08-17"],
    ["KY", "1950-06-15", 2026, "2026-04-16", "2026-08-14"],
    ["MD", "1950-06-15", 2026, "2026-04-16", "2026-07-15"],
    ["NV", "1948-03-20", 2026, "2025-12-31", "2026-04-30"],
    ["OK", "1950-06-15", 2026, "2026-04-16", "2026-08-14"],
    ["OR", "1950-06-15", 2026, "2026-04-16", "2026-07-16"],
    ["VA", "1950-06-15", 2026, "2026-04-16", "2026-07-15"],
    ["MO", "2016-05-15", 2026, "2026-02-14", "2026-06-17"],
  ];
  for (const [state, anchor, year, start, end] of cases) {
    const window = windowOfYear(ruleFor(state, anchor), year);
    assert.equal(formatDay(window.start), start, `${state} start`);
    assert.equal(formatDay(window.end), end, `${state} end`);
  }
});

Deno.test("windowContaining() finds windows across New Year", () => {
  // CA birthday Jan 10: the 2027 window starts 2026-10-12 (90 days before) and ends 2027-03-11.
  const rule = ruleFor("CA", "1950-01-10");
  const cases: Array<[string, string | undefined]> = [
    ["2026-10-11", undefined],
    ["2026-10-12", "2027-03-11"],
    ["2026-12-31", "2027-03-11"],
    ["2027-01-01", "2027-03-11"],
    ["2027-03-11", "2027-03-11"],
    ["2027-03-12", undefined],
    ["2026-03-11", "2026-03-11"],
  ];
  for (const [date, end] of cases) {
    const window = windowContaining(rule, day(date));
    assert.equal(window === undefined ? undefined : formatDay(window.end), end, date);
  }
});

Deno.test("windowContaining() handles Feb 29 anchors", () => {
  // Feb 29 birthday in CA: Feb 28 in common years, so the 2027 window ends 2027-04-29.
  const rule = ruleFor("CA", "1952-02-29");
  const cases: Array<[string, string | undefined]> = [
    ["2027-02-28", "2027-04-29"],
    ["2027-04-29", "2027-04-29"],
    ["2027-04-30", undefined],
    ["2028-02-29", "2028-04-29"],
    ["2028-04-30", undefined],
    ["2026-11-30", "2027-04-29"],
    ["2026-11-29", undefined],
  ];
  for (const [date, end] of cases) {
    const window = windowContaining(rule, day(date));
    assert.equal(window === undefined ? undefined : formatDay(window.end), end, date);
  }
});

Deno.test("windowContaining() merges windows that touch", () => {
  // CA with a 275-day buffer: 30 + 275 + 60 + 1 = 366 days, so windows cover every day.
  const everyDay = ruleFor("CA", "1950-06-15", 275);
  for (const date of ["2026-01-01", "2026-08-15", "2027-02-28", "2028-12-31"]) {
    assert.equal(isExcluded(everyDay, day(date)), true, date);
  }
  // A 274-day buffer leaves one free day in common years: the day after each window ends.
  const almost = ruleFor("CA", "1950-06-15", 274);
  const window = windowContaining(almost, day("2026-06-15"))!;
  assert.equal(isExcluded(almost, window.end + 1), false);
});

Deno.test("isExcluded() is always true for year-round states", () => {
  for (const state of ["CT", "MA", "NY", "WA"] as const) {
    const rule = ruleFor(state, "1950-06-15");
    assert.equal(isExcluded(rule, day("2026-07-04")), true, state);
  }
});
