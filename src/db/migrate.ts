import type { DatabaseSync } from "node:sqlite";
import { tableColumns, tableExists } from "./sqlite.ts";

/** One migration file: `NNN_name.sql`. */
export interface Migration {
  readonly version: string;
  readonly name: string;
  readonly sql: string;
}

/** Set of migrations: the central database's or an agency's. */
export type MigrationSet = "central" | "org";

const MIGRATIONS_ROOT = new URL("../../migrations/", import.meta.url);
const FILE_PATTERN = /^(\d{3})_([a-z0-9_]+)\.sql$/;
const SKIP_DIRECTIVE = /^--\s*skip-if-table-exists:\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/m;
const ADD_COLUMN = /^ALTER\s+TABLE\s+(\w+)\s+ADD\s+COLUMN\s+(\w+)\b/i;

/** Reads the migrations of `set` from the `migrations/` folder, ordered by version. */
export function loadMigrations(set: MigrationSet): Migration[] {
  const folder = new URL(`${set}/`, MIGRATIONS_ROOT);
  const migrations: Migration[] = [];
  for (const entry of Deno.readDirSync(folder)) {
    const match = FILE_PATTERN.exec(entry.name);
    if (!entry.isFile || match === null) continue;
    const sql = Deno.readTextFileSync(new URL(entry.name, folder));
    migrations.push({ version: match[1], name: match[2], sql });
  }
  return migrations.sort((a, b) => a.version.localeCompare(b.version));
}

/**
 * Applies the migrations of `set` that `schema_migrations` does not list yet, in order, and
 * returns their versions. The caller owns the transaction, so a failure leaves nothing applied.
 *
 * Two additions to plain SQL keep older databases working, because SQLite has neither
 * `ADD COLUMN IF NOT EXISTS` nor conditional DDL:
 * - `ALTER TABLE t ADD COLUMN c …` is skipped when `t` already has `c`;
 * - a file whose header says `-- skip-if-table-exists: t` is recorded without running when `t`
 *   exists, so an agency's own `email_schedules` table keeps its columns and indexes.
 */
export function applyMigrations(db: DatabaseSync, set: MigrationSet): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
  )`);
  const applied = new Set(
    db.prepare("SELECT version FROM schema_migrations").all().map((row) => String(row.version)),
  );
  const record = db.prepare("INSERT INTO schema_migrations (version, name) VALUES (?, ?)");

  const newlyApplied: string[] = [];
  for (const migration of loadMigrations(set)) {
    if (applied.has(migration.version)) continue;
    const guardTable = SKIP_DIRECTIVE.exec(migration.sql)?.[1];
    if (guardTable === undefined || !tableExists(db, guardTable)) {
      for (const statement of splitStatements(migration.sql)) runStatement(db, statement);
    }
    record.run(migration.version, migration.name);
    newlyApplied.push(migration.version);
  }
  return newlyApplied;
}

/** Returns true when `db` lacks a migration of `set`. */
export function hasPendingMigrations(db: DatabaseSync, set: MigrationSet): boolean {
  if (!tableExists(db, "schema_migrations")) return true;
  const applied = new Set(
    db.prepare("SELECT version FROM schema_migrations").all().map((row) => String(row.version)),
  );
  return loadMigrations(set).some((migration) => !applied.has(migration.version));
}

function runStatement(db: DatabaseSync, statement: string): void {
  const addColumn = ADD_COLUMN.exec(statement);
  if (addColumn !== null && tableColumns(db, addColumn[1]).has(addColumn[2])) return;
  db.exec(statement);
}

/**
 * Splits SQL text into statements at semicolons outside quotes and `--` comments. Migration files
 * use no triggers, so a semicolon never appears inside a statement body.
 * NOTE: block comments (slash-star) are not recognised, so a semicolon inside one splits there.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = "";
  let quote: string | undefined;
  for (let i = 0; i < sql.length; i++) {
    const char = sql[i];
    if (quote !== undefined) {
      current += char;
      if (char === quote) quote = undefined;
    } else if (char === "-" && sql[i + 1] === "-") {
      const end = sql.indexOf("\n", i);
      i = end === -1 ? sql.length : end;
      current += "\n";
    } else if (char === ";") {
      if (current.trim() !== "") statements.push(current.trim());
      current = "";
    } else {
      if (char === "'" || char === '"') quote = char;
      current += char;
    }
  }
  if (current.trim() !== "") statements.push(current.trim());
  return statements;
}
