import assert from "node:assert/strict";
import { dayFromPlainDate, formatDay } from "../src/rules/days.ts";
import { contactFromRow, type ContactRow } from "../src/scheduling/contact.ts";
import { catchUpDay, monthsBetween, planContact } from "../src/scheduling/plan_contact.ts";
import { testConfig } from "./support/config.ts";

const TODAY = Temporal.PlainDate.from("2026-03-01");
const day = (text: string) => dayFromPlainDate(Temporal.PlainDate.from(text));

/** Plans one contact on TODAY with default settings (buffer 60) and returns readable emails. */
function plan(
  fields: { state?: string; zip?: string; birth?: string; effective?: string; email?: string },
  options: { today?: Temporal.PlainDate; config?: ReturnType<typeof testConfig> } = {},
) {
  const { today = TODAY, config = testConfig() } = options;
  const row: ContactRow = [
    1,
    fields.email ?? "pat@example.com",
    fields.state ?? null,
    fields.zip ?? null,
    fields.birth ?? null,
    fields.effective ?? null,
  ];
  const result = planContact(contactFromRow(row), config, { today: dayFromPlainDate(today) });
  return {
    problems: result.problems,
    emails: result.emails.map((email) => ({
      kind: email.kind,
      date: formatDay(email.sendDay),
      status: email.status,
      reason: email.skipReason,
      event: formatDay(email.eventDay),
    })),
  };
}

Deno.test("planContact() plans TX birthday and AEP", () => {
  const { emails } = plan({ state: "TX", birth: "1955-05-10" });
  assert.deepEqual(emails, [
    {
      kind: "birthday",
      date: "2026-04-26",
      status: "pre-scheduled",
      reason: undefined,
      event: "2026-05-10",
    },
    {
      kind: "aep",
      date: "2026-09-15",
      status: "pre-scheduled",
      reason: undefined,
      event: "2026-09-15",
    },
  ]);
});

Deno.test("planContact() skips CA birthday in its window", () => {
  const { emails } = plan({ state: "CA", birth: "1950-06-15" });
  const birthday = emails.find((email) => email.kind === "birthday");
  const postWindow = emails.find((email) => email.kind === "post_window");
  assert.deepEqual(birthday, {
    kind: "birthday",
    date: "2026-06-01",
    status: "skipped",
    reason: "birthday_window",
    event: "2026-06-15",
  });
  assert.equal(postWindow?.date, "2026-08-15");
  assert.equal(postWindow?.status, "pre-scheduled");
  assert.equal(postWindow?.event, "2026-08-14");
});

Deno.test("planContact() anchors NV on the birth month", () => {
  const { emails } = plan({ state: "NV", birth: "1948-03-20" });
  const birthday = emails.find((email) => email.kind === "birthday");
  assert.equal(birthday?.date, "2026-03-06");
  assert.equal(birthday?.status, "skipped");
  assert.equal(birthday?.reason, "birthday_window");
  assert.equal(emails.find((email) => email.kind === "post_window")?.date, "2026-05-01");
});

Deno.test("planContact() skips MO effective date in its window", () => {
  const { emails } = plan({ state: "MO", effective: "2016-05-15" });
  const effective = emails.find((email) => email.kind === "effective_date");
  assert.equal(effective?.date, "2026-04-15");
  assert.equal(effective?.status, "skipped");
  assert.equal(effective?.reason, "effective_date_window");
  assert.equal(emails.find((email) => email.kind === "post_window")?.date, "2026-06-18");
});

Deno.test("planContact() skips everything in NY", () => {
  const { emails } = plan({ state: "NY", birth: "1950-06-15", effective: "2016-05-01" });
  assert.equal(emails.length, 3);
  for (const email of emails) {
    assert.equal(email.status, "skipped", email.kind);
    assert.equal(email.reason, "year_round", email.kind);
  }
  assert.equal(emails.some((email) => email.kind === "post_window"), false);
});

Deno.test("planContact() moves a Feb 29 birthday to Feb 28", () => {
  const { emails } = plan({ state: "TX", birth: "1952-02-29" });
  const birthday = emails.find((email) => email.kind === "birthday");
  assert.equal(birthday?.date, "2027-02-14");
  assert.equal(birthday?.event, "2027-02-28");
});

Deno.test("planContact() waits for a new policy's first year", () => {
  const { emails } = plan({ state: "TX", effective: "2026-04-01" });
  assert.equal(emails.some((email) => email.kind === "effective_date"), false);
});

Deno.test("planContact() spreads a late birthday over the catch-up range", () => {
  const { emails } = plan({ state: "TX", birth: "1950-03-05" });
  const birthday = emails.find((email) => email.kind === "birthday")!;
  assert.ok(birthday.date >= "2026-03-01", birthday.date);
  assert.ok(birthday.date <= "2026-03-05", birthday.date);
  assert.equal(birthday.event, "2026-03-05");
});

Deno.test("catchUpDay() stays inside the range for every contact", () => {
  const today = day("2026-03-01");
  const event = day("2026-03-05");
  const seen = new Set<number>();
  for (let contactId = 1; contactId <= 200; contactId++) {
    const sendDay = catchUpDay({
      contactId,
      kind: "birthday",
      eventDay: event,
      today,
      settings: { catchUpSpreadDays: 7 },
    });
    assert.ok(sendDay >= today, `contact ${contactId}: ${formatDay(sendDay)}`);
    assert.ok(sendDay <= event, `contact ${contactId}: ${formatDay(sendDay)}`);
    seen.add(sendDay);
  }
  // k = min(7, 4 + 1) = 5 days, and 200 contacts should use all of them.
  assert.equal(seen.size, 5);
});

Deno.test("planContact() gives unknown states nothing", () => {
  const { emails, problems } = plan({ birth: "1950-06-15", effective: "2016-05-01" });
  assert.deepEqual(emails, []);
  assert.deepEqual(problems, ["unknown_state"]);
});

Deno.test("planContact() finds the state from the ZIP", () => {
  const { emails } = plan({ zip: "90210", birth: "1950-06-15" });
  assert.equal(emails.find((email) => email.kind === "birthday")?.reason, "birthday_window");
});

Deno.test("planContact() lets the state column beat the ZIP", () => {
  const { emails, problems } = plan({ state: " tx ", zip: "90210", birth: "1950-06-15" });
  assert.deepEqual(problems, ["state_zip_mismatch"]);
  assert.equal(emails.find((email) => email.kind === "birthday")?.status, "pre-scheduled");
});

Deno.test("planContact() treats invalid dates as absent", () => {
  const cases: Array<[string, string]> = [
    ["1950-02-30", "invalid_birth_date"],
    ["", "invalid_birth_date"],
    ["06/15/1950", "invalid_birth_date"],
  ];
  for (const [birth, problem] of cases) {
    const { emails, problems } = plan({ state: "TX", birth, effective: "2021-13-01" });
    assert.deepEqual(problems, [problem, "invalid_effective_date"], birth);
    assert.deepEqual(emails.map((email) => email.kind), ["aep"], birth);
  }
});

Deno.test("planContact() gives invalid emails nothing", () => {
  for (
    const email of ["no-at-sign.example.com", "", "a@b", "two@@example.com", "a b@example.com"]
  ) {
    const result = plan({ state: "TX", birth: "1950-06-15", email });
    assert.deepEqual(result.emails, [], JSON.stringify(email));
    assert.deepEqual(result.problems, ["invalid_email"], JSON.stringify(email));
  }
});

Deno.test("planContact() counts a CA contact without birth date", () => {
  const { emails, problems } = plan({ state: "CA", effective: "2016-05-01" });
  assert.deepEqual(problems, ["window_anchor_missing"]);
  assert.ok(emails.every((email) => email.status === "pre-scheduled"));
});

Deno.test("planContact() checks effective dates against CA birthday windows", () => {
  // CA birthday window 2026-03-17 to 2026-08-14 contains the effective-date email of 2026-05-02.
  const { emails } = plan({ state: "CA", birth: "1950-06-15", effective: "2016-06-01" });
  const effective = emails.find((email) => email.kind === "effective_date");
  assert.equal(effective?.date, "2026-05-02");
  assert.equal(effective?.reason, "birthday_window");
  assert.equal(emails.filter((email) => email.kind === "post_window").length, 1);
});

Deno.test("planContact() uses the state buffer over the agency's", () => {
  const config = testConfig({ stateBufferDays: { CA: 0 } });
  // Without the 60-day buffer the CA window starts 2026-05-16, after the 2026-05-02 email.
  const { emails } = plan({ state: "CA", birth: "1950-06-15", effective: "2016-06-01" }, {
    config,
  });
  assert.equal(emails.find((email) => email.kind === "effective_date")?.status, "pre-scheduled");
});

Deno.test("planContact() plans no post-window when disabled", () => {
  const config = testConfig({ columns: { enable_post_window_emails: 0 } });
  const { emails } = plan({ state: "CA", birth: "1950-06-15" }, { config });
  assert.equal(emails.some((email) => email.kind === "post_window"), false);
});

Deno.test("planContact() skips failed underwriting when asked", () => {
  const config = testConfig({ columns: { exclude_failed_underwriting_global: 1 } });
  const row: ContactRow = [1, "pat@example.com", "TX", null, "1950-06-15", "2016-05-01"];
  const result = planContact(contactFromRow(row, true), config, { today: day("2026-03-01") });
  assert.deepEqual(result.emails.map((email) => email.kind), ["aep"]);
  assert.deepEqual(result.problems, ["failed_underwriting"]);
});

Deno.test("planContact() crosses New Year for December runs", () => {
  // Today 2026-12-20: a Jan 5 birthday is next year; AEP has passed, so it is next year's.
  const { emails } = plan({ state: "TX", birth: "1950-01-05" }, {
    today: Temporal.PlainDate.from("2026-12-20"),
  });
  assert.deepEqual(emails.map((email) => [email.kind, email.date, email.event]), [
    ["birthday", "2026-12-22", "2027-01-05"],
    ["aep", "2027-09-15", "2027-09-15"],
  ]);
});

Deno.test("monthsBetween() ignores days", () => {
  const cases: Array<[string, string, number]> = [
    ["2016-05-15", "2026-04-15", 119],
    ["2025-04-30", "2026-03-01", 11],
    ["2025-04-01", "2026-03-31", 11],
    ["2026-04-01", "2026-03-02", -1],
    ["2025-12-31", "2026-01-01", 1],
  ];
  for (const [from, to, expected] of cases) {
    assert.equal(monthsBetween(day(from), day(to)), expected, `${from} to ${to}`);
  }
});
