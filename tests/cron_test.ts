/**
 * Recurring runs: the tick that `cron` runs every 15 minutes, its CLI and its logs, on real SQLite
 * files. The daylight-saving tests tick every 15 minutes across both US changes of 2026 (March 8
 * and November 1) and pin the instant of every agency's daily run.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { type EnvSettings, parseEnv } from "../src/config/env.ts";
import { createAppTables } from "../src/generate/app_schema.ts";
import { main } from "../src/cli/main.ts";
import { memoryOutput } from "../src/cli/output.ts";
import { localRunDay } from "../src/cron/local_run_day.ts";
import { openDatabase } from "../src/db/sqlite.ts";
import { type LogFormat, Logger } from "../src/cron/logger.ts";
import { createTickState, runTick, type TickState } from "../src/cron/tick.ts";
import type { TickReport } from "../src/cron/tick_report.ts";
import {
  addOrganization,
  createTestAgency,
  insertContacts,
  type TestContact,
} from "./support/agency.ts";

/** The wall clock of every log line; the tick instants are separate and pinned per test. */
const LOG_TIME = Temporal.Instant.from("2026-01-01T00:00:00Z");

/** A handful of contacts: a window state, a year-round state, an effective-date state, bad rows. */
const CONTACTS: TestContact[] = [
  { id: 1, state: "TX", zip_code: "75001", birth_date: "1955-04-10", effective_date: "2015-06-01" },
  { id: 2, state: "CA", birth_date: "1956-04-20", effective_date: "2012-03-01" },
  { id: 3, state: "NY", birth_date: "1950-09-01" },
  { id: 4, state: "MO", birth_date: "1958-12-12", effective_date: "2010-04-01" },
  { id: 5, email: "not-an-email", state: "TX", birth_date: "1955-01-01" },
];
const BIRTH_DATES = CONTACTS.map((contact) => contact.birth_date);

/** One agency of a test setup; `contacts: null` creates no org database file. */
interface AgencySpec {
  orgId: number;
  organization?: Record<string, string | number | null>;
  contacts?: TestContact[] | null;
}

interface Setup {
  dir: string;
  env: EnvSettings;
  orgPath(orgId: number): string;
}

/**
 * Creates one temporary folder with one central database holding every agency of `specs`, and an
 * org database with contacts for each agency that has them.
 */
async function createAgencies(
  specs: AgencySpec[],
  settings: Record<string, string> = {},
): Promise<Setup> {
  const [first, ...others] = specs;
  const agency = await createTestAgency({
    orgId: first.orgId,
    organization: first.organization,
    contacts: first.contacts ?? CONTACTS,
  });
  const orgPath = (orgId: number) => join(agency.dir, `org-${orgId}.sqlite3`);

  const central = new DatabaseSync(agency.centralPath);
  for (const spec of others) {
    addOrganization(central, spec.orgId, spec.organization);
    if (spec.contacts === null) continue;
    const org = new DatabaseSync(orgPath(spec.orgId));
    createAppTables(org);
    insertContacts(org, spec.contacts ?? CONTACTS);
    org.close();
  }
  central.close();

  const env = parseEnv({
    CENTRAL_DB_PATH: agency.centralPath,
    ORG_DB_PATH_TEMPLATE: join(agency.dir, "org-{id}.sqlite3"),
    ...settings,
  });
  return { dir: agency.dir, env, orgPath };
}

/** Returns a path inside a temporary folder that is already removed, so no database is there. */
async function missingDatabasePath(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "cron-missing-" });
  await Deno.remove(dir);
  return join(dir, "org.sqlite3");
}

/** Creates a logger that keeps its lines in memory, with a pinned wall clock. */
function memoryLogger(format: LogFormat = "text") {
  const lines: string[] = [];
  const logger = new Logger({ format, write: (line) => lines.push(line), now: () => LOG_TIME });
  return { logger, lines };
}

interface RunRow {
  plan_date: string;
  started_at: string;
  status: string;
}

/** Reads an agency's `scheduler_runs` rows in start order. */
function readRuns(orgPath: string): RunRow[] {
  const db = new DatabaseSync(orgPath, { readOnly: true });
  try {
    return db.prepare(
      "SELECT plan_date, started_at, status FROM scheduler_runs ORDER BY started_at",
    ).all() as unknown as RunRow[];
  } finally {
    db.close();
  }
}

/** Returns true when the org database has a `scheduler_runs` table, that is, ever had a run. */
function hasRunTable(orgPath: string): boolean {
  const db = new DatabaseSync(orgPath, { readOnly: true });
  try {
    return db.prepare(
      "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'scheduler_runs'",
    ).get() !== undefined;
  } finally {
    db.close();
  }
}

/** Runs a tick every 15 minutes from `from` up to, not including, `to`. */
async function tickEvery15Minutes(
  env: EnvSettings,
  range: { from: string; to: string },
  options: { logger: Logger; state: TickState },
): Promise<TickReport[]> {
  const end = Temporal.Instant.from(range.to);
  const reports: TickReport[] = [];
  let now = Temporal.Instant.from(range.from);
  while (Temporal.Instant.compare(now, end) < 0) {
    reports.push(await runTick(env, now, options));
    now = now.add({ minutes: 15 });
  }
  return reports;
}

/** Lists the agencies of the daylight-saving tests: three good ones, two broken, one inactive. */
function dstAgencies(missingPath: string): AgencySpec[] {
  return [
    { orgId: 101, organization: { config_overrides: "{not json" } },
    { orgId: 102, organization: { db_path: missingPath }, contacts: null },
    { orgId: 201, organization: { timezone: "America/Chicago" } },
    { orgId: 202, organization: { timezone: "America/New_York" } },
    { orgId: 203, organization: { timezone: "America/Los_Angeles" } },
    { orgId: 301, organization: { active: 0 } },
  ];
}

const TIME_ZONES: Record<number, string> = {
  201: "America/Chicago",
  202: "America/New_York",
  203: "America/Los_Angeles",
};

/**
 * Each agency's runs as [plan date, started_at]. The first run of each window is at the first tick,
 * because every zone is already past 05:00 of the previous local day. Later runs start at 05:00
 * local time: one UTC hour earlier from the Sunday that daylight-saving time starts, one hour
 * later from the Sunday that it ends.
 */
const DST_CASES = [
  {
    name: "spring forward",
    from: "2026-03-06T00:00:00Z",
    to: "2026-03-10T00:00:00Z",
    runs: {
      201: [
        ["2026-03-05", "2026-03-06T00:00:00Z"],
        ["2026-03-06", "2026-03-06T11:00:00Z"],
        ["2026-03-07", "2026-03-07T11:00:00Z"],
        ["2026-03-08", "2026-03-08T10:00:00Z"],
        ["2026-03-09", "2026-03-09T10:00:00Z"],
      ],
      202: [
        ["2026-03-05", "2026-03-06T00:00:00Z"],
        ["2026-03-06", "2026-03-06T10:00:00Z"],
        ["2026-03-07", "2026-03-07T10:00:00Z"],
        ["2026-03-08", "2026-03-08T09:00:00Z"],
        ["2026-03-09", "2026-03-09T09:00:00Z"],
      ],
      203: [
        ["2026-03-05", "2026-03-06T00:00:00Z"],
        ["2026-03-06", "2026-03-06T13:00:00Z"],
        ["2026-03-07", "2026-03-07T13:00:00Z"],
        ["2026-03-08", "2026-03-08T12:00:00Z"],
        ["2026-03-09", "2026-03-09T12:00:00Z"],
      ],
    } as Record<number, string[][]>,
  },
  {
    name: "fall back",
    from: "2026-10-30T00:00:00Z",
    to: "2026-11-03T00:00:00Z",
    runs: {
      201: [
        ["2026-10-29", "2026-10-30T00:00:00Z"],
        ["2026-10-30", "2026-10-30T10:00:00Z"],
        ["2026-10-31", "2026-10-31T10:00:00Z"],
        ["2026-11-01", "2026-11-01T11:00:00Z"],
        ["2026-11-02", "2026-11-02T11:00:00Z"],
      ],
      202: [
        ["2026-10-29", "2026-10-30T00:00:00Z"],
        ["2026-10-30", "2026-10-30T09:00:00Z"],
        ["2026-10-31", "2026-10-31T09:00:00Z"],
        ["2026-11-01", "2026-11-01T10:00:00Z"],
        ["2026-11-02", "2026-11-02T10:00:00Z"],
      ],
      203: [
        ["2026-10-29", "2026-10-30T00:00:00Z"],
        ["2026-10-30", "2026-10-30T12:00:00Z"],
        ["2026-10-31", "2026-10-31T12:00:00Z"],
        ["2026-11-01", "2026-11-01T13:00:00Z"],
        ["2026-11-02", "2026-11-02T13:00:00Z"],
      ],
    } as Record<number, string[][]>,
  },
];

for (const dstCase of DST_CASES) {
  Deno.test(`tick across ${dstCase.name}`, async () => {
    const setup = await createAgencies(dstAgencies(await missingDatabasePath()));
    const { logger, lines } = memoryLogger("json");
    try {
      const reports = await tickEvery15Minutes(setup.env, dstCase, {
        logger,
        state: createTickState(),
      });

      for (const [orgId, expected] of Object.entries(dstCase.runs)) {
        const runs = readRuns(setup.orgPath(Number(orgId)));
        assert.deepEqual(
          runs.map((run) => [run.plan_date, run.started_at]),
          expected,
          `organization ${orgId}`,
        );
        for (const run of runs) {
          const local = Temporal.Instant.from(run.started_at).toZonedDateTimeISO(
            TIME_ZONES[Number(orgId)],
          );
          assert.equal(run.status, "completed", `organization ${orgId} ${run.plan_date}`);
          assert.equal(local.toPlainDate().toString(), run.plan_date, `organization ${orgId}`);
          assert.ok(local.hour >= 5, `organization ${orgId} ran at ${local} before 05:00`);
        }
      }
      assert.equal(hasRunTable(setup.orgPath(301)), false);
      assertBrokenAgenciesFailed(reports);

      const completedLines = lines.map((line) => JSON.parse(line)).filter((record) =>
        record.event === "run_completed"
      );
      assert.equal(completedLines.length, 15);
      assertNoContactData(lines);
    } finally {
      await Deno.remove(setup.dir, { recursive: true });
    }
  });
}

/**
 * Asserts that agencies 101 (bad overrides) and 102 (missing database) failed at every tick after
 * 05:00 in Chicago, the default time zone, that the inactive 301 never shows up, and that every
 * tick visited the good agencies anyway.
 */
function assertBrokenAgenciesFailed(reports: TickReport[]): void {
  const dueTicks = reports.filter((report) =>
    Temporal.Instant.from(report.instant).toZonedDateTimeISO("America/Chicago").hour >= 5
  );
  const failures = reports.flatMap((report) => report.failed);
  assert.equal(failures.filter((failure) => failure.orgId === 101).length, dueTicks.length);
  assert.equal(failures.filter((failure) => failure.orgId === 102).length, dueTicks.length);
  assert.deepEqual(new Set(failures.map((failure) => failure.orgId)), new Set([101, 102]));
  assert.match(failures[0].message, /^Cannot load organization 101: config_overrides /);
  assert.match(failures[1].message, /^Cannot open organization 102 database: file not found: /);

  for (const report of reports) {
    const visited = [
      ...report.completed.map((run) => run.orgId),
      ...report.failed.map((failure) => failure.orgId),
      ...report.alreadyCompleted,
      ...report.beforeRunHour,
    ].sort();
    assert.deepEqual(visited, [101, 102, 201, 202, 203], report.instant);
    assert.equal(report.outcome, "finished", report.instant);
  }
}

/** Asserts that no log line contains an email address or a contact's birth date. */
function assertNoContactData(lines: string[]): void {
  for (const line of lines) {
    assert.doesNotMatch(line, /@/, line);
    for (const birthDate of BIRTH_DATES) assert.ok(!line.includes(String(birthDate)), line);
  }
}

/**
 * A run hour inside the hour that a change skips or repeats. On March 8 Chicago's clocks jump from
 * 01:59 to 03:00, so run hour 2 counts as passed at 03:00 CDT. On November 1 they show 01:00 twice,
 * and run hour 1 runs at the first 01:00 (CDT) only.
 */
const SHIFTED_HOUR_CASES = [
  {
    name: "gap",
    runHour: "2",
    from: "2026-03-07T12:00:00Z",
    to: "2026-03-09T12:00:00Z",
    runs: [
      ["2026-03-07", "2026-03-07T12:00:00Z"],
      ["2026-03-08", "2026-03-08T08:00:00Z"],
      ["2026-03-09", "2026-03-09T07:00:00Z"],
    ],
  },
  {
    name: "repeated hour",
    runHour: "1",
    from: "2026-10-31T12:00:00Z",
    to: "2026-11-02T12:00:00Z",
    runs: [
      ["2026-10-31", "2026-10-31T12:00:00Z"],
      ["2026-11-01", "2026-11-01T06:00:00Z"],
      ["2026-11-02", "2026-11-02T07:00:00Z"],
    ],
  },
];

for (const shifted of SHIFTED_HOUR_CASES) {
  Deno.test(`tick with run hour in ${shifted.name}`, async () => {
    const setup = await createAgencies([{ orgId: 201 }], {
      SCHEDULER_RUN_HOUR: shifted.runHour,
    });
    try {
      const { logger } = memoryLogger();
      await tickEvery15Minutes(setup.env, shifted, { logger, state: createTickState() });

      const runs = readRuns(setup.orgPath(201)).map((run) => [run.plan_date, run.started_at]);
      assert.deepEqual(runs, shifted.runs);
    } finally {
      await Deno.remove(setup.dir, { recursive: true });
    }
  });
}

Deno.test("localRunDay computes local date and hour", () => {
  const cases: Array<[instant: string, timezone: string, runHour: number, expected: string]> = [
    ["2026-03-06T10:59:00Z", "America/Chicago", 5, "2026-03-06 04:59 before"],
    ["2026-03-06T11:00:00Z", "America/Chicago", 5, "2026-03-06 05:00 passed"],
    ["2026-03-06T05:59:00Z", "America/Chicago", 0, "2026-03-05 23:59 passed"],
    ["2026-03-06T06:00:00Z", "America/Chicago", 0, "2026-03-06 00:00 passed"],
    ["2026-03-08T07:45:00Z", "America/Chicago", 2, "2026-03-08 01:45 before"],
    ["2026-03-08T08:00:00Z", "America/Chicago", 2, "2026-03-08 03:00 passed"],
    ["2026-11-01T05:59:00Z", "America/Chicago", 1, "2026-11-01 00:59 before"],
    ["2026-11-01T06:00:00Z", "America/Chicago", 1, "2026-11-01 01:00 passed"],
    ["2026-11-01T07:00:00Z", "America/Chicago", 1, "2026-11-01 01:00 passed"],
    ["2026-11-01T07:00:00Z", "America/Chicago", 2, "2026-11-01 01:00 before"],
    ["2026-03-06T16:00:00Z", "Pacific/Kiritimati", 5, "2026-03-07 06:00 passed"],
    ["2026-03-06T09:30:00Z", "Asia/Kolkata", 15, "2026-03-06 15:00 passed"],
    ["2026-03-06T09:29:00Z", "Asia/Kolkata", 15, "2026-03-06 14:59 before"],
  ];
  for (const [instant, timezone, runHour, expected] of cases) {
    const day = localRunDay(Temporal.Instant.from(instant), { timezone, runHour });
    const time = day.localTime.toString({ smallestUnit: "minute" });
    assert.equal(
      `${day.today} ${time} ${day.runHourPassed ? "passed" : "before"}`,
      expected,
      `${instant} in ${timezone}`,
    );
  }
});

Deno.test("localRunDay rejects bad hour and zone", () => {
  const now = Temporal.Instant.from("2026-03-06T12:00:00Z");
  assert.throws(() => localRunDay(now, { timezone: "America/Chicago", runHour: 24 }), {
    name: "RangeError",
    message: "Cannot compute the local run day: runHour must be 0 to 23: 24",
  });
  assert.throws(() => localRunDay(now, { timezone: "Mars/Olympus_Mons", runHour: 5 }), RangeError);
});

/** A broken agency 101 next to a good agency 201, and the start of the expected message. */
const FAILURE_CASES: Array<{
  name: string;
  broken: (missingPath: string) => AgencySpec;
  prepare?: (setup: Setup) => DatabaseSync;
  message: RegExp;
  exitCode: 1 | 2;
}> = [
  {
    name: "invalid override JSON",
    broken: () => ({ orgId: 101, organization: { config_overrides: "{not json" } }),
    message: /^Cannot load organization 101: config_overrides /,
    exitCode: 2,
  },
  {
    name: "unknown override key",
    broken: () => ({ orgId: 101, organization: { config_overrides: '{"daily_cap": 3}' } }),
    message: /^Cannot load organization 101: .*daily_cap/,
    exitCode: 2,
  },
  {
    name: "unknown time zone",
    broken: () => ({ orgId: 101, organization: { timezone: "Mars/Olympus_Mons" } }),
    message:
      /^Cannot load organization 101: timezone must be an IANA time zone such as America\/Chicago: "Mars\/Olympus_Mons"$/,
    exitCode: 2,
  },
  {
    name: "missing org database",
    broken: (missingPath) => ({
      orgId: 101,
      organization: { db_path: missingPath },
      contacts: null,
    }),
    message: /^Cannot open organization 101 database: file not found: .*org\.sqlite3$/,
    exitCode: 2,
  },
  {
    name: "database locked by a writer",
    broken: () => ({ orgId: 101 }),
    prepare: (setup) => {
      const writer = new DatabaseSync(setup.orgPath(101));
      writer.exec("BEGIN IMMEDIATE");
      return writer;
    },
    message:
      /^Cannot schedule organization 101: its database is locked by another run or writer; try again later$/,
    exitCode: 1,
  },
  {
    // NOTE: this case takes 5 s, because a read-only openDatabase waits 5 s for the lock in Deno
    // 2.9.6 instead of failing at once (see "openDatabase applies read-only busy timeout" below).
    name: "database locked exclusively",
    broken: () => ({ orgId: 101 }),
    prepare: (setup) => {
      const writer = new DatabaseSync(setup.orgPath(101));
      writer.exec("BEGIN EXCLUSIVE");
      return writer;
    },
    message: /^Cannot open organization 101 database: database is locked: /,
    exitCode: 2,
  },
];

for (const failure of FAILURE_CASES) {
  Deno.test(`tick survives ${failure.name}`, async () => {
    const broken = failure.broken(await missingDatabasePath());
    const setup = await createAgencies([broken, { orgId: 201 }]);
    const writer = failure.prepare?.(setup);
    const { logger, lines } = memoryLogger();
    try {
      const report = await runTick(setup.env, Temporal.Instant.from("2026-03-06T12:00:00Z"), {
        logger,
      });

      assert.equal(report.failed.length, 1);
      assert.equal(report.failed[0].orgId, 101);
      assert.match(report.failed[0].message, failure.message);
      assert.equal(report.failed[0].exitCode, failure.exitCode);
      assert.deepEqual(report.completed.map((run) => run.orgId), [201]);
      assert.deepEqual(readRuns(setup.orgPath(201)).map((run) => run.status), ["completed"]);
      const failedLine = lines.find((line) => line.includes("organization 101: run failed"));
      assert.ok(failedLine, lines.join("\n"));
      assert.ok(failedLine.includes(report.failed[0].message), failedLine);
    } finally {
      writer?.close();
      await Deno.remove(setup.dir, { recursive: true });
    }
  });
}

Deno.test("tick counts repeated failures", async () => {
  const setup = await createAgencies([
    { orgId: 101, organization: { config_overrides: "[]" } },
    { orgId: 201 },
  ]);
  const { logger, lines } = memoryLogger();
  const state = createTickState();
  try {
    const first = Temporal.Instant.from("2026-03-06T12:00:00Z");
    await runTick(setup.env, first, { logger, state });
    const second = await runTick(setup.env, first.add({ minutes: 15 }), { logger, state });

    assert.equal(second.failed[0].consecutiveFailures, 2);
    assert.deepEqual(second.alreadyCompleted, [201]);
    const failedLines = lines.filter((line) => line.includes("run failed"));
    assert.equal(failedLines.length, 2);
    assert.doesNotMatch(failedLines[0], /in a row/);
    assert.match(
      failedLines[1],
      /organization 101: run failed for 2026-03-06 \(2 ticks in a row\)/,
    );
  } finally {
    await Deno.remove(setup.dir, { recursive: true });
  }
});

Deno.test("tick during another tick does nothing", async () => {
  const setup = await createAgencies([{ orgId: 201 }, { orgId: 202 }]);
  const { logger, lines } = memoryLogger();
  const state = createTickState();
  const now = Temporal.Instant.from("2026-03-06T12:00:00Z");
  try {
    const first = runTick(setup.env, now, { logger, state });
    const second = await runTick(setup.env, now.add({ minutes: 15 }), { logger, state });
    const firstReport = await first;

    assert.equal(second.outcome, "overlapped");
    assert.deepEqual(second.completed, []);
    assert.deepEqual(second.failed, []);
    assert.deepEqual(firstReport.completed.map((run) => run.orgId), [201, 202]);
    assert.equal(readRuns(setup.orgPath(201)).length, 1);
    assert.equal(readRuns(setup.orgPath(202)).length, 1);
    assert.ok(
      lines.some((line) =>
        line.includes(
          "WARN  tick 2026-03-06T12:15:00.000Z skipped: the previous tick is still running",
        )
      ),
      lines.join("\n"),
    );
    assert.equal(state.running, false);
  } finally {
    await Deno.remove(setup.dir, { recursive: true });
  }
});

Deno.test("tick stops between agencies on signal", async () => {
  const setup = await createAgencies([{ orgId: 201 }, { orgId: 202 }, { orgId: 203 }]);
  const controller = new AbortController();
  const lines: string[] = [];
  // The stop request arrives while agency 201 runs; the tick notices it before starting 202.
  const logger = new Logger({
    format: "text",
    now: () => LOG_TIME,
    write: (line) => {
      lines.push(line);
      if (line.includes("organization 201: run completed")) controller.abort();
    },
  });
  try {
    const report = await runTick(setup.env, Temporal.Instant.from("2026-03-06T12:00:00Z"), {
      logger,
      signal: controller.signal,
    });

    assert.equal(report.outcome, "stopped");
    assert.deepEqual(report.completed.map((run) => run.orgId), [201]);
    assert.deepEqual(report.notStarted, [202, 203]);
    assert.equal(readRuns(setup.orgPath(201)).length, 1);
    assert.equal(hasRunTable(setup.orgPath(202)), false);
    assert.equal(hasRunTable(setup.orgPath(203)), false);
    assert.match(
      lines.at(-1) ?? "",
      /WARN {2}tick 2026-03-06T12:00:00.000Z stopped by a signal .*not started: 202, 203$/,
    );
  } finally {
    await Deno.remove(setup.dir, { recursive: true });
  }
});

Deno.test("tick logs one line per run", async () => {
  const setup = await createAgencies([{ orgId: 201 }]);
  const text = memoryLogger("text");
  const json = memoryLogger("json");
  try {
    const now = Temporal.Instant.from("2026-03-06T12:00:00Z");
    await runTick(setup.env, now, { logger: text.logger, clock: () => 0 });
    await runTick(setup.env, Temporal.Instant.from("2026-03-07T12:00:00Z"), {
      logger: json.logger,
      clock: () => 0,
    });

    const db = new DatabaseSync(setup.orgPath(201), { readOnly: true });
    const stored = db.prepare(
      "SELECT rows_inserted, rows_updated, rows_deleted, skipped_by_reason FROM scheduler_runs ORDER BY started_at",
    ).all();
    db.close();

    const skipped = JSON.parse(String(stored[0].skipped_by_reason));
    const reasons = Object.entries(skipped).map(([reason, count]) => `${reason} ${count}`);
    const total = Object.values(skipped as Record<string, number>).reduce((a, b) => a + b, 0);
    assert.ok(total > 0, "the CA and NY contacts give skipped emails");
    assert.deepEqual(text.lines, [
      `2026-01-01T00:00:00.000Z INFO  organization 201: run completed for 2026-03-06: ${
        stored[0].rows_inserted
      } inserted, 0 updated, 0 deleted, ${total} skipped (${reasons.join(", ")}) in 0 ms`,
      "2026-01-01T00:00:00.000Z INFO  tick 2026-03-06T12:00:00.000Z finished in 0 ms: 1 completed, " +
      "0 failed, 0 already completed today, 0 before the run hour",
    ]);

    const records = json.lines.map((line) => JSON.parse(line));
    assert.equal(records.length, 2);
    const run = records[0];
    assert.equal(run.event, "run_completed");
    assert.equal(run.level, "info");
    assert.equal(run.time, "2026-01-01T00:00:00.000Z");
    assert.equal(run.org_id, 201);
    assert.equal(run.today, "2026-03-07");
    assert.equal(run.inserted, stored[1].rows_inserted);
    assert.equal(run.updated, stored[1].rows_updated);
    assert.equal(run.deleted, stored[1].rows_deleted);
    assert.deepEqual(run.skipped_by_reason, JSON.parse(String(stored[1].skipped_by_reason)));
    assert.equal(run.duration_ms, 0);
    assert.equal(records[1].event, "tick_finished");
    assertNoContactData([...text.lines, ...json.lines]);
  } finally {
    await Deno.remove(setup.dir, { recursive: true });
  }
});

Deno.test("Logger formats, filters and redacts", () => {
  const { logger, lines } = memoryLogger("text");
  logger.debug("hidden below info");
  logger.info("plain");
  logger.warn("failed for jane.doe@example.com today");
  logger.error("bug", { stack: "Error: bug\n    at somewhere" });
  assert.deepEqual(lines, [
    "2026-01-01T00:00:00.000Z INFO  plain",
    "2026-01-01T00:00:00.000Z WARN  failed for <email> today",
    "2026-01-01T00:00:00.000Z ERROR bug",
    "Error: bug\n    at somewhere",
  ]);

  const json = memoryLogger("json");
  json.logger.error("failed", { org_id: 7, error: "contact a@b.co" });
  assert.deepEqual(JSON.parse(json.lines[0]), {
    time: "2026-01-01T00:00:00.000Z",
    level: "error",
    message: "failed",
    org_id: 7,
    error: "contact <email>",
  });

  assert.throws(
    () => new Logger({ format: "xml" as LogFormat, write: () => {}, now: () => LOG_TIME }),
    { name: "RangeError", message: 'Cannot create logger: format must be text or json: "xml"' },
  );
});

/** `cron --tick-at` through `main`, with the exit codes of `schedule --all`. */
const TICK_AT_CASES: Array<{
  name: string;
  args: string[];
  agencies: (missingPath: string) => AgencySpec[];
  centralPath?: string;
  exitCode: number;
  stderr: RegExp | null;
}> = [
  {
    name: "every agency completes",
    args: ["cron", "--tick-at", "2026-03-06T12:00:00Z"],
    agencies: () => [{ orgId: 201 }, { orgId: 202 }],
    exitCode: 0,
    stderr: null,
  },
  {
    name: "nothing due yet",
    args: ["cron", "--tick-at", "2026-03-06T10:45:00Z"],
    agencies: () => [{ orgId: 201 }],
    exitCode: 0,
    stderr: null,
  },
  {
    name: "one agency fails",
    args: ["cron", "--tick-at", "2026-03-06T12:00:00Z"],
    agencies: (missingPath) => [
      { orgId: 201 },
      { orgId: 202, organization: { db_path: missingPath }, contacts: null },
    ],
    exitCode: 1,
    stderr: null,
  },
  {
    name: "instant without time",
    args: ["cron", "--tick-at", "2026-03-06"],
    agencies: () => [{ orgId: 201 }],
    exitCode: 2,
    stderr:
      /^error: Invalid arguments for cron: --tick-at must be an ISO-8601 instant with an offset, such as 2026-03-06T11:00:00Z: "2026-03-06"$/,
  },
  {
    name: "instant without offset",
    args: ["cron", "--tick-at", "2026-03-06T12:00:00"],
    agencies: () => [{ orgId: 201 }],
    exitCode: 2,
    stderr: /^error: Invalid arguments for cron: --tick-at must be an ISO-8601 instant/,
  },
  {
    name: "missing flag value",
    args: ["cron", "--tick-at"],
    agencies: () => [{ orgId: 201 }],
    exitCode: 2,
    stderr: /^error: Invalid arguments for cron: /,
  },
  {
    name: "extra argument",
    args: ["cron", "206", "--tick-at", "2026-03-06T12:00:00Z"],
    agencies: () => [{ orgId: 201 }],
    exitCode: 2,
    stderr: /^error: Invalid arguments for cron: unexpected argument "206"; see --help$/,
  },
  {
    name: "missing central database",
    args: ["cron", "--tick-at", "2026-03-06T12:00:00Z"],
    agencies: () => [{ orgId: 201 }],
    centralPath: "missing-central.sqlite3",
    exitCode: 2,
    stderr: /^error: Cannot open central database: file not found: .*missing-central\.sqlite3$/,
  },
];

for (const tickAt of TICK_AT_CASES) {
  Deno.test(`cron --tick-at: ${tickAt.name}`, async () => {
    const setup = await createAgencies(tickAt.agencies(await missingDatabasePath()));
    const env = tickAt.centralPath === undefined
      ? setup.env
      : { ...setup.env, CENTRAL_DB_PATH: join(setup.dir, tickAt.centralPath) };
    const output = memoryOutput();
    try {
      const code = await main(tickAt.args, { output, env, now: () => LOG_TIME });

      assert.equal(code, tickAt.exitCode, [...output.stdout, ...output.stderr].join("\n"));
      if (tickAt.stderr === null) assert.deepEqual(output.stderr, []);
      else {
        assert.equal(output.stderr.length, 1, output.stderr.join("\n"));
        assert.match(output.stderr[0], tickAt.stderr);
      }
    } finally {
      await Deno.remove(setup.dir, { recursive: true });
    }
  });
}

Deno.test("cron --tick-at writes JSON lines", async () => {
  const setup = await createAgencies(
    [{ orgId: 201 }, { orgId: 202, organization: { active: 0 } }],
    {
      LOG_FORMAT: "json",
    },
  );
  const output = memoryOutput();
  try {
    const code = await main(["cron", "--tick-at", "2026-03-06T12:00:00Z"], {
      output,
      env: setup.env,
      now: () => LOG_TIME,
    });

    assert.equal(code, 0);
    const events = output.stdout.map((line) => JSON.parse(line).event);
    assert.deepEqual(events, ["run_completed", "tick_finished"]);
    assert.equal(JSON.parse(output.stdout[0]).org_id, 201);
    assert.equal(hasRunTable(setup.orgPath(202)), false);
  } finally {
    await Deno.remove(setup.dir, { recursive: true });
  }
});

Deno.test("cron registers and stops on abort", async () => {
  const setup = await createAgencies([{ orgId: 201 }]);
  const output = memoryOutput();
  const controller = new AbortController();
  try {
    const running = main(["cron"], {
      output,
      env: setup.env,
      now: () => LOG_TIME,
      signal: controller.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    const code = await running;

    assert.equal(code, 0);
    assert.deepEqual(output.stderr, []);
    assert.match(
      output.stdout[0],
      /INFO {2}cron registered: "\*\/15 \* \* \* \*" \(UTC\); each active agency runs once a day after 05:00 in its time zone; central database /,
    );
    // A quarter hour may pass during the test, so lines between these two are allowed.
    assert.equal(output.stdout.at(-1), "2026-01-01T00:00:00.000Z INFO  cron stopped");
  } finally {
    await Deno.remove(setup.dir, { recursive: true });
  }
});

Deno.test("cron fails at start without central", async () => {
  const setup = await createAgencies([{ orgId: 201 }]);
  const output = memoryOutput();
  try {
    const env = { ...setup.env, CENTRAL_DB_PATH: join(setup.dir, "nowhere.sqlite3") };
    const code = await main(["cron"], { output, env, now: () => LOG_TIME });

    assert.equal(code, 2);
    assert.deepEqual(output.stdout, []);
    assert.match(output.stderr[0], /^error: Cannot open central database: file not found: /);
  } finally {
    await Deno.remove(setup.dir, { recursive: true });
  }
});

Deno.test("schedule --all survives broken agencies", async () => {
  const setup = await createAgencies([
    { orgId: 101, organization: { config_overrides: "{not json" } },
    { orgId: 102, organization: { db_path: await missingDatabasePath() }, contacts: null },
    { orgId: 201 },
  ]);
  const output = memoryOutput();
  try {
    const code = await main(["schedule", "--all"], {
      output,
      env: setup.env,
      now: () => Temporal.Instant.from("2026-03-06T12:00:00Z"),
    });

    assert.equal(code, 1);
    assert.equal(output.stderr.length, 3, output.stderr.join("\n"));
    assert.match(output.stderr[0], /^error: Cannot load organization 101: config_overrides /);
    assert.match(output.stderr[1], /^error: Cannot open organization 102 database: file not found/);
    assert.equal(output.stderr[2], "2 of 3 agencies failed: 101, 102");
    assert.deepEqual(readRuns(setup.orgPath(201)).map((run) => run.plan_date), ["2026-03-06"]);
  } finally {
    await Deno.remove(setup.dir, { recursive: true });
  }
});

Deno.test({
  // Deno 2.9.6 ignores the `timeout` option of read-only connections (they wait 5000 ms), so
  // openDatabase sets PRAGMA busy_timeout itself. A read-only open with 0 must fail at once.
  name: "openDatabase applies read-only busy timeout",
  fn: async () => {
    const setup = await createAgencies([{ orgId: 201 }]);
    try {
      const db = openDatabase(setup.orgPath(201), {
        label: "test database",
        readOnly: true,
        busyTimeoutMs: 0,
      });
      const row = db.prepare("PRAGMA busy_timeout").get();
      db.close();

      assert.deepEqual({ ...row }, { timeout: 0 });
    } finally {
      await Deno.remove(setup.dir, { recursive: true });
    }
  },
});
