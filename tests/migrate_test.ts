/**
 * Tests of the migrations and the `migrate` command: fresh files, the upgrade of an older central
 * database, reruns that change nothing, and org databases whose own tables must stay as they are.
 * Migrations do not depend on the date, but `now` is pinned for the CLI all the same.
 */
import assert from "node:assert/strict";
import { DatabaseSync, type SQLOutputValue } from "node:sqlite";
import { join } from "node:path";
import {
  applyMigrations,
  hasPendingMigrations,
  loadMigrations,
  splitStatements,
} from "../src/db/migrate.ts";
import { inTransaction } from "../src/db/transaction.ts";
import { type EnvSettings, parseEnv } from "../src/config/env.ts";
import { validateOrganization } from "../src/config/load_config.ts";
import { createAppTables } from "../src/generate/app_schema.ts";
import { main } from "../src/cli/main.ts";
import { memoryOutput } from "../src/cli/output.ts";
import { addOrganization, fileDigest, insertContacts } from "./support/agency.ts";

const NOW = Temporal.Instant.from("2026-03-01T12:00:00Z");

type Row = Record<string, SQLOutputValue>;

/** Column name, type, NOT NULL and default of `organizations`, as the central schema requires. */
const ORGANIZATION_COLUMNS: Array<[string, string, number, string | null]> = [
  ["id", "INTEGER", 0, null],
  ["name", "TEXT", 1, null],
  ["active", "INTEGER", 1, "1"],
  ["db_path", "TEXT", 0, "NULL"],
  ["enable_post_window_emails", "INTEGER", 1, "1"],
  ["effective_date_first_email_months", "INTEGER", 1, "11"],
  ["exclude_failed_underwriting_global", "INTEGER", 1, "0"],
  ["send_without_zipcode_for_universal", "INTEGER", 1, "1"],
  ["pre_exclusion_buffer_days", "INTEGER", 1, "60"],
  ["birthday_days_before", "INTEGER", 1, "14"],
  ["effective_date_days_before", "INTEGER", 1, "30"],
  ["send_time_hour", "INTEGER", 1, "8"],
  ["send_time_minute", "INTEGER", 1, "30"],
  ["timezone", "TEXT", 1, "'America/Chicago'"],
  ["max_emails_per_period", "INTEGER", 1, "3"],
  ["frequency_period_days", "INTEGER", 1, "30"],
  ["size_profile", "TEXT", 1, "'auto'"],
  ["config_overrides", "TEXT", 0, "NULL"],
  ["aep_month", "INTEGER", 1, "9"],
  ["aep_day", "INTEGER", 1, "15"],
];

/** The default value of every setting column, as a row reads back after the upgrade. */
const DEFAULT_SETTINGS = {
  db_path: null,
  enable_post_window_emails: 1,
  effective_date_first_email_months: 11,
  exclude_failed_underwriting_global: 0,
  send_without_zipcode_for_universal: 1,
  pre_exclusion_buffer_days: 60,
  birthday_days_before: 14,
  effective_date_days_before: 30,
  send_time_hour: 8,
  send_time_minute: 30,
  timezone: "America/Chicago",
  max_emails_per_period: 3,
  frequency_period_days: 30,
  size_profile: "auto",
  config_overrides: null,
  aep_month: 9,
  aep_day: 15,
};

/** Creates a temporary folder and the environment that points the CLI at it. Removed on dispose. */
async function tempFolder(): Promise<
  { dir: string; env: EnvSettings; centralPath: string } & AsyncDisposable
> {
  const dir = await Deno.makeTempDir({ prefix: "migrate-test-" });
  const centralPath = join(dir, "central.sqlite3");
  const env = parseEnv({
    CENTRAL_DB_PATH: centralPath,
    ORG_DB_PATH_TEMPLATE: join(dir, "org-{id}.sqlite3"),
  });
  return {
    dir,
    env,
    centralPath,
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

/** Opens a SQLite file in a new temporary folder. Closed and removed on dispose. */
async function tempDatabase(): Promise<{ db: DatabaseSync } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "migrate-test-" });
  const db = new DatabaseSync(join(dir, "test.sqlite3"));
  return {
    db,
    [Symbol.asyncDispose]: async () => {
      if (db.isOpen) db.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

async function runMigrate(env: EnvSettings): Promise<{ code: number; stdout: string[] }> {
  const output = memoryOutput();
  const code = await main(["migrate"], { output, env, now: () => NOW });
  assert.deepEqual(output.stderr, []);
  return { code, stdout: output.stdout };
}

function withDatabase<T>(path: string, read: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(path);
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** Returns every table, index and trigger with its SQL, ordered by type and name. */
function schemaOf(db: DatabaseSync): Row[] {
  return db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name")
    .all();
}

/** Returns a table's SQL, columns, indexes with their columns, and rows. */
function snapshotTable(db: DatabaseSync, table: string) {
  return {
    schema: db.prepare(
      "SELECT type, name, sql FROM sqlite_schema WHERE tbl_name = ? ORDER BY type, name",
    ).all(table),
    columns: db.prepare("SELECT * FROM pragma_table_info(?)").all(table),
    indexes: db.prepare('SELECT name, "unique", origin FROM pragma_index_list(?) ORDER BY name')
      .all(table).map((index) => ({
        name: String(index.name),
        unique: index.unique,
        origin: index.origin,
        columns: db.prepare("SELECT name FROM pragma_index_info(?) ORDER BY seqno").all(
          String(index.name),
        ).map((column) => column.name),
      })),
    rows: db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all(),
  };
}

function migrationRows(db: DatabaseSync): Row[] {
  return db.prepare("SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
    .all();
}

function indexColumns(db: DatabaseSync, table: string): Record<string, unknown> {
  const indexes = db.prepare('SELECT name, "unique" FROM pragma_index_list(?)').all(table);
  return Object.fromEntries(indexes.map((index) => [
    index.name,
    {
      unique: index.unique === 1,
      columns: db.prepare("SELECT name FROM pragma_index_info(?) ORDER BY seqno").all(
        String(index.name),
      ).map((column) => column.name),
    },
  ]));
}

Deno.test("loadMigrations lists files in order", () => {
  const central = loadMigrations("central").map(({ version, name }) => `${version}_${name}`);
  const org = loadMigrations("org").map(({ version, name }) => `${version}_${name}`);

  assert.deepEqual(central, [
    "001_organizations",
    "002_organization_settings",
    "003_organization_state_buffers",
  ]);
  assert.deepEqual(org, ["001_email_schedules", "002_scheduler_runs"]);
});

Deno.test("splitStatements quotes and comments", () => {
  const cases: Array<[sql: string, statements: string[]]> = [
    ["SELECT 1; SELECT 2", ["SELECT 1", "SELECT 2"]],
    ["CREATE TABLE t (x TEXT DEFAULT ';');", ["CREATE TABLE t (x TEXT DEFAULT ';')"]],
    ['SELECT "odd;name" FROM t;', ['SELECT "odd;name" FROM t']],
    ["SELECT 'it''s; fine';", ["SELECT 'it''s; fine'"]],
    ["SELECT '--not a comment';", ["SELECT '--not a comment'"]],
    ["-- a comment; with a semicolon\nSELECT 1;", ["SELECT 1"]],
    ["SELECT 1; -- trailing comment", ["SELECT 1"]],
    ["SELECT 1 -- comment; inside\n, 2;", ["SELECT 1 \n, 2"]],
    ["SELECT 1 -- comment at the end without a newline", ["SELECT 1"]],
    [";;  ;\n", []],
    ["", []],
  ];
  for (const [sql, statements] of cases) {
    assert.deepEqual(splitStatements(sql), statements, JSON.stringify(sql));
  }
});

Deno.test("central migrations on fresh file", async () => {
  await using temp = await tempDatabase();
  const { db } = temp;
  const applied = inTransaction(db, () => applyMigrations(db, "central"));

  assert.deepEqual(applied, ["001", "002", "003"]);
  assert.equal(hasPendingMigrations(db, "central"), false);
  const columns = db.prepare(
    'SELECT name, type, "notnull", dflt_value FROM pragma_table_info(?) ORDER BY cid',
  ).all("organizations").map((row) => [row.name, row.type, row.notnull, row.dflt_value]);
  assert.deepEqual(columns, ORGANIZATION_COLUMNS);
  assert.deepEqual(indexColumns(db, "organization_state_buffers"), {
    sqlite_autoindex_organization_state_buffers_1: {
      unique: true,
      columns: ["org_id", "state_code"],
    },
  });
});

Deno.test("central migrations state buffer checks", async () => {
  await using temp = await tempDatabase();
  const { db } = temp;
  inTransaction(db, () => applyMigrations(db, "central"));
  const insert = db.prepare(
    "INSERT INTO organization_state_buffers (org_id, state_code, pre_exclusion_buffer_days) VALUES (1, ?, ?)",
  );

  insert.run("CA", 0);
  insert.run("NV", 365);
  assert.throws(() => insert.run("ca", 90), /CHECK constraint failed/);
  assert.throws(() => insert.run("CAL", 90), /CHECK constraint failed/);
  assert.throws(() => insert.run("TX", 366), /CHECK constraint failed/);
  assert.throws(() => insert.run("TX", -1), /CHECK constraint failed/);
  assert.throws(() => insert.run("CA", 30), /UNIQUE constraint failed/);
});

Deno.test("org migrations on fresh file", async () => {
  await using temp = await tempDatabase();
  const { db } = temp;
  assert.equal(hasPendingMigrations(db, "org"), true);
  const applied = inTransaction(db, () => applyMigrations(db, "org"));

  assert.deepEqual(applied, ["001", "002"]);
  assert.equal(hasPendingMigrations(db, "org"), false);
  const columns = db.prepare("SELECT name FROM pragma_table_info(?) ORDER BY cid").all(
    "email_schedules",
  ).map((row) => row.name);
  assert.deepEqual(columns, [
    "id",
    "contact_id",
    "email_type",
    "scheduled_send_date",
    "scheduled_send_time",
    "status",
    "skip_reason",
    "priority",
    "campaign_instance_id",
    "email_template",
    "sms_template",
    "event_year",
    "event_month",
    "event_day",
    "scheduler_run_id",
    "metadata",
    "created_at",
    "updated_at",
    "actual_send_datetime",
  ]);
  assert.deepEqual(indexColumns(db, "email_schedules"), {
    idx_email_schedules_unique: {
      unique: true,
      columns: ["contact_id", "email_type", "scheduled_send_date"],
    },
    idx_email_schedules_status_date: {
      unique: false,
      columns: ["status", "scheduled_send_date"],
    },
  });
  const defaults = db.prepare(
    "SELECT dflt_value FROM pragma_table_info('email_schedules') WHERE name IN ('scheduled_send_time', 'status') ORDER BY cid",
  ).all().map((row) => row.dflt_value);
  assert.deepEqual(defaults, ["'08:30:00'", "'pre-scheduled'"]);
  assert.ok(db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'scheduler_runs'").get());
});

Deno.test("migrate creates fresh central", async () => {
  await using folder = await tempFolder();
  const nested = parseEnv({
    CENTRAL_DB_PATH: join(folder.dir, "data", "central.sqlite3"),
    ORG_DB_PATH_TEMPLATE: join(folder.dir, "data", "org-{id}.sqlite3"),
  });

  const { code, stdout } = await runMigrate(nested);

  assert.equal(code, 0);
  assert.deepEqual(stdout, [
    `central database: applied 001, 002, 003 (${nested.CENTRAL_DB_PATH})`,
  ]);
  const versions = withDatabase(
    nested.CENTRAL_DB_PATH,
    (db) => migrationRows(db).map((row) => row.version),
  );
  assert.deepEqual(versions, ["001", "002", "003"]);
});

Deno.test("migrate upgrades legacy central", async () => {
  await using folder = await tempFolder();
  withDatabase(folder.centralPath, (db) => {
    db.exec(`CREATE TABLE organizations (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      active INTEGER NOT NULL DEFAULT 1
    )`);
    db.exec("INSERT INTO organizations (id, name, active) VALUES (206, 'Legacy Agency', 0)");
    db.exec("INSERT INTO organizations (id, name, active) VALUES (207, 'Other Agency', 1)");
  });

  const { code, stdout } = await runMigrate(folder.env);

  assert.equal(code, 0);
  assert.equal(stdout[0], `central database: applied 001, 002, 003 (${folder.centralPath})`);
  withDatabase(folder.centralPath, (db) => {
    const columns = db.prepare(
      'SELECT name, type, "notnull", dflt_value FROM pragma_table_info(?) ORDER BY cid',
    ).all("organizations").map((row) => [row.name, row.type, row.notnull, row.dflt_value]);
    assert.deepEqual(columns, ORGANIZATION_COLUMNS);
    const rows = db.prepare("SELECT * FROM organizations ORDER BY id").all();
    assert.deepEqual(rows.map((row) => ({ ...row })), [
      { id: 206, name: "Legacy Agency", active: 0, ...DEFAULT_SETTINGS },
      { id: 207, name: "Other Agency", active: 1, ...DEFAULT_SETTINGS },
    ]);
    assert.equal(validateOrganization(rows[0], 206).timezone, "America/Chicago");
    assert.deepEqual(migrationRows(db).map((row) => row.version), ["001", "002", "003"]);
    assert.ok(
      db.prepare("SELECT 1 FROM sqlite_schema WHERE name = ?").get(
        "organization_state_buffers",
      ),
    );
  });
});

Deno.test("migrate keeps partly upgraded central", async () => {
  await using folder = await tempFolder();
  // A central database whose owner already added two of the settings by hand.
  withDatabase(folder.centralPath, (db) => {
    db.exec(`CREATE TABLE organizations (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      active INTEGER NOT NULL DEFAULT 1,
      timezone TEXT NOT NULL DEFAULT 'America/New_York',
      db_path TEXT
    )`);
    db.exec(
      "INSERT INTO organizations (id, name, timezone) VALUES (206, 'East', 'America/Denver')",
    );
  });

  const { code } = await runMigrate(folder.env);

  assert.equal(code, 0);
  withDatabase(folder.centralPath, (db) => {
    const row = db.prepare("SELECT timezone, db_path, aep_day FROM organizations").get();
    assert.deepEqual({ ...row }, { timezone: "America/Denver", db_path: null, aep_day: 15 });
    const names = db.prepare("SELECT name FROM pragma_table_info('organizations')").all().map((
      column,
    ) => String(column.name));
    assert.deepEqual(names.sort(), ORGANIZATION_COLUMNS.map(([name]) => name).sort());
  });
});

Deno.test("migrate twice changes nothing", async () => {
  await using folder = await tempFolder();
  const orgPath = join(folder.dir, "org-206.sqlite3");
  withDatabase(folder.centralPath, (db) => {
    inTransaction(db, () => applyMigrations(db, "central"));
    addOrganization(db, 206);
  });
  withDatabase(orgPath, (db) => {
    createAppTables(db);
    insertContacts(db, [{ id: 1 }, { id: 2 }]);
  });

  const first = await runMigrate(folder.env);
  const centralDigest = await fileDigest(folder.centralPath);
  const orgDigest = await fileDigest(orgPath);
  const before = {
    central: withDatabase(folder.centralPath, (db) => [schemaOf(db), migrationRows(db)]),
    org: withDatabase(orgPath, (db) => [schemaOf(db), migrationRows(db)]),
  };
  const second = await runMigrate(folder.env);
  const after = {
    central: withDatabase(folder.centralPath, (db) => [schemaOf(db), migrationRows(db)]),
    org: withDatabase(orgPath, (db) => [schemaOf(db), migrationRows(db)]),
  };

  assert.equal(first.code, 0);
  assert.equal(second.code, 0);
  assert.deepEqual(first.stdout, [
    `central database: up to date (${folder.centralPath})`,
    `organization 206: applied 001, 002 (${orgPath})`,
  ]);
  assert.deepEqual(second.stdout, [
    `central database: up to date (${folder.centralPath})`,
    `organization 206: up to date (${orgPath})`,
  ]);
  assert.deepEqual(after, before);
  assert.equal(await fileDigest(folder.centralPath), centralDigest);
  assert.equal(await fileDigest(orgPath), orgDigest);
});

Deno.test("migrate keeps existing email_schedules", async () => {
  await using folder = await tempFolder();
  const orgPath = join(folder.dir, "org-206.sqlite3");
  withDatabase(folder.centralPath, (db) => {
    inTransaction(db, () => applyMigrations(db, "central"));
    addOrganization(db, 206);
  });
  // The agency's application made its own table with other column types, two extra columns, its
  // own unique index and no status index.
  withDatabase(orgPath, (db) => {
    createAppTables(db);
    db.exec(`CREATE TABLE email_schedules (
      id INTEGER PRIMARY KEY,
      contact_id INTEGER NOT NULL,
      email_type TEXT NOT NULL,
      scheduled_send_date TEXT NOT NULL,
      scheduled_send_time TEXT DEFAULT '09:00:00',
      status TEXT NOT NULL DEFAULT 'pre-scheduled',
      skip_reason TEXT,
      priority INTEGER,
      event_year INTEGER,
      event_month INTEGER,
      event_day INTEGER,
      scheduler_run_id TEXT,
      metadata TEXT,
      created_at TEXT,
      updated_at TEXT,
      batch_id TEXT,
      provider_message_id TEXT
    )`);
    db.exec(`CREATE UNIQUE INDEX app_schedule_per_batch
      ON email_schedules (contact_id, email_type, scheduled_send_date, batch_id)`);
    db.exec(`INSERT INTO email_schedules
      (contact_id, email_type, scheduled_send_date, status, batch_id, provider_message_id)
      VALUES (1, 'birthday', '2026-04-01', 'sent', 'b1', 'm-1'),
             (1, 'birthday', '2026-04-01', 'sent', 'b2', 'm-2'),
             (2, 'aep', '2026-09-15', 'pre-scheduled', NULL, NULL)`);
  });
  const before = withDatabase(orgPath, (db) => snapshotTable(db, "email_schedules"));

  const { code, stdout } = await runMigrate(folder.env);

  assert.equal(code, 0);
  assert.equal(stdout[1], `organization 206: applied 001, 002 (${orgPath})`);
  withDatabase(orgPath, (db) => {
    assert.deepEqual(snapshotTable(db, "email_schedules"), before);
    assert.equal(before.rows.length, 3);
    assert.deepEqual(
      before.indexes.map((index) => index.name),
      ["app_schedule_per_batch"],
    );
    assert.deepEqual(migrationRows(db).map((row) => row.version), ["001", "002"]);
    assert.ok(db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'scheduler_runs'").get());
  });
});

Deno.test("migrate never alters contacts", async () => {
  await using folder = await tempFolder();
  const orgPath = join(folder.dir, "org-206.sqlite3");
  withDatabase(folder.centralPath, (db) => {
    inTransaction(db, () => applyMigrations(db, "central"));
    addOrganization(db, 206);
  });
  withDatabase(orgPath, (db) => {
    db.exec(`CREATE TABLE contacts (
      id INTEGER PRIMARY KEY,
      email TEXT,
      state TEXT,
      zip_code TEXT,
      birth_date TEXT,
      effective_date TEXT,
      agent_id INTEGER,
      tags TEXT
    )`);
    db.exec("CREATE INDEX contacts_by_agent ON contacts (agent_id)");
    db.exec(`INSERT INTO contacts VALUES
      (1, 'one@example.com', 'CA', '90210', '1955-03-01', '2020-04-01', 7, 'vip'),
      (2, NULL, NULL, NULL, '1950-02-30', '', NULL, NULL)`);
  });
  const before = withDatabase(orgPath, (db) => snapshotTable(db, "contacts"));

  const { code } = await runMigrate(folder.env);

  assert.equal(code, 0);
  withDatabase(orgPath, (db) => {
    assert.deepEqual(snapshotTable(db, "contacts"), before);
    assert.ok(db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'email_schedules'").get());
  });
});

Deno.test("migrate skips missing org database", async () => {
  await using folder = await tempFolder();
  const ownPath = join(folder.dir, "agencies", "seven.sqlite3");
  withDatabase(folder.centralPath, (db) => {
    inTransaction(db, () => applyMigrations(db, "central"));
    addOrganization(db, 206);
    addOrganization(db, 207, { db_path: ownPath });
  });

  const { code, stdout } = await runMigrate(folder.env);

  assert.equal(code, 0);
  assert.deepEqual(stdout, [
    `central database: up to date (${folder.centralPath})`,
    `organization 206: skipped, database file not found (${join(folder.dir, "org-206.sqlite3")})`,
    `organization 207: skipped, database file not found (${ownPath})`,
  ]);
  await assert.rejects(() => Deno.stat(ownPath), Deno.errors.NotFound);
});

Deno.test("migrate garbage central database", async () => {
  await using folder = await tempFolder();
  await Deno.writeFile(folder.centralPath, new TextEncoder().encode("not a database ".repeat(100)));
  const digest = await fileDigest(folder.centralPath);
  const output = memoryOutput();

  const code = await main(["migrate"], { output, env: folder.env, now: () => NOW });

  assert.equal(code, 2);
  assert.deepEqual(output.stdout, []);
  assert.deepEqual(output.stderr, [
    `error: Cannot open central database: file is not a database: ${folder.centralPath}`,
  ]);
  assert.equal(await fileDigest(folder.centralPath), digest);
});

Deno.test("applyMigrations failure leaves nothing", async () => {
  await using temp = await tempDatabase();
  const { db } = temp;
  // An older scheduler_runs without plan_date makes 002's CREATE INDEX fail after 001 ran.
  db.exec("CREATE TABLE scheduler_runs (run_id TEXT PRIMARY KEY, status TEXT)");
  const before = schemaOf(db);

  assert.throws(
    () => inTransaction(db, () => applyMigrations(db, "org")),
    /no such column: plan_date/,
  );
  assert.deepEqual(schemaOf(db), before);
  assert.equal(db.isTransaction, false);
});

Deno.test("migrate reports rejected statement", async () => {
  await using folder = await tempFolder();
  const orgPath = join(folder.dir, "org-206.sqlite3");
  withDatabase(folder.centralPath, (db) => {
    inTransaction(db, () => applyMigrations(db, "central"));
    addOrganization(db, 206);
  });
  withDatabase(orgPath, (db) => {
    createAppTables(db);
    db.exec("CREATE TABLE scheduler_runs (run_id TEXT PRIMARY KEY, status TEXT)");
  });
  const schema = withDatabase(orgPath, schemaOf);
  const digest = await fileDigest(orgPath);
  const output = memoryOutput();

  const code = await main(["migrate"], { output, env: folder.env, now: () => NOW });

  assert.equal(code, 2);
  assert.deepEqual(output.stdout, [`central database: up to date (${folder.centralPath})`]);
  // SQLite appends the rejected statement to its message: "no such column: plan_date in CREATE …".
  assert.equal(output.stderr.length, 1);
  assert.ok(
    output.stderr[0].startsWith(
      "error: Cannot migrate organization 206 database: no such column: plan_date",
    ),
    output.stderr[0],
  );
  assert.ok(output.stderr[0].endsWith(`: ${orgPath}`), output.stderr[0]);
  assert.deepEqual(withDatabase(orgPath, schemaOf), schema);
  assert.equal(await fileDigest(orgPath), digest);
});
