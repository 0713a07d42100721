import { dirname } from "node:path";
import type { EnvSettings } from "../config/env.ts";
import { SchedulerError } from "../errors.ts";
import { applyMigrations } from "../db/migrate.ts";
import { ensureOrganization, orgDatabasePath } from "../db/organizations.ts";
import { openDatabase } from "../db/sqlite.ts";
import { inTransaction } from "../db/transaction.ts";
import { createAppTables } from "../generate/app_schema.ts";
import { generateContacts, type GenerateSummary } from "../generate/generate_contacts.ts";

/** Options of `generateAgency`. */
export interface GenerateAgencyOptions {
  contacts: number;
  seed: number;
  today: Temporal.PlainDate;
  onProgress?: (inserted: number, total: number) => void;
}

/**
 * Creates a synthetic agency: migrates the central database (creating it when missing), adds the
 * agency's row when its id is free, then fills a new org database with generated contacts and
 * applies the org migrations. Refuses to touch an org database that already has contacts.
 */
export function generateAgency(
  env: EnvSettings,
  orgId: number,
  options: GenerateAgencyOptions,
): { dbPath: string; created: boolean; summary: GenerateSummary } {
  Deno.mkdirSync(dirname(env.CENTRAL_DB_PATH), { recursive: true });
  const central = openDatabase(env.CENTRAL_DB_PATH, {
    create: true,
    label: "central database",
    busyTimeoutMs: 5000,
  });
  let dbPath: string;
  let created: boolean;
  try {
    inTransaction(central, () => applyMigrations(central, "central"));
    created = ensureOrganization(central, { id: orgId, name: `Generated agency ${orgId}` });
    dbPath = orgDatabasePath(central, orgId, env.ORG_DB_PATH_TEMPLATE)!;
  } finally {
    central.close();
  }

  Deno.mkdirSync(dirname(dbPath), { recursive: true });
  const org = openDatabase(dbPath, {
    create: true,
    label: `organization ${orgId} database`,
    busyTimeoutMs: 5000,
  });
  try {
    createAppTables(org);
    const existing = Number(org.prepare("SELECT count(*) AS n FROM contacts").get()?.n ?? 0);
    if (existing > 0) {
      throw new SchedulerError(
        `Cannot generate organization ${orgId}: its database already has ${existing} contacts; delete ${dbPath} to start over`,
      );
    }
    const summary = generateContacts(org, options);
    inTransaction(org, () => applyMigrations(org, "org"));
    return { dbPath, created, summary };
  } finally {
    org.close();
  }
}
