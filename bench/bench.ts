/**
 * Performance measurements on generated agencies: a first run and a next-day rerun for each size,
 * each as its own `main.ts schedule` process, with wall time, contacts per second, peak RSS and
 * the run's own time split. Agencies are generated once and cached in bench/cache/.
 *
 *   deno task bench                          # 100,000, 1,000,000 and 3,000,000 contacts
 *   deno task bench --sizes 100000 --runs 3  # other sizes; the median of several runs
 *
 * Peak RSS is read from /proc (Linux only) while the process runs, which is why the task runs with
 * --allow-all: Deno allows reading /proc of another process only then.
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";

const ROOT = new URL("../", import.meta.url).pathname;
const CACHE = join(ROOT, "bench", "cache");
const MAIN = join(ROOT, "main.ts");
const FIRST_DAY = "2026-03-01";
const NEXT_DAY = "2026-03-02";
const STARTUP_CONTACTS = 5_000;

const USAGE = `Usage: deno task bench [--sizes N,N,...] [--runs R]

  --sizes   contact counts to measure (default 100000,1000000,3000000)
  --runs    runs per size; the table shows the median (default 1)`;

let values: { sizes: string; runs: string; help?: boolean };
try {
  values = parseArgs({
    args: Deno.args,
    options: {
      sizes: { type: "string", default: "100000,1000000,3000000" },
      runs: { type: "string", default: "1" },
      help: { type: "boolean" },
    },
  }).values;
} catch (error) {
  console.error(`bench: ${(error as Error).message}\n${USAGE}`);
  Deno.exit(2);
}
if (values.help) {
  console.log(USAGE);
  Deno.exit(0);
}
const sizes = values.sizes.split(",").map(Number);
const runs = Number(values.runs);
if (sizes.some((size) => !Number.isInteger(size) || size < 1) || !(runs >= 1)) {
  console.error(`bench: --sizes must be positive integers and --runs at least 1`);
  Deno.exit(2);
}

Deno.mkdirSync(CACHE, { recursive: true });
const env = {
  CENTRAL_DB_PATH: join(CACHE, "central.sqlite3"),
  ORG_DB_PATH_TEMPLATE: join(CACHE, "org-{id}.sqlite3"),
};

interface Measurement {
  wallMs: number;
  peakRssMb: number;
  timingsMs: Record<string, number>;
  rows: Record<string, number>;
}

/** Runs main.ts with `args` and returns wall time, peak RSS and the parsed JSON output. */
async function measure(args: string[]): Promise<Measurement> {
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    env,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let peakKb = 0;
  const poll = setInterval(() => {
    peakKb = Math.max(peakKb, readPeakKb(child.pid));
  }, 20);
  const output = await child.output();
  clearInterval(poll);
  const wallMs = performance.now() - started;
  if (output.code !== 0) {
    throw new Error(`main.ts ${args.join(" ")} failed: ${new TextDecoder().decode(output.stderr)}`);
  }
  const text = new TextDecoder().decode(output.stdout).trim();
  const summary = text.startsWith("{") ? JSON.parse(text.split("\n").at(-1)!) : undefined;
  return {
    wallMs,
    peakRssMb: peakKb / 1024,
    timingsMs: summary?.timingsMs ?? {},
    rows: summary?.rows ?? {},
  };
}

/** VmHWM is the process's peak resident set size so far, in kB. */
function readPeakKb(pid: number): number {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Generates agency `orgId` with `contacts` contacts once, keeping a pristine copy. */
async function ensureAgency(orgId: number, contacts: number): Promise<string> {
  const pristine = join(CACHE, `org-${orgId}.pristine-${contacts}.sqlite3`);
  if (!exists(pristine)) {
    const started = performance.now();
    // A working copy left by an interrupted bench would make generate refuse to run.
    await Deno.remove(join(CACHE, `org-${orgId}.sqlite3`)).catch(() => {});
    await measure([
      "generate",
      String(orgId),
      "--contacts",
      String(contacts),
      "--seed",
      "1",
      "--today",
      FIRST_DAY,
    ]);
    await Deno.copyFile(join(CACHE, `org-${orgId}.sqlite3`), pristine);
    console.error(
      `generated ${contacts} contacts in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  return pristine;
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

function median(numbers: number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function row(label: string, contacts: number, results: Measurement[]): string {
  const wall = median(results.map((result) => result.wallMs));
  const rss = median(results.map((result) => result.peakRssMb));
  const timings = results[Math.floor(results.length / 2)].timingsMs;
  const split = ["read", "plan", "balance", "frequency", "write"]
    .map((phase) => ((timings[phase] ?? 0) / 1000).toFixed(1))
    .join(" / ");
  const rate = Math.round(contacts / (wall / 1000));
  return `| ${contacts.toLocaleString("en-US")} | ${label} | ${(wall / 1000).toFixed(1)} s | ${
    rate.toLocaleString("en-US")
  } | ${Math.round(rss)} MB | ${split} |`;
}

console.log(
  "| contacts | run | wall time | contacts/s | peak RSS | read / plan / balance / frequency / write (s) |",
);
console.log("|---|---|---|---|---|---|");

for (const contacts of sizes) {
  // One agency per size, so cached files of different sizes never mix.
  const orgId = 9000 + Math.round(Math.log10(contacts) * 10);
  const pristine = await ensureAgency(orgId, contacts);
  const working = join(CACHE, `org-${orgId}.sqlite3`);
  const first: Measurement[] = [];
  const rerun: Measurement[] = [];
  for (let run = 0; run < runs; run++) {
    await Deno.copyFile(pristine, working);
    first.push(await measure(["schedule", String(orgId), "--today", FIRST_DAY, "--json"]));
    rerun.push(await measure(["schedule", String(orgId), "--today", NEXT_DAY, "--json"]));
  }
  console.log(row("first run", contacts, first));
  console.log(row("next-day rerun", contacts, rerun));
}

// Process start to exit for a small agency, as an operator runs it by hand.
{
  const orgId = 8999;
  const pristine = await ensureAgency(orgId, STARTUP_CONTACTS);
  const results: Measurement[] = [];
  for (let run = 0; run < Math.max(3, runs); run++) {
    await Deno.copyFile(pristine, join(CACHE, `org-${orgId}.sqlite3`));
    results.push(await measure(["schedule", String(orgId), "--today", FIRST_DAY, "--json"]));
  }
  console.log(row("process start to exit", STARTUP_CONTACTS, results));
}

// The central database is shared by every cached agency; check that it still opens.
new DatabaseSync(env.CENTRAL_DB_PATH, { readOnly: true }).close();
