import assert from "node:assert/strict";
import {
  dayFromPlainDate,
  dayFromYmd,
  dayInYear,
  formatDay,
  nextAnniversary,
  parseIsoDay,
  plainDateFromDay,
  ymdFromDay,
} from "../src/rules/days.ts";

const day = (text: string) => dayFromPlainDate(Temporal.PlainDate.from(text));

Deno.test("day numbers match Temporal from 1900 to 2100", () => {
  const epoch = Temporal.PlainDate.from("1970-01-01");
  let date = Temporal.PlainDate.from("1900-01-01");
  const end = Temporal.PlainDate.from("2100-12-31");
  while (Temporal.PlainDate.compare(date, end) <= 0) {
    const expected = epoch.until(date, { largestUnit: "days" }).days;
    assert.equal(dayFromYmd(date.year, date.month, date.day), expected, date.toString());
    assert.deepEqual(ymdFromDay(expected), { year: date.year, month: date.month, day: date.day });
    date = date.add({ days: 1 });
  }
});

Deno.test("formatDay() and plainDateFromDay() round-trip", () => {
  for (const text of ["0001-01-01", "1950-02-28", "2024-02-29", "2026-12-31", "9999-12-31"]) {
    assert.equal(formatDay(day(text)), text);
    assert.equal(plainDateFromDay(day(text)).toString(), text);
  }
});

Deno.test("parseIsoDay() rejects dates that are not real", () => {
  const cases: Array<[unknown, string | undefined]> = [
    ["1950-06-15", "1950-06-15"],
    [" 1950-06-15 ", "1950-06-15"],
    ["2024-02-29", "2024-02-29"],
    ["1950-02-30", undefined],
    ["2023-02-29", undefined],
    ["2021-13-01", undefined],
    ["2021-00-10", undefined],
    ["2021-04-31", undefined],
    ["2021-04-00", undefined],
    ["", undefined],
    ["06/15/1950", undefined],
    ["1950-6-15", undefined],
    ["1950-06-15T00:00:00", undefined],
    [null, undefined],
    [19500615, undefined],
  ];
  for (const [input, expected] of cases) {
    const parsed = parseIsoDay(input);
    assert.equal(parsed === undefined ? undefined : formatDay(parsed), expected, String(input));
  }
});

Deno.test("nextAnniversary() handles year ends and Feb 29", () => {
  // [anniversary month-day, from, expected]
  const cases: Array<[number, number, string, string]> = [
    [5, 10, "2026-03-01", "2026-05-10"],
    [5, 10, "2026-05-10", "2026-05-10"],
    [5, 10, "2026-05-11", "2027-05-10"],
    [12, 31, "2026-12-31", "2026-12-31"],
    [1, 1, "2026-12-31", "2027-01-01"],
    [12, 31, "2027-01-01", "2027-12-31"],
    [2, 29, "2026-03-01", "2027-02-28"],
    [2, 29, "2027-02-28", "2027-02-28"],
    [2, 29, "2027-03-01", "2028-02-29"],
    [2, 29, "2028-02-29", "2028-02-29"],
    [2, 29, "2028-01-15", "2028-02-29"],
    [2, 29, "2099-03-01", "2100-02-28"],
    [1, 31, "2026-01-31", "2026-01-31"],
    [4, 30, "2026-05-01", "2027-04-30"],
  ];
  for (const [month, dayOfMonth, from, expected] of cases) {
    assert.equal(
      formatDay(nextAnniversary(month, dayOfMonth, day(from))),
      expected,
      `${month}-${dayOfMonth} from ${from}`,
    );
  }
});

Deno.test("dayInYear() moves Feb 29 to Feb 28 only in common years", () => {
  assert.equal(formatDay(dayInYear(2027, 2, 29)), "2027-02-28");
  assert.equal(formatDay(dayInYear(2028, 2, 29)), "2028-02-29");
  assert.equal(formatDay(dayInYear(2100, 2, 29)), "2100-02-28");
  assert.equal(formatDay(dayInYear(2000, 2, 29)), "2000-02-29");
});
