/**
 * Tests of the hybrid configuration: size profiles, caps, JSON overrides, state buffers, the order
 * in which sources win, and the configuration errors, on real SQLite files in temporary folders.
 * Nothing here depends on the date, so no test pins `today`.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { SchedulerError } from "../src/errors.ts";
import { bufferDaysFor } from "../src/config/agency_config.ts";
import { type EnvSettings, parseEnv } from "../src/config/env.ts";
import {
  loadAgencyConfig,
  loadAgencySettings,
  validateOrganization,
  validateStateBuffers,
} from "../src/config/load_config.ts";
import type { OrganizationRow } from "../src/config/organization_schema.ts";
import type { ConfigOverrides } from "../src/config/overrides.ts";
import { dailyCap, profileForContactCount } from "../src/config/profiles.ts";
import { resolveConfig } from "../src/config/resolve_config.ts";
import type { StateCode } from "../src/rules/states.ts";
import { applyMigrations } from "../src/db/migrate.ts";
import { inTransaction } from "../src/db/transaction.ts";
import {
  addOrganization,
  createTestAgency,
  fileDigest,
  type TestAgency,
} from "./support/agency.ts";
import { defaultOrganization } from "./support/config.ts";

const KNOWN_OVERRIDE_KEYS =
  "daily_send_percentage_cap, ed_daily_soft_limit, batch_size, ed_smoothing_window_days, catch_up_spread_days, overage_threshold";

function organization(columns: Record<string, string | number | null> = {}): OrganizationRow {
  return validateOrganization({ ...defaultOrganization(206), ...columns }, 206);
}

function resolve(options: {
  contactCount: number;
  columns?: Record<string, string | number | null>;
  overrides?: ConfigOverrides;
  stateBufferDays?: Partial<Record<StateCode, number>>;
}) {
  const { contactCount, columns = {}, overrides = {}, stateBufferDays = {} } = options;
  return resolveConfig({
    organization: organization(columns),
    overrides,
    stateBufferDays,
    contactCount,
    dbPath: "/unused/org-206.sqlite3",
  });
}

/** Asserts that `action` throws a one-line SchedulerError with exit code 2 and `message`. */
function assertConfigError(action: () => unknown, message: string): void {
  assert.throws(action, (error: unknown) => {
    assert.ok(error instanceof SchedulerError, `expected a SchedulerError: ${error}`);
    assert.equal(error.exitCode, 2);
    assert.equal(error.message, message);
    assert.ok(!error.message.includes("\n"), `message spans lines: ${error.message}`);
    return true;
  });
}

/** Creates a migrated central database without agencies in a new temporary folder. */
async function createCentral(): Promise<
  { central: DatabaseSync; env: EnvSettings; dir: string } & AsyncDisposable
> {
  const dir = await Deno.makeTempDir({ prefix: "config-test-" });
  const central = new DatabaseSync(join(dir, "central.sqlite3"));
  inTransaction(central, () => applyMigrations(central, "central"));
  const env = parseEnv({
    CENTRAL_DB_PATH: join(dir, "central.sqlite3"),
    ORG_DB_PATH_TEMPLATE: join(dir, "org-{id}.sqlite3"),
  });
  return {
    central,
    env,
    dir,
    [Symbol.asyncDispose]: async () => {
      if (central.isOpen) central.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Creates an agency with `createTestAgency` and removes its folder on dispose. */
async function testAgency(
  options: Parameters<typeof createTestAgency>[0] = {},
): Promise<TestAgency & AsyncDisposable> {
  const agency = await createTestAgency(options);
  return { ...agency, [Symbol.asyncDispose]: () => Deno.remove(agency.dir, { recursive: true }) };
}

/** Inserts `count` contacts with an email, ids from `firstId`, in one statement. */
function insertContactsWithEmail(orgPath: string, count: number, firstId = 1): void {
  const db = new DatabaseSync(orgPath);
  try {
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO contacts (id, email, state, birth_date) SELECT i, 'c' || i || '@example.com', 'TX', '1955-06-15' FROM n`,
    ).run(firstId, firstId + count - 1);
  } finally {
    db.close();
  }
}

Deno.test("profileForContactCount boundaries", () => {
  const cases: Array<[count: number, profile: string]> = [
    [0, "small"],
    [9_999, "small"],
    [10_000, "medium"],
    [99_999, "medium"],
    [100_000, "large"],
    [499_999, "large"],
    [500_000, "enterprise"],
    [3_000_000, "enterprise"],
  ];
  for (const [count, profile] of cases) {
    assert.equal(profileForContactCount(count).name, profile, `${count} contacts`);
  }
});

Deno.test("resolveConfig auto profile boundaries", () => {
  const cases: Array<[count: number, profile: string, batch: number, window: number]> = [
    [9_999, "small", 1_000, 3],
    [10_000, "medium", 5_000, 5],
    [99_999, "medium", 5_000, 5],
    [100_000, "large", 10_000, 7],
    [499_999, "large", 10_000, 7],
    [500_000, "enterprise", 25_000, 10],
  ];
  for (const [count, profile, batch, window] of cases) {
    const config = resolve({ contactCount: count });
    assert.equal(config.profile, profile, `${count} contacts`);
    assert.equal(config.batchSize, batch, `${count} contacts`);
    assert.equal(config.edSmoothingWindowDays, window, `${count} contacts`);
    assert.equal(config.sources.profile, "computed", `${count} contacts`);
  }
});

Deno.test("resolveConfig daily cap and ED limit", () => {
  const cases: Array<[profile: string, count: number, cap: number, edLimit: number]> = [
    ["small", 4, 1, 1],
    ["small", 9_999, 1_999, 50],
    ["medium", 10_000, 1_000, 200],
    ["medium", 50_000, 5_000, 200],
    ["large", 100_000, 7_000, 500],
    ["enterprise", 1_000_000, 50_000, 1_000],
  ];
  for (const [profile, count, cap, edLimit] of cases) {
    const config = resolve({ contactCount: count });
    assert.equal(config.profile, profile, `${count} contacts`);
    assert.equal(config.dailyCap, cap, `${count} contacts`);
    assert.equal(config.edDailyLimit, edLimit, `${count} contacts`);
  }
});

Deno.test("dailyCap keeps products that round down", () => {
  // 0.29 × 100 is 28.999999999999996 in binary floating point.
  assert.equal(dailyCap(100, 0.29), 29);
  assert.equal(dailyCap(0, 0.2), 1);
  assert.equal(dailyCap(3_000_000, 0.07), 210_000);
});

Deno.test("resolveConfig explicit profile pins it", () => {
  const cases: Array<[setting: string, count: number, cap: number, edLimit: number]> = [
    ["large", 5, 1, 1],
    ["small", 1_000_000, 200_000, 50],
    ["medium", 500_000, 50_000, 200],
    ["enterprise", 9_999, 499, 149],
  ];
  for (const [setting, count, cap, edLimit] of cases) {
    const config = resolve({ contactCount: count, columns: { size_profile: setting } });
    assert.equal(config.profile, setting, `${setting} with ${count} contacts`);
    assert.equal(config.sizeProfileSetting, setting);
    assert.equal(config.sources.profile, "column");
    assert.equal(config.dailyCap, cap, `${setting} with ${count} contacts`);
    assert.equal(config.edDailyLimit, edLimit, `${setting} with ${count} contacts`);
  }
});

Deno.test("resolveConfig overrides beat profile", () => {
  const config = resolve({
    contactCount: 50_000,
    overrides: { batch_size: 20_000, daily_send_percentage_cap: 0.15 },
  });

  assert.equal(config.profile, "medium");
  assert.equal(config.dailySendPercentageCap, 0.15);
  assert.equal(config.dailyCap, 7_500);
  assert.equal(config.batchSize, 20_000);
  assert.equal(config.edDailySoftLimit, 200);
  assert.equal(config.edDailyLimit, 200);
  assert.equal(config.sources.batch_size, "override");
  assert.equal(config.sources.daily_send_percentage_cap, "override");
  assert.equal(config.sources.ed_daily_soft_limit, "profile");
  assert.equal(config.sources.daily_cap, "computed");
});

Deno.test("resolveConfig overrides beat constants", () => {
  const plain = resolve({ contactCount: 100 });
  const overridden = resolve({
    contactCount: 100,
    overrides: { catch_up_spread_days: 3, overage_threshold: 1.5, ed_smoothing_window_days: 9 },
  });

  assert.equal(plain.catchUpSpreadDays, 7);
  assert.equal(plain.sources.catch_up_spread_days, "constant");
  assert.equal(plain.overageThreshold, 1.2);
  assert.equal(plain.sources.overage_threshold, "constant");
  assert.equal(overridden.catchUpSpreadDays, 3);
  assert.equal(overridden.sources.catch_up_spread_days, "override");
  assert.equal(overridden.overageThreshold, 1.5);
  assert.equal(overridden.sources.overage_threshold, "override");
  assert.equal(overridden.edSmoothingWindowDays, 9);
  assert.equal(overridden.sources.ed_smoothing_window_days, "override");
});

Deno.test("resolveConfig state buffer beats column", () => {
  const config = resolve({
    contactCount: 100,
    columns: { pre_exclusion_buffer_days: 60 },
    stateBufferDays: { CA: 90, NV: 0 },
  });

  assert.equal(bufferDaysFor(config, "CA"), 90);
  // A buffer of 0 still replaces the agency's 60, because a state row replaces the buffer.
  assert.equal(bufferDaysFor(config, "NV"), 0);
  assert.equal(bufferDaysFor(config, "TX"), 60);
  assert.equal(config.preExclusionBufferDays, 60);
  assert.equal(config.sources.pre_exclusion_buffer_days, "column");
  assert.equal(config.sources["pre_exclusion_buffer_days.CA"], "state buffer");
  assert.equal(config.sources["pre_exclusion_buffer_days.NV"], "state buffer");
  assert.equal(config.sources["pre_exclusion_buffer_days.TX"], undefined);
});

Deno.test("resolveConfig copies organization columns", () => {
  const config = resolve({
    contactCount: 100,
    columns: {
      send_time_hour: 7,
      send_time_minute: 5,
      timezone: "America/New_York",
      enable_post_window_emails: 0,
      exclude_failed_underwriting_global: 1,
      aep_month: 2,
      aep_day: 29,
    },
  });

  assert.equal(config.sendTime, "07:05:00");
  assert.equal(config.timezone, "America/New_York");
  assert.equal(config.enablePostWindowEmails, false);
  assert.equal(config.excludeFailedUnderwritingGlobal, true);
  assert.equal(config.sendWithoutZipcodeForUniversal, true);
  assert.equal(config.aepMonth, 2);
  assert.equal(config.aepDay, 29);
  assert.equal(config.sources.send_time, "column");
  assert.equal(config.sources.timezone, "column");
});

Deno.test("resolveConfig result is frozen", () => {
  const config = resolve({ contactCount: 100, stateBufferDays: { CA: 90 } });

  assert.ok(Object.isFrozen(config));
  assert.ok(Object.isFrozen(config.sources));
  assert.ok(Object.isFrozen(config.stateBufferDays));
  assert.throws(() => {
    (config as { dailyCap: number }).dailyCap = 5;
  }, TypeError);
});

Deno.test("loadAgencySettings rejects bad overrides", async () => {
  await using temp = await createCentral();
  const { central, env } = temp;
  const cases: Array<[text: string, message: string]> = [
    [
      '{"daily_send_percentage_cap": 3}',
      "config_overrides.daily_send_percentage_cap must be a number greater than 0 and at most 1: 3",
    ],
    [
      '{"daily_send_percentage_cap": 0}',
      "config_overrides.daily_send_percentage_cap must be a number greater than 0 and at most 1: 0",
    ],
    [
      '{"ed_daily_soft_limit": "12"}',
      'config_overrides.ed_daily_soft_limit must be a positive integer: "12"',
    ],
    ['{"batch_size": 2.5}', "config_overrides.batch_size must be a positive integer: 2.5"],
    [
      '{"catch_up_spread_days": -1}',
      "config_overrides.catch_up_spread_days must be a positive integer: -1",
    ],
    [
      '{"overage_threshold": 0.9}',
      "config_overrides.overage_threshold must be a number of at least 1: 0.9",
    ],
    [
      '{"overage_threshold": 1e400}',
      "config_overrides.overage_threshold must be a number of at least 1: Infinity",
    ],
    ['{"foo": 1}', `config_overrides.foo is not a known key (known: ${KNOWN_OVERRIDE_KEYS}): 1`],
    ["[1,2]", 'config_overrides must be a JSON object: "[1,2]"'],
    ["null", 'config_overrides must be a JSON object: "null"'],
    ["{batch_size: 1}", 'config_overrides must be valid JSON: "{batch_size: 1}"'],
    [
      '{\n  "batch_size": 1,\n}',
      'config_overrides must be valid JSON: "{\\n  \\"batch_size\\": 1,\\n}"',
    ],
  ];
  for (const [index, [text, message]] of cases.entries()) {
    const orgId = index + 1;
    addOrganization(central, orgId, { config_overrides: text });
    assertConfigError(
      () => loadAgencySettings(central, orgId, { env }),
      `Cannot load organization ${orgId}: ${message}`,
    );
  }
});

Deno.test("loadAgencySettings accepts empty overrides", async () => {
  await using temp = await createCentral();
  const { central, env } = temp;
  addOrganization(central, 1, { config_overrides: null });
  addOrganization(central, 2, { config_overrides: "  " });
  addOrganization(central, 3, { config_overrides: "{}" });
  addOrganization(central, 4, { config_overrides: '{"batch_size": 20000}' });

  assert.deepEqual(loadAgencySettings(central, 1, { env }).overrides, {});
  assert.deepEqual(loadAgencySettings(central, 2, { env }).overrides, {});
  assert.deepEqual(loadAgencySettings(central, 3, { env }).overrides, {});
  assert.deepEqual(loadAgencySettings(central, 4, { env }).overrides, { batch_size: 20_000 });
});

Deno.test("loadAgencySettings rejects bad columns", async () => {
  await using temp = await createCentral();
  const { central, env } = temp;
  const cases: Array<[columns: Record<string, string | number | null>, message: string]> = [
    [
      { size_profile: "Medium" },
      'size_profile must be one of auto, small, medium, large, enterprise: "Medium"',
    ],
    [
      { timezone: "Mars/Base" },
      'timezone must be an IANA time zone such as America/Chicago: "Mars/Base"',
    ],
    [{ timezone: "" }, 'timezone must be an IANA time zone such as America/Chicago: ""'],
    [{ aep_month: 9, aep_day: 31 }, "aep_day must be a day of month 9: 31"],
    [{ aep_month: 2, aep_day: 30 }, "aep_day must be a day of month 2: 30"],
    [{ aep_month: 13 }, "aep_month must be an integer from 1 to 12: 13"],
    [{ send_time_hour: 24 }, "send_time_hour must be an integer from 0 to 23: 24"],
    [{ send_time_minute: 60 }, "send_time_minute must be an integer from 0 to 59: 60"],
    [{ active: 2 }, "active must be 0 or 1: 2"],
    [
      { pre_exclusion_buffer_days: "sixty" },
      'pre_exclusion_buffer_days must be an integer from 0 to 365: "sixty"',
    ],
    [{ max_emails_per_period: 0 }, "max_emails_per_period must be an integer from 1 to 1000: 0"],
    [{ name: "" }, 'name must be non-empty text: ""'],
  ];
  for (const [index, [columns, message]] of cases.entries()) {
    const orgId = index + 1;
    addOrganization(central, orgId, columns);
    assertConfigError(
      () => loadAgencySettings(central, orgId, { env }),
      `Cannot load organization ${orgId}: ${message}`,
    );
  }
});

Deno.test("loadAgencySettings accepts edge columns", async () => {
  await using temp = await createCentral();
  const { central, env } = temp;
  addOrganization(central, 1, { aep_month: 2, aep_day: 29, send_time_hour: 23 });
  addOrganization(central, 2, { aep_month: 12, aep_day: 31, send_time_hour: 0 });

  const leapDay = loadAgencySettings(central, 1, { env }).organization;
  const newYearsEve = loadAgencySettings(central, 2, { env }).organization;

  assert.equal(leapDay.aep_day, 29);
  assert.equal(leapDay.send_time_hour, 23);
  assert.equal(newYearsEve.aep_day, 31);
  assert.equal(newYearsEve.send_time_hour, 0);
});

Deno.test("loadAgencySettings rejects unknown agency", async () => {
  await using temp = await createCentral();
  const { central, env } = temp;
  addOrganization(central, 1);

  assertConfigError(
    () => loadAgencySettings(central, 999, { env }),
    "Cannot load organization 999: not found",
  );
});

Deno.test("loadAgencySettings inactive agency", async () => {
  await using temp = await createCentral();
  const { central, env } = temp;
  addOrganization(central, 7, { active: 0 });

  assertConfigError(
    () => loadAgencySettings(central, 7, { env }),
    "Cannot load organization 7: active is 0 (agency is inactive)",
  );
  const settings = loadAgencySettings(central, 7, { env, allowInactive: true });
  assert.equal(settings.organization.active, 0);
});

Deno.test("loadAgencySettings db_path and template", async () => {
  await using temp = await createCentral();
  const { central, env, dir } = temp;
  addOrganization(central, 1);
  addOrganization(central, 2, { db_path: "/srv/agencies/two.sqlite3" });

  const fromTemplate = loadAgencySettings(central, 1, { env });
  const fromColumn = loadAgencySettings(central, 2, { env });

  assert.equal(fromTemplate.dbPath, join(dir, "org-1.sqlite3"));
  assert.equal(fromTemplate.dbPathSource, "environment");
  assert.equal(fromColumn.dbPath, "/srv/agencies/two.sqlite3");
  assert.equal(fromColumn.dbPathSource, "column");
});

Deno.test("validateStateBuffers rejects bad rows", () => {
  const cases: Array<[state: unknown, days: unknown, message: string]> = [
    ["ZZ", 90, 'organization_state_buffers.state_code must be a US state code: "ZZ"'],
    ["ca", 90, 'organization_state_buffers.state_code must be a US state code: "ca"'],
    [" CA", 90, 'organization_state_buffers.state_code must be a US state code: " CA"'],
    [null, 90, "organization_state_buffers.state_code must be a US state code: null"],
    [
      "CA",
      400,
      "organization_state_buffers.pre_exclusion_buffer_days for CA must be an integer from 0 to 365: 400",
    ],
    [
      "TX",
      12.5,
      "organization_state_buffers.pre_exclusion_buffer_days for TX must be an integer from 0 to 365: 12.5",
    ],
    [
      "NV",
      -1,
      "organization_state_buffers.pre_exclusion_buffer_days for NV must be an integer from 0 to 365: -1",
    ],
    [
      "MO",
      "90",
      'organization_state_buffers.pre_exclusion_buffer_days for MO must be an integer from 0 to 365: "90"',
    ],
  ];
  for (const [state, days, message] of cases) {
    assertConfigError(
      () => validateStateBuffers([{ state_code: state, pre_exclusion_buffer_days: days }], 206),
      `Cannot load organization 206: ${message}`,
    );
  }
});

Deno.test("loadAgencySettings rejects stored bad buffers", async () => {
  await using temp = await createCentral();
  const { central, env } = temp;
  addOrganization(central, 1);
  addOrganization(central, 2);
  addOrganization(central, 3);
  const insert = central.prepare(
    "INSERT INTO organization_state_buffers (org_id, state_code, pre_exclusion_buffer_days) VALUES (?, ?, ?)",
  );
  insert.run(1, "ZZ", 90);
  insert.run(2, "TX", 12.5);
  // The table's CHECK constraints reject this row, but a table made without them could hold it.
  central.exec("PRAGMA ignore_check_constraints = ON");
  insert.run(3, "CA", 400);
  central.exec("PRAGMA ignore_check_constraints = OFF");

  assertConfigError(
    () => loadAgencySettings(central, 1, { env }),
    'Cannot load organization 1: organization_state_buffers.state_code must be a US state code: "ZZ"',
  );
  assertConfigError(
    () => loadAgencySettings(central, 2, { env }),
    "Cannot load organization 2: organization_state_buffers.pre_exclusion_buffer_days for TX must be an integer from 0 to 365: 12.5",
  );
  assertConfigError(
    () => loadAgencySettings(central, 3, { env }),
    "Cannot load organization 3: organization_state_buffers.pre_exclusion_buffer_days for CA must be an integer from 0 to 365: 400",
  );
});

Deno.test("loadAgencyConfig CA buffer beats agency", async () => {
  await using agency = await testAgency({
    contacts: [{ id: 1, state: "CA" }, { id: 2, state: "TX" }],
    organization: { pre_exclusion_buffer_days: 60 },
    stateBuffers: [["CA", 90], ["NV", 0]],
  });

  const config = loadAgencyConfig(agency.env, 206);

  assert.equal(config.preExclusionBufferDays, 60);
  assert.deepEqual(config.stateBufferDays, { CA: 90, NV: 0 });
  assert.equal(bufferDaysFor(config, "CA"), 90);
  assert.equal(bufferDaysFor(config, "NV"), 0);
  assert.equal(bufferDaysFor(config, "OR"), 60);
  assert.equal(config.sources["pre_exclusion_buffer_days.CA"], "state buffer");
});

Deno.test("loadAgencyConfig buffers of another agency", async () => {
  await using agency = await testAgency({ stateBuffers: [["CA", 90]] });
  const central = new DatabaseSync(agency.centralPath);
  addOrganization(central, 207, { db_path: agency.orgPath });
  central.prepare(
    "INSERT INTO organization_state_buffers (org_id, state_code, pre_exclusion_buffer_days) VALUES (207, 'CA', 10)",
  ).run();
  central.close();

  assert.equal(bufferDaysFor(loadAgencyConfig(agency.env, 206), "CA"), 90);
  assert.equal(bufferDaysFor(loadAgencyConfig(agency.env, 207), "CA"), 10);
});

Deno.test("loadAgencyConfig counts contacts with email", async () => {
  await using agency = await testAgency({
    contacts: [
      { id: 1_000_001, email: null },
      { id: 1_000_002, email: "" },
      { id: 1_000_003, email: "   " },
      { id: 1_000_004, email: "not an address" },
    ],
  });
  // 9,998 rows plus the malformed address, which is still a non-empty email and counts towards N.
  insertContactsWithEmail(agency.orgPath, 9_998);

  const small = loadAgencyConfig(agency.env, 206);
  insertContactsWithEmail(agency.orgPath, 1, 10_000);
  const medium = loadAgencyConfig(agency.env, 206);

  assert.equal(small.contactCount, 9_999);
  assert.equal(small.profile, "small");
  assert.equal(small.dailyCap, 1_999);
  assert.equal(small.edDailyLimit, 50);
  assert.equal(medium.contactCount, 10_000);
  assert.equal(medium.profile, "medium");
  assert.equal(medium.dailyCap, 1_000);
  assert.equal(medium.edDailyLimit, 200);
  assert.equal(medium.batchSize, 5_000);
});

Deno.test("loadAgencyConfig dbPath option wins", async () => {
  await using agency = await testAgency({ contacts: [{ id: 1 }, { id: 2 }] });
  const otherPath = join(agency.dir, "copy.sqlite3");
  await Deno.copyFile(agency.orgPath, otherPath);
  insertContactsWithEmail(otherPath, 5, 100);

  const config = loadAgencyConfig(agency.env, 206, { dbPath: otherPath });

  assert.equal(config.dbPath, otherPath);
  assert.equal(config.contactCount, 7);
});

Deno.test("loadAgencyConfig garbage central database", async () => {
  await using agency = await testAgency({ contacts: [{ id: 1 }] });
  await Deno.writeFile(agency.centralPath, new TextEncoder().encode("not a database ".repeat(100)));
  const before = await fileDigest(agency.centralPath);

  assertConfigError(
    () => loadAgencyConfig(agency.env, 206),
    `Cannot load organization 206: cannot open central database: file is not a database: ${agency.centralPath}`,
  );
  assert.equal(await fileDigest(agency.centralPath), before);
});

Deno.test("loadAgencyConfig missing central database", async () => {
  await using agency = await testAgency({ contacts: [{ id: 1 }] });
  await Deno.remove(agency.centralPath);

  assertConfigError(
    () => loadAgencyConfig(agency.env, 206),
    `Cannot load organization 206: cannot open central database: file not found: ${agency.centralPath}`,
  );
  await assert.rejects(() => Deno.stat(agency.centralPath), Deno.errors.NotFound);
});

Deno.test("loadAgencyConfig unmigrated central database", async () => {
  await using agency = await testAgency({ contacts: [{ id: 1 }] });
  await Deno.remove(agency.centralPath);
  const legacy = new DatabaseSync(agency.centralPath);
  legacy.exec(`CREATE TABLE organizations (id INTEGER PRIMARY KEY, name TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1);
    INSERT INTO organizations (id, name) VALUES (206, 'Legacy');`);
  legacy.close();
  const before = await fileDigest(agency.centralPath);

  assertConfigError(
    () => loadAgencyConfig(agency.env, 206),
    `Cannot load organization 206: cannot use central database: migrations are missing, run "deno task migrate": ${agency.centralPath}`,
  );
  assert.equal(await fileDigest(agency.centralPath), before);
});

Deno.test("loadAgencyConfig missing org database", async () => {
  await using agency = await testAgency();
  await Deno.remove(agency.orgPath);

  assertConfigError(
    () => loadAgencyConfig(agency.env, 206),
    `Cannot open organization 206 database: file not found: ${agency.orgPath}`,
  );
  await assert.rejects(() => Deno.stat(agency.orgPath), Deno.errors.NotFound);
});
