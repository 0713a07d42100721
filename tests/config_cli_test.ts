/**
 * Tests of the `config` command, and of configuration errors as the CLI reports them: one line on
 * stderr, exit code 2, and no byte of either database changed. `now` is pinned for every command.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { main } from "../src/cli/main.ts";
import { memoryOutput } from "../src/cli/output.ts";
import type { EnvSettings } from "../src/config/env.ts";
import {
  addOrganization,
  createTestAgency,
  fileDigest,
  type TestAgency,
  type TestContact,
} from "./support/agency.ts";

const NOW = Temporal.Instant.from("2026-03-01T12:00:00Z");
const MAIN_URL = new URL("../main.ts", import.meta.url);
const CONFIG_URL = new URL("../deno.json", import.meta.url);

/** Every source `config` can print. */
const SOURCES = "constant|profile|column|override|state buffer|environment|computed";
const HUMAN_LINE = new RegExp(`^  (\\S+) +(.+?) {2,}(${SOURCES})$`);

interface CliResult {
  code: number;
  stdout: string[];
  stderr: string[];
}

async function runCli(args: string[], env: EnvSettings): Promise<CliResult> {
  const output = memoryOutput();
  const code = await main(args, { output, env, now: () => NOW });
  return { code, stdout: output.stdout, stderr: output.stderr };
}

/** Creates an agency with `createTestAgency` and removes its folder on dispose. */
async function testAgency(
  options: Parameters<typeof createTestAgency>[0] = {},
): Promise<TestAgency & AsyncDisposable> {
  const agency = await createTestAgency(options);
  return { ...agency, [Symbol.asyncDispose]: () => Deno.remove(agency.dir, { recursive: true }) };
}

/** Builds `count` contacts with an email and a valid state and birth date. */
function contacts(count: number): TestContact[] {
  return Array.from({ length: count }, (_, index) => ({
    id: index + 1,
    state: "TX",
    birth_date: "1955-06-15",
  }));
}

/** Parses `config --json` output into name → { value, source }. */
function parseJson(result: CliResult): Record<string, { value: unknown; source: string }> {
  assert.equal(result.code, 0, result.stderr.join("\n"));
  const parsed = JSON.parse(result.stdout.join("\n"));
  assert.equal(typeof parsed.config, "object");
  return parsed.config;
}

/** Parses the table of `config` into name → { value, source }. */
function parseTable(lines: string[]): Map<string, { value: string; source: string }> {
  const entries = new Map<string, { value: string; source: string }>();
  for (const line of lines.slice(1)) {
    const match = HUMAN_LINE.exec(line);
    assert.ok(match !== null, `unexpected line: ${JSON.stringify(line)}`);
    entries.set(match[1], { value: match[2].trim(), source: match[3] });
  }
  return entries;
}

/** Asserts a one-line configuration error: exit code 2, nothing on stdout, `message` on stderr. */
function assertCliError(result: CliResult, message: string): void {
  assert.equal(result.code, 2);
  assert.deepEqual(result.stdout, []);
  assert.deepEqual(result.stderr, [`error: ${message}`]);
}

async function digests(agency: TestAgency): Promise<string[]> {
  return [await fileDigest(agency.centralPath), await fileDigest(agency.orgPath)];
}

Deno.test("config table lists every value", async () => {
  await using agency = await testAgency({
    contacts: [...contacts(4), { id: 5, email: "" }, { id: 6, email: null }],
    organization: { pre_exclusion_buffer_days: 45 },
    stateBuffers: [["CA", 90]],
  });

  const table = await runCli(["config", "206"], agency.env);
  const json = parseJson(await runCli(["config", "206", "--json"], agency.env));

  assert.equal(table.code, 0);
  assert.deepEqual(table.stderr, []);
  assert.equal(table.stdout[0], "Organization 206: effective configuration");
  const entries = parseTable(table.stdout);
  assert.deepEqual([...entries.keys()], Object.keys(json));
  assert.deepEqual(entries.get("contacts_with_email"), { value: "4", source: "computed" });
  assert.deepEqual(entries.get("size_profile"), { value: "auto", source: "column" });
  assert.deepEqual(entries.get("profile"), { value: "small", source: "computed" });
  assert.deepEqual(entries.get("daily_cap"), { value: "1", source: "computed" });
  assert.deepEqual(entries.get("batch_size"), { value: "1000", source: "profile" });
  assert.deepEqual(entries.get("catch_up_spread_days"), { value: "7", source: "constant" });
  assert.deepEqual(entries.get("pre_exclusion_buffer_days"), { value: "45", source: "column" });
  assert.deepEqual(entries.get("pre_exclusion_buffer_days.CA"), {
    value: "90",
    source: "state buffer",
  });
  assert.deepEqual(entries.get("enable_post_window_emails"), { value: "yes", source: "column" });
  assert.deepEqual(entries.get("db_path"), { value: agency.orgPath, source: "environment" });
  assert.deepEqual(entries.get("ed_daily_cap_share"), { value: "0.3", source: "constant" });
  assert.deepEqual(entries.get("priority.birthday"), { value: "10", source: "constant" });
});

Deno.test("config json sources every key", async () => {
  await using agency = await testAgency({
    contacts: contacts(3),
    organization: {
      size_profile: "large",
      config_overrides: '{"batch_size": 20000, "catch_up_spread_days": 3}',
    },
    stateBuffers: [["CA", 90], ["NV", 0]],
  });
  // A db_path set in the column, so that its source is the column and not the environment.
  const central = new DatabaseSync(agency.centralPath);
  central.prepare("UPDATE organizations SET db_path = ? WHERE id = 206").run(agency.orgPath);
  central.close();

  const config = parseJson(await runCli(["config", "206", "--json"], agency.env));

  const sources = Object.fromEntries(
    Object.entries(config).map(([name, entry]) => [name, entry.source]),
  );
  assert.deepEqual(sources, {
    name: "column",
    active: "column",
    db_path: "column",
    timezone: "column",
    contacts_with_email: "computed",
    size_profile: "column",
    profile: "column",
    daily_send_percentage_cap: "profile",
    daily_cap: "computed",
    ed_daily_soft_limit: "profile",
    ed_daily_limit: "computed",
    batch_size: "override",
    ed_smoothing_window_days: "profile",
    catch_up_spread_days: "override",
    overage_threshold: "constant",
    max_emails_per_period: "column",
    frequency_period_days: "column",
    birthday_days_before: "column",
    effective_date_days_before: "column",
    effective_date_first_email_months: "column",
    aep_month: "column",
    aep_day: "column",
    send_time: "column",
    enable_post_window_emails: "column",
    exclude_failed_underwriting_global: "column",
    send_without_zipcode_for_universal: "column",
    pre_exclusion_buffer_days: "column",
    "pre_exclusion_buffer_days.CA": "state buffer",
    "pre_exclusion_buffer_days.NV": "state buffer",
    ed_daily_cap_share: "constant",
    post_window_delay_days: "constant",
    follow_up_lookback_days: "constant",
    follow_up_delay_days: "constant",
    "priority.birthday": "constant",
    "priority.effective_date": "constant",
    "priority.aep": "constant",
    "priority.campaign": "constant",
    "priority.post_window": "constant",
    "priority.follow_up": "constant",
  });
  assert.equal(config.profile.value, "large");
  assert.equal(config.contacts_with_email.value, 3);
  assert.equal(config.daily_send_percentage_cap.value, 0.07);
  assert.equal(config.daily_cap.value, 1);
  assert.equal(config.ed_daily_limit.value, 1);
  assert.equal(config.batch_size.value, 20_000);
  assert.equal(config.catch_up_spread_days.value, 3);
  assert.equal(config.overage_threshold.value, 1.2);
  assert.equal(config.db_path.value, agency.orgPath);
  assert.equal(config["pre_exclusion_buffer_days.CA"].value, 90);
  assert.equal(config["pre_exclusion_buffer_days.NV"].value, 0);
});

Deno.test("config json medium agency override", async () => {
  await using agency = await testAgency({
    organization: { config_overrides: '{"batch_size": 20000, "daily_send_percentage_cap": 0.15}' },
  });
  const org = new DatabaseSync(agency.orgPath);
  org.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000)
     INSERT INTO contacts (id, email) SELECT i, 'c' || i || '@example.com' FROM n`,
  ).run();
  org.close();

  const config = parseJson(await runCli(["config", "206", "--json"], agency.env));

  assert.deepEqual(config.profile, { value: "medium", source: "computed" });
  assert.deepEqual(config.contacts_with_email, { value: 50_000, source: "computed" });
  assert.deepEqual(config.daily_cap, { value: 7_500, source: "computed" });
  assert.deepEqual(config.batch_size, { value: 20_000, source: "override" });
  assert.deepEqual(config.daily_send_percentage_cap, { value: 0.15, source: "override" });
  assert.deepEqual(config.ed_daily_soft_limit, { value: 200, source: "profile" });
  assert.deepEqual(config.ed_daily_limit, { value: 200, source: "computed" });
});

Deno.test("config shows inactive agency", async () => {
  await using agency = await testAgency({ contacts: contacts(2), organization: { active: 0 } });
  const before = await digests(agency);

  const configResult = await runCli(["config", "206"], agency.env);
  const scheduled = await runCli(["schedule", "206", "--today", "2026-03-01"], agency.env);

  assert.equal(configResult.code, 0);
  assert.deepEqual(parseTable(configResult.stdout).get("active"), {
    value: "no",
    source: "column",
  });
  assertCliError(scheduled, "Cannot load organization 206: active is 0 (agency is inactive)");
  assert.deepEqual(await digests(agency), before);
});

Deno.test("schedule rejects bad configuration", async () => {
  const cases: Array<[columns: Record<string, string | number | null>, message: string]> = [
    [
      { config_overrides: '{"daily_send_percentage_cap": 3}' },
      "config_overrides.daily_send_percentage_cap must be a number greater than 0 and at most 1: 3",
    ],
    [
      { config_overrides: '{"ed_daily_soft_limit": "12"}' },
      'config_overrides.ed_daily_soft_limit must be a positive integer: "12"',
    ],
    [
      { config_overrides: '{"foo": 1}' },
      "config_overrides.foo is not a known key (known: daily_send_percentage_cap, ed_daily_soft_limit, batch_size, ed_smoothing_window_days, catch_up_spread_days, overage_threshold): 1",
    ],
    [{ config_overrides: "[1,2]" }, 'config_overrides must be a JSON object: "[1,2]"'],
    [
      { config_overrides: "{batch_size: 1}" },
      'config_overrides must be valid JSON: "{batch_size: 1}"',
    ],
    [
      { size_profile: "Medium" },
      'size_profile must be one of auto, small, medium, large, enterprise: "Medium"',
    ],
    [
      { timezone: "Mars/Base" },
      'timezone must be an IANA time zone such as America/Chicago: "Mars/Base"',
    ],
    [{ aep_month: 9, aep_day: 31 }, "aep_day must be a day of month 9: 31"],
    [{ send_time_hour: 24 }, "send_time_hour must be an integer from 0 to 23: 24"],
  ];
  await using agency = await testAgency({ contacts: contacts(3) });
  await runCli(["migrate"], agency.env);
  const central = new DatabaseSync(agency.centralPath);
  for (const [index, [columns]] of cases.entries()) {
    addOrganization(central, 300 + index, { ...columns, db_path: agency.orgPath });
  }
  central.close();
  const before = await digests(agency);

  for (const [index, [, message]] of cases.entries()) {
    const orgId = 300 + index;
    for (const command of ["schedule", "config"]) {
      const args = command === "schedule"
        ? ["schedule", String(orgId), "--today", "2026-03-01"]
        : ["config", String(orgId)];
      assertCliError(
        await runCli(args, agency.env),
        `Cannot load organization ${orgId}: ${message}`,
      );
    }
  }
  assert.deepEqual(await digests(agency), before);
});

Deno.test("config unknown agency", async () => {
  await using agency = await testAgency({ contacts: contacts(1) });

  const result = await runCli(["config", "999"], agency.env);

  assertCliError(result, "Cannot load organization 999: not found");
});

Deno.test("config usage errors", async () => {
  await using agency = await testAgency({ contacts: contacts(1) });

  const missing = await runCli(["config"], agency.env);
  const notNumber = await runCli(["config", "20x"], agency.env);
  const unknownFlag = await runCli(["config", "206", "--verbose"], agency.env);

  assertCliError(missing, "Invalid arguments for config: missing <org-id>; see --help");
  assertCliError(
    notNumber,
    'Invalid arguments for config: org-id must be a positive integer: "20x"',
  );
  assert.equal(unknownFlag.code, 2);
  assert.equal(unknownFlag.stderr.length, 1);
  assert.match(unknownFlag.stderr[0], /^error: Invalid arguments for config: .*--verbose/);
});

Deno.test("CLI garbage central database", async () => {
  await using agency = await testAgency({ contacts: contacts(2) });
  await Deno.writeFile(agency.centralPath, new TextEncoder().encode("not a database ".repeat(100)));
  const before = await digests(agency);
  const message =
    `Cannot load organization 206: cannot open central database: file is not a database: ${agency.centralPath}`;

  const config = await runCli(["config", "206"], agency.env);
  const schedule = await runCli(["schedule", "206", "--today", "2026-03-01"], agency.env);

  assertCliError(config, message);
  assertCliError(schedule, message);
  assert.deepEqual(await digests(agency), before);
});

Deno.test("CLI missing central database", async () => {
  await using agency = await testAgency({ contacts: contacts(2) });
  await Deno.remove(agency.centralPath);
  const orgDigest = await fileDigest(agency.orgPath);
  const message =
    `Cannot load organization 206: cannot open central database: file not found: ${agency.centralPath}`;

  const config = await runCli(["config", "206"], agency.env);
  const schedule = await runCli(["schedule", "206", "--today", "2026-03-01"], agency.env);

  assertCliError(config, message);
  assertCliError(schedule, message);
  await assert.rejects(() => Deno.stat(agency.centralPath), Deno.errors.NotFound);
  assert.equal(await fileDigest(agency.orgPath), orgDigest);
});

Deno.test("config as a subprocess", async () => {
  await using agency = await testAgency({ contacts: contacts(5) });
  assert.equal((await runCli(["migrate"], agency.env)).code, 0);

  // Runs from the agency's folder so that no .env of the checkout is read.
  const command = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--config",
      CONFIG_URL.pathname,
      MAIN_URL.pathname,
      "config",
      "206",
      "--json",
    ],
    cwd: agency.dir,
    env: {
      CENTRAL_DB_PATH: agency.centralPath,
      ORG_DB_PATH_TEMPLATE: join(agency.dir, "org-{id}.sqlite3"),
    },
    stdout: "piped",
    stderr: "piped",
  });
  const { code, stdout, stderr } = await command.output();

  assert.equal(new TextDecoder().decode(stderr), "");
  assert.equal(code, 0);
  const parsed = JSON.parse(new TextDecoder().decode(stdout));
  assert.equal(parsed.org_id, 206);
  assert.deepEqual(parsed.config.contacts_with_email, { value: 5, source: "computed" });
  assert.deepEqual(parsed.config.profile, { value: "small", source: "computed" });
  assert.deepEqual(parsed.config.daily_cap, { value: 1, source: "computed" });
});
