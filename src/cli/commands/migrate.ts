import { dirname } from "node:path";
import type { Command } from "../command.ts";
import { expectPositionals, parseFlags } from "../args.ts";
import type { DatabaseSync } from "node:sqlite";
import { SchedulerError } from "../../errors.ts";
import { openDatabase, sqliteMessage } from "../../db/sqlite.ts";
import { applyMigrations, type MigrationSet } from "../../db/migrate.ts";
import { inTransaction } from "../../db/transaction.ts";

export const migrateCommand: Command = {
  name: "migrate",
  usage: "migrate",
  summary: "Apply the central database's migrations, then every agency database's.",
  help: [
    "Creates the central database when it is missing (CENTRAL_DB_PATH) and applies its migrations,",
    "then applies the org migrations to the database of every agency listed in it. Agencies whose",
    "database file does not exist yet are listed and skipped. Running it twice changes nothing.",
  ],
  run(args, context) {
    const { positionals } = parseFlags("migrate", args, {});
    expectPositionals("migrate", positionals, []);
    const { env, output } = context;

    Deno.mkdirSync(dirname(env.CENTRAL_DB_PATH), { recursive: true });
    const central = openDatabase(env.CENTRAL_DB_PATH, {
      create: true,
      label: "central database",
      busyTimeoutMs: 5000,
    });
    let agencies: Array<{ id: number; dbPath: string }>;
    try {
      const applied = migrateDatabase(central, "central", {
        label: "central database",
        path: env.CENTRAL_DB_PATH,
      });
      output.print(`central database: ${describeApplied(applied)} (${env.CENTRAL_DB_PATH})`);
      agencies = central.prepare("SELECT id, db_path FROM organizations ORDER BY id").all().map(
        (row) => ({
          id: Number(row.id),
          dbPath: typeof row.db_path === "string" && row.db_path !== ""
            ? row.db_path
            : env.ORG_DB_PATH_TEMPLATE.replaceAll("{id}", String(row.id)),
        }),
      );
    } finally {
      central.close();
    }

    for (const { id, dbPath } of agencies) {
      if (!exists(dbPath)) {
        output.print(`organization ${id}: skipped, database file not found (${dbPath})`);
        continue;
      }
      const org = openDatabase(dbPath, {
        label: `organization ${id} database`,
        busyTimeoutMs: 5000,
      });
      try {
        const applied = migrateDatabase(org, "org", {
          label: `organization ${id} database`,
          path: dbPath,
        });
        output.print(`organization ${id}: ${describeApplied(applied)} (${dbPath})`);
      } finally {
        org.close();
      }
    }
    return 0;
  },
};

/**
 * Applies the migrations of `set` in one transaction. A statement that SQLite rejects, such as an
 * index on a column that the agency's own table lacks, becomes a one-line SchedulerError naming the
 * database, and the transaction leaves the file as it was.
 */
function migrateDatabase(
  db: DatabaseSync,
  set: MigrationSet,
  options: { label: string; path: string },
): string[] {
  const { label, path } = options;
  try {
    return inTransaction(db, () => applyMigrations(db, set));
  } catch (error) {
    if ((error as { code?: string }).code !== "ERR_SQLITE_ERROR") throw error;
    throw new SchedulerError(`Cannot migrate ${label}: ${sqliteMessage(error)}: ${path}`, {
      cause: error,
    });
  }
}

function describeApplied(versions: string[]): string {
  return versions.length === 0 ? "up to date" : `applied ${versions.join(", ")}`;
}

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}
