import { dirname } from "node:path";
import type { Command } from "../command.ts";
import { parseFlags } from "../args.ts";
import { openDatabase } from "../../db/sqlite.ts";
import { applyMigrations } from "../../db/migrate.ts";
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
    parseFlags("migrate", args, {});
    const { env, output } = context;

    Deno.mkdirSync(dirname(env.CENTRAL_DB_PATH), { recursive: true });
    const central = openDatabase(env.CENTRAL_DB_PATH, {
      create: true,
      label: "central database",
      busyTimeoutMs: 5000,
    });
    let agencies: Array<{ id: number; dbPath: string }>;
    try {
      const applied = inTransaction(central, () => applyMigrations(central, "central"));
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
        const applied = inTransaction(org, () => applyMigrations(org, "org"));
        output.print(`organization ${id}: ${describeApplied(applied)} (${dbPath})`);
      } finally {
        org.close();
      }
    }
    return 0;
  },
};

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
