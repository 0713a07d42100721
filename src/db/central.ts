import type { DatabaseSync } from "node:sqlite";
import { SchedulerError } from "../errors.ts";
import { openDatabase, sqliteMessage, tableColumns, tableExists } from "./sqlite.ts";
import { ORGANIZATION_COLUMN_NAMES } from "../config/organization_schema.ts";
import { hasPendingMigrations } from "./migrate.ts";

/** An `organizations` row as SQLite returns it, before validation. */
export type RawOrganizationRow = Record<string, unknown>;

/** A row of `organization_state_buffers`, before validation. */
export interface RawStateBuffer {
  state_code: unknown;
  pre_exclusion_buffer_days: unknown;
}

/** Opens the central database read-only and checks that it has been migrated. */
export function openCentral(path: string): DatabaseSync {
  const db = openDatabase(path, { readOnly: true, label: "central database", busyTimeoutMs: 5000 });
  if (!tableExists(db, "organizations") || hasPendingMigrations(db, "central")) {
    db.close();
    throw new SchedulerError(
      `Cannot use central database: migrations are missing, run "deno task migrate": ${path}`,
    );
  }
  return db;
}

/** Reads one agency's row, or undefined when no agency has that id. */
export function readOrganization(db: DatabaseSync, orgId: number): RawOrganizationRow | undefined {
  const columns = tableColumns(db, "organizations");
  const missing = ORGANIZATION_COLUMN_NAMES.filter((name) => !columns.has(name));
  if (missing.length > 0) {
    throw new SchedulerError(
      `Cannot load organization ${orgId}: central database lacks column ${missing[0]}`,
    );
  }
  try {
    const list = ORGANIZATION_COLUMN_NAMES.join(", ");
    return db.prepare(`SELECT ${list} FROM organizations WHERE id = ?`).get(orgId);
  } catch (error) {
    throw new SchedulerError(
      `Cannot load organization ${orgId}: central database: ${sqliteMessage(error)}`,
      { cause: error },
    );
  }
}

/** Reads one agency's state buffers. */
export function readStateBuffers(db: DatabaseSync, orgId: number): RawStateBuffer[] {
  return db.prepare(
    "SELECT state_code, pre_exclusion_buffer_days FROM organization_state_buffers WHERE org_id = ?",
  ).all(orgId) as unknown as RawStateBuffer[];
}

/** An agency as listed for `schedule --all` and cron. */
export interface AgencyListing {
  id: number;
  active: boolean;
  timezone: string;
}

/** Lists every agency, active or not, in id order. */
export function listOrganizations(db: DatabaseSync): AgencyListing[] {
  return db.prepare("SELECT id, active, timezone FROM organizations ORDER BY id").all().map((
    row,
  ) => ({ id: Number(row.id), active: row.active === 1, timezone: String(row.timezone) }));
}
