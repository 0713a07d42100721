import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { parseEnv } from "../src/config/env.ts";
import { generateAgency } from "../src/cli/generate_agency.ts";
import { scheduleAgency } from "../src/scheduling/schedule_agency.ts";

const MAIN = new URL("../main.ts", import.meta.url).pathname;
const FIRST_DAY = Temporal.PlainDate.from("2026-03-01");
const RERUN_DAY = "2026-04-15";

/**
 * Returns every row of the tables a run writes, as text, to compare before and after. The
 * connection is read-write because after a crash SQLite must roll back the hot journal first.
 */
function dumpPlan(path: string): string {
  const db = new DatabaseSync(path);
  try {
    const schedules = db.prepare("SELECT * FROM email_schedules ORDER BY id").all();
    const runs = db.prepare("SELECT * FROM scheduler_runs ORDER BY run_id").all();
    return JSON.stringify({ schedules, runs });
  } finally {
    db.close();
  }
}

/** Starts `schedule --verbose` and resolves once it reports the given phase on stderr. */
async function startAndWaitFor(env: Record<string, string>, phase: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "schedule", "207", "--today", RERUN_DAY, "--verbose", "--json"],
    env,
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the run ended without reaching the ${phase} phase: ${text}`);
    text += value;
    if (text.split("\n").includes(`organization 207: ${phase}`)) {
      // Keep draining stderr so the child never blocks on a full pipe.
      (async () => {
        while (!(await reader.read()).done);
      })();
      return { child };
    }
  }
}

Deno.test("killed run leaves the database unchanged", async () => {
  const dir = await Deno.makeTempDir({ prefix: "medigap-crash-" });
  const variables = {
    CENTRAL_DB_PATH: join(dir, "central.sqlite3"),
    ORG_DB_PATH_TEMPLATE: join(dir, "org-{id}.sqlite3"),
  };
  const env = parseEnv(variables);
  const { dbPath } = generateAgency(env, 207, { contacts: 40_000, seed: 7, today: FIRST_DAY });
  scheduleAgency(env, 207, { today: FIRST_DAY, now: Temporal.Instant.from("2026-03-01T12:00Z") });
  const pristine = await Deno.readFile(dbPath);
  const before = dumpPlan(dbPath);

  // Kill during the write (at its start and a little later) and while committing. A reader keeps
  // a read transaction open meanwhile, so the run's COMMIT waits for it: however slow or fast the
  // machine, the kill always lands before the commit can finish.
  const killPoints: Array<[phase: string, delayMs: number]> = [
    ["writing", 0],
    ["writing", 60],
    ["writing", 150],
    ["committing", 0],
    ["committing", 100],
  ];
  for (const [phase, delayMs] of killPoints) {
    await Deno.writeFile(dbPath, pristine);
    const reader = new DatabaseSync(dbPath);
    reader.exec("BEGIN");
    reader.prepare("SELECT count(*) FROM email_schedules").get();
    const { child } = await startAndWaitFor(variables, phase);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    child.kill("SIGKILL");
    const status = await child.status;
    reader.exec("COMMIT");
    reader.close();
    assert.equal(status.signal, "SIGKILL", `the run finished before the kill (${phase})`);
    // Opening the file rolls back a hot journal, as SQLite does for any reader after a crash.
    assert.equal(dumpPlan(dbPath), before, `killed ${delayMs} ms into ${phase}`);
  }

  // The same rerun, not killed, does change the plan: the kills above interrupted real work.
  await Deno.writeFile(dbPath, pristine);
  const { child } = await startAndWaitFor(variables, "writing");
  assert.equal((await child.status).code, 0);
  assert.notEqual(dumpPlan(dbPath), before);
});
