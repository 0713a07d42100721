import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { SchedulerError } from "../src/errors.ts";
import { loadEnv, parseEnv } from "../src/config/env.ts";
import { scheduleAgency } from "../src/scheduling/schedule_agency.ts";
import { main } from "../src/cli/main.ts";
import { memoryOutput } from "../src/cli/output.ts";
import { createTestAgency, fileDigest, readSchedules, type TestContact } from "./support/agency.ts";

const TODAY = Temporal.PlainDate.from("2026-03-01");
const NOW = Temporal.Instant.from("2026-03-01T14:00:00Z");

/** The worked examples: agency buffer 60, today 2026-03-01, caps far from binding. */
const EXAMPLES: TestContact[] = [
  { id: 1, state: "TX", birth_date: "1955-05-10" },
  { id: 2, state: "CA", birth_date: "1950-06-15" },
  { id: 3, state: "NV", birth_date: "1948-03-20" },
  { id: 4, state: "MO", effective_date: "2016-05-15" },
  { id: 5, state: "NY", birth_date: "1950-06-15", effective_date: "2016-05-01" },
  { id: 6, state: "TX", birth_date: "1952-02-29" },
  { id: 7, state: "TX", effective_date: "2026-04-01" },
  { id: 8, state: "TX", birth_date: "1950-03-05" },
];

/** Overrides that keep the tiny test agencies' daily cap out of the way. */
const NO_CAP = JSON.stringify({ daily_send_percentage_cap: 1, overage_threshold: 1000 });

function rowsOf(orgPath: string, contactId: number) {
  return readSchedules(orgPath).filter((row) => row.contact_id === contactId).map((row) => ({
    kind: row.email_type,
    date: row.scheduled_send_date,
    status: row.status,
    reason: row.skip_reason,
    event: row.event,
  }));
}

async function examplesAgency() {
  return await createTestAgency({
    contacts: EXAMPLES,
    organization: { config_overrides: NO_CAP },
  });
}

Deno.test("schedule writes the worked examples", async () => {
  const agency = await examplesAgency();
  scheduleAgency(agency.env, agency.orgId, { today: TODAY, now: NOW });

  assert.deepEqual(rowsOf(agency.orgPath, 1), [
    { kind: "aep", date: "2026-09-15", status: "pre-scheduled", reason: null, event: "2026-09-15" },
    {
      kind: "birthday",
      date: "2026-04-26",
      status: "pre-scheduled",
      reason: null,
      event: "2026-05-10",
    },
  ]);
  const ca = rowsOf(agency.orgPath, 2);
  assert.deepEqual(ca.find((row) => row.kind === "birthday"), {
    kind: "birthday",
    date: "2026-06-01",
    status: "skipped",
    reason: "birthday_window",
    event: "2026-06-15",
  });
  assert.equal(ca.find((row) => row.kind === "post_window")?.date, "2026-08-15");

  const nv = rowsOf(agency.orgPath, 3);
  assert.equal(nv.find((row) => row.kind === "birthday")?.date, "2026-03-06");
  assert.equal(nv.find((row) => row.kind === "birthday")?.status, "skipped");
  assert.equal(nv.find((row) => row.kind === "post_window")?.date, "2026-05-01");

  const mo = rowsOf(agency.orgPath, 4);
  assert.equal(mo.find((row) => row.kind === "effective_date")?.date, "2026-04-15");
  assert.equal(mo.find((row) => row.kind === "effective_date")?.reason, "effective_date_window");
  assert.equal(mo.find((row) => row.kind === "post_window")?.date, "2026-06-18");

  const ny = rowsOf(agency.orgPath, 5);
  assert.equal(ny.length, 3);
  assert.ok(ny.every((row) => row.status === "skipped" && row.reason === "year_round"));

  const feb29 = rowsOf(agency.orgPath, 6).find((row) => row.kind === "birthday");
  assert.equal(feb29?.date, "2027-02-14");
  assert.equal(feb29?.event, "2027-02-28");

  assert.equal(rowsOf(agency.orgPath, 7).some((row) => row.kind === "effective_date"), false);

  const late = rowsOf(agency.orgPath, 8).find((row) => row.kind === "birthday")!;
  assert.ok(late.date >= "2026-03-01", late.date);
  assert.ok(late.date <= "2026-03-05", late.date);
});

Deno.test("schedule rerun changes no row", async () => {
  const agency = await examplesAgency();
  scheduleAgency(agency.env, agency.orgId, { today: TODAY, now: NOW });
  const before = readFullRows(agency.orgPath);

  const summary = scheduleAgency(agency.env, agency.orgId, {
    today: TODAY,
    now: NOW.add({ hours: 1 }),
  });
  assert.equal(summary.rows.inserted, 0);
  assert.equal(summary.rows.updated, 0);
  assert.equal(summary.rows.deleted, 0);
  assert.equal(summary.rows.kept, before.length);
  assert.deepEqual(readFullRows(agency.orgPath), before);
});

Deno.test("schedule leaves sender rows alone", async () => {
  const agency = await examplesAgency();
  const db = new DatabaseSync(agency.orgPath);
  db.exec(`CREATE TABLE email_schedules (
    id INTEGER PRIMARY KEY AUTOINCREMENT, contact_id INTEGER NOT NULL, email_type TEXT NOT NULL,
    scheduled_send_date TEXT NOT NULL, scheduled_send_time TEXT NOT NULL DEFAULT '08:30:00',
    status TEXT NOT NULL DEFAULT 'pre-scheduled', skip_reason TEXT, priority INTEGER DEFAULT 10,
    campaign_instance_id INTEGER, email_template TEXT, sms_template TEXT, event_year INTEGER,
    event_month INTEGER, event_day INTEGER, scheduler_run_id TEXT, metadata TEXT,
    created_at TEXT, updated_at TEXT, actual_send_datetime TEXT, sender_note TEXT)`);
  db.exec(
    "CREATE UNIQUE INDEX my_unique ON email_schedules (contact_id, email_type, scheduled_send_date)",
  );
  // Contact 1's birthday email for 2026-05-10 is already queued by the sender.
  db.exec(`INSERT INTO email_schedules (contact_id, email_type, scheduled_send_date, status,
    event_year, event_month, event_day, sender_note)
    VALUES (1, 'birthday', '2026-04-25', 'scheduled', 2026, 5, 10, 'queued')`);
  db.close();

  scheduleAgency(agency.env, agency.orgId, { today: TODAY, now: NOW });
  const birthdays = readSchedules(agency.orgPath).filter((row) =>
    row.contact_id === 1 && row.email_type === "birthday"
  );
  assert.equal(birthdays.length, 1);
  assert.equal(birthdays[0].status, "scheduled");
  assert.equal(birthdays[0].scheduled_send_date, "2026-04-25");
  const check = new DatabaseSync(agency.orgPath, { readOnly: true });
  const note = check.prepare("SELECT sender_note FROM email_schedules WHERE status = 'scheduled'")
    .get();
  check.close();
  assert.equal(note?.sender_note, "queued");
});

Deno.test("schedule keeps a valid pending date", async () => {
  const agency = await examplesAgency();
  scheduleAgency(agency.env, agency.orgId, { today: TODAY, now: NOW });
  const db = new DatabaseSync(agency.orgPath);
  // Move contact 1's AEP email two days earlier, as an earlier balancing run could have.
  db.exec(`UPDATE email_schedules SET scheduled_send_date = '2026-09-13'
           WHERE contact_id = 1 AND email_type = 'aep'`);
  const { id } = db.prepare(
    "SELECT id FROM email_schedules WHERE contact_id = 1 AND email_type = 'aep'",
  ).get() as { id: number };
  db.close();

  const summary = scheduleAgency(agency.env, agency.orgId, {
    today: TODAY.add({ days: 1 }),
    now: NOW.add({ hours: 24 }),
  });
  const aep = readSchedules(agency.orgPath).find((row) =>
    row.contact_id === 1 && row.email_type === "aep"
  );
  assert.equal(aep?.id, id);
  assert.equal(aep?.scheduled_send_date, "2026-09-13");
  assert.ok(summary.rows.kept > 0);
});

Deno.test("schedule keeps history and deletes stale rows", async () => {
  const agency = await examplesAgency();
  scheduleAgency(agency.env, agency.orgId, { today: TODAY, now: NOW });
  const db = new DatabaseSync(agency.orgPath);
  // A past birthday row (history), and a future row of a contact that no longer exists.
  db.exec(`INSERT INTO email_schedules (contact_id, email_type, scheduled_send_date, status,
    event_year, event_month, event_day) VALUES
    (1, 'birthday', '2025-04-26', 'pre-scheduled', 2025, 5, 10),
    (99, 'aep', '2026-09-15', 'pre-scheduled', 2026, 9, 15)`);
  db.close();

  const summary = scheduleAgency(agency.env, agency.orgId, { today: TODAY, now: NOW });
  const rows = readSchedules(agency.orgPath);
  assert.ok(rows.some((row) => row.contact_id === 1 && row.scheduled_send_date === "2025-04-26"));
  assert.equal(rows.some((row) => row.contact_id === 99), false);
  assert.equal(summary.rows.deleted, 1);
  assert.equal(summary.rows.history_kept, 1);
});

Deno.test("schedule --dry-run writes nothing", async () => {
  const agency = await examplesAgency();
  const before = await fileDigest(agency.orgPath);
  const summary = scheduleAgency(agency.env, agency.orgId, {
    today: TODAY,
    now: NOW,
    dryRun: true,
  });
  assert.ok(summary.rows.inserted > 0);
  assert.equal(await fileDigest(agency.orgPath), before);
});

Deno.test("schedule fails at once on a locked database", async () => {
  const agency = await examplesAgency();
  const before = await fileDigest(agency.orgPath);
  const other = new DatabaseSync(agency.orgPath);
  other.exec("BEGIN IMMEDIATE");
  try {
    const started = performance.now();
    assert.throws(
      () => scheduleAgency(agency.env, agency.orgId, { today: TODAY, now: NOW }),
      (error: unknown) => {
        assert.ok(error instanceof SchedulerError);
        assert.equal(error.exitCode, 1);
        assert.match(error.message, /^Cannot schedule organization 206: its database is locked/);
        return true;
      },
    );
    assert.ok(performance.now() - started < 1000, "the run waited for the lock");
  } finally {
    other.exec("ROLLBACK");
    other.close();
  }
  assert.equal(await fileDigest(agency.orgPath), before);
});

Deno.test("schedule counts invalid contacts in scheduler_runs", async () => {
  const agency = await createTestAgency({
    contacts: [
      { id: 1, state: "TX", birth_date: "1950-02-30" },
      { id: 2, email: "not-an-address", state: "TX", birth_date: "1950-06-15" },
      { id: 3, birth_date: "1950-06-15" },
      { id: 4, state: "TX", zip_code: "90210", effective_date: "2021-13-01" },
    ],
  });
  const summary = scheduleAgency(agency.env, agency.orgId, { today: TODAY, now: NOW });
  assert.deepEqual(summary.invalidByReason, {
    invalid_birth_date: 1,
    invalid_email: 1,
    unknown_state: 1,
    state_zip_mismatch: 1,
    invalid_effective_date: 1,
  });
  const db = new DatabaseSync(agency.orgPath, { readOnly: true });
  const run = db.prepare("SELECT status, contacts_read, invalid_by_reason FROM scheduler_runs")
    .get();
  db.close();
  assert.equal(run?.status, "completed");
  assert.equal(run?.contacts_read, 4);
  assert.deepEqual(JSON.parse(String(run?.invalid_by_reason)), summary.invalidByReason);
});

Deno.test("schedule CLI prints a summary", async () => {
  const agency = await examplesAgency();
  const output = memoryOutput();
  const code = await main(["schedule", "206", "--today", "2026-03-01"], {
    output,
    env: agency.env,
    now: () => NOW,
  });
  assert.equal(code, 0);
  const text = output.stdout.join("\n");
  assert.match(text, /^Organization 206: plan for 2026-03-01/);
  assert.match(text, /contacts read {6}8/);
  assert.match(text, /skipped by reason {2}.*year_round 3/);
  assert.doesNotMatch(text, /@example\.com/);
});

Deno.test("schedule CLI reports errors in one line", async () => {
  const agency = await examplesAgency();
  const cases: Array<[string[], number, RegExp]> = [
    [["schedule", "999"], 2, /^error: Cannot load organization 999: not found$/],
    [["schedule", "abc"], 2, /^error: Invalid arguments for schedule: org-id must be/],
    [["schedule", "206", "--today", "2026-02-30"], 2, /--today must be a real calendar date/],
    [["schedule", "206", "300"], 2, /unexpected "300" \(it takes <org-id>\)/],
    [["schedule"], 2, /missing <org-id>/],
    [["explain", "206"], 2, /contact-id is missing/],
    [["schedule", "206", "--bogus"], 2, /Unknown option '--bogus'/],
  ];
  for (const [args, expectedCode, pattern] of cases) {
    const output = memoryOutput();
    const code = await main(args, { output, env: agency.env, now: () => NOW });
    assert.equal(code, expectedCode, args.join(" "));
    assert.equal(output.stderr.length, 1, args.join(" "));
    assert.match(output.stderr[0], pattern);
  }
});

function readFullRows(orgPath: string) {
  const db = new DatabaseSync(orgPath, { readOnly: true });
  try {
    return db.prepare("SELECT * FROM email_schedules ORDER BY id").all();
  } finally {
    db.close();
  }
}

Deno.test("loadEnv keeps variables already set", async () => {
  const dir = await Deno.makeTempDir({ prefix: "medigap-env-" });
  const file = `${dir}/.env`;
  await Deno.writeTextFile(file, "SCHEDULER_RUN_HOUR=7\nLOG_FORMAT=json\n");
  const previous = Deno.env.get("SCHEDULER_RUN_HOUR");
  Deno.env.set("SCHEDULER_RUN_HOUR", "6");
  try {
    const env = loadEnv(file);
    assert.equal(env.SCHEDULER_RUN_HOUR, 6);
    assert.equal(env.LOG_FORMAT, "json");
  } finally {
    if (previous === undefined) Deno.env.delete("SCHEDULER_RUN_HOUR");
    else Deno.env.set("SCHEDULER_RUN_HOUR", previous);
    Deno.env.delete("LOG_FORMAT");
  }
});

Deno.test("parseEnv rejects a template without {id}", () => {
  assert.throws(
    () => parseEnv({ ORG_DB_PATH_TEMPLATE: "./data/org.sqlite3" }),
    (error: unknown) => {
      assert.ok(error instanceof SchedulerError);
      assert.match(error.message, /ORG_DB_PATH_TEMPLATE must be a file path, with \{id\}/);
      return true;
    },
  );
});

Deno.test("explain CLI shows windows and rows", async () => {
  const agency = await examplesAgency();
  scheduleAgency(agency.env, agency.orgId, { today: TODAY, now: NOW });
  const output = memoryOutput();
  const code = await main(["explain", "206", "2", "--today", "2026-03-01"], {
    output,
    env: agency.env,
    now: () => NOW,
  });
  const text = output.stdout.join("\n");

  assert.equal(code, 0);
  assert.match(text, /state {12}CA \(from the state column\)/);
  assert.match(text, /window 2026 {6}2026-03-17 to 2026-08-14/);
  assert.match(text, /birthday .* -> 2026-06-01 skipped \(birthday_window/);
  assert.match(text, /post_window .* -> 2026-08-15 pre-scheduled/);
  assert.match(text, /#\d+ birthday 2026-06-01 skipped \(birthday_window\), event 2026-06-15/);
  assert.doesNotMatch(text, /@example\.com/);
  assert.doesNotMatch(text, /1950-06-15/);
});
