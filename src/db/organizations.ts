import type { DatabaseSync } from "node:sqlite";

/** Inserts an agency with default settings when no agency has its id; returns true if inserted. */
export function ensureOrganization(
  central: DatabaseSync,
  organization: { id: number; name: string; dbPath?: string },
): boolean {
  const { id, name, dbPath = null } = organization;
  const result = central.prepare(
    "INSERT OR IGNORE INTO organizations (id, name, active, db_path) VALUES (?, ?, 1, ?)",
  ).run(id, name, dbPath);
  return Number(result.changes) === 1;
}

/** Returns the org database path of an agency: its `db_path`, else the template with its id. */
export function orgDatabasePath(
  central: DatabaseSync,
  orgId: number,
  template: string,
): string | undefined {
  const row = central.prepare("SELECT db_path FROM organizations WHERE id = ?").get(orgId);
  if (row === undefined) return undefined;
  return typeof row.db_path === "string" && row.db_path !== ""
    ? row.db_path
    : template.replaceAll("{id}", String(orgId));
}
