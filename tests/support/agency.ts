/**
 * Builds real SQLite agencies in temporary folders for tests: a migrated central database with one
 * or more agencies and their org databases with hand-written contacts.
 */
import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import { applyMigrations } from "../../src/db/migrate.ts";
import { inTransaction } from "../../src/db/transaction.ts";
import { createAppTables } from "../../src/generate/app_schema.ts";
import { type EnvSettings, parseEnv } from "../../src/config/env.ts";

/** A contact row for tests; missing fields are NULL. */
export interface TestContact {
  id: number;
  email?: string | null;
  state?: string | null;
  zip_code?: string | null;
  birth_date?: string | null;
  effective_date?: string | null;
}

/** A test agency: its folder, environment and database paths. */
export interface TestAgency {
  dir: string;
  env: EnvSettings;
  centralPath: string;
  orgPath: string;
  orgId: number;
}

/**
 * Creates a temporary folder with a migrated central database holding agency `orgId` (columns
 * from `organization`) and an org database with `contacts` (org migrations not yet applied).
 */
export async function createTestAgency(options: {
  orgId?: number;
  organization?: Record<string, string | number | null>;
  contacts?: TestContact[];
  stateBuffers?: Array<[state: string, days: number]>;
} = {}): Promise<TestAgency> {
  const { orgId = 206, organization = {}, contacts = [], stateBuffers = [] } = options;
  const dir = await Deno.makeTempDir({ prefix: "medigap-test-" });
  const centralPath = join(dir, "central.sqlite3");
  const orgPath = join(dir, `org-${orgId}.sqlite3`);
  const env = parseEnv({
    CENTRAL_DB_PATH: centralPath,
    ORG_DB_PATH_TEMPLATE: join(dir, "org-{id}.sqlite3"),
  });

  const central = new DatabaseSync(centralPath);
  inTransaction(central, () => applyMigrations(central, "central"));
  addOrganization(central, orgId, organization);
  for (const [state, days] of stateBuffers) {
    central.prepare(
      "INSERT INTO organization_state_buffers (org_id, state_code, pre_exclusion_buffer_days) VALUES (?, ?, ?)",
    ).run(orgId, state, days);
  }
  central.close();

  const org = new DatabaseSync(orgPath);
  createAppTables(org);
  insertContacts(org, contacts);
  org.close();
  return { dir, env, centralPath, orgPath, orgId };
}

/** Adds an agency row with the given column values (defaults for the rest). */
export function addOrganization(
  central: DatabaseSync,
  orgId: number,
  columns: Record<string, string | number | null> = {},
): void {
  const values: Record<string, string | number | null> = { name: `Agency ${orgId}`, ...columns };
  const names = Object.keys(values);
  central.prepare(
    `INSERT INTO organizations (id, ${names.join(", ")}) VALUES (?, ${
      names.map(() => "?").join(", ")
    })`,
  ).run(orgId, ...names.map((name) => values[name]));
}

/** Inserts contacts into an org database's `contacts` table. */
export function insertContacts(db: DatabaseSync, contacts: TestContact[]): void {
  const insert = db.prepare(
    `INSERT INTO contacts (id, first_name, last_name, email, state, zip_code, birth_date, effective_date, status)
     VALUES (?, 'Test', 'Contact', ?, ?, ?, ?, ?, 'active')`,
  );
  for (const contact of contacts) {
    insert.run(
      contact.id,
      contact.email === undefined ? `contact${contact.id}@example.com` : contact.email,
      contact.state ?? null,
      contact.zip_code ?? null,
      contact.birth_date ?? null,
      contact.effective_date ?? null,
    );
  }
}

/** An `email_schedules` row as tests compare it. */
export interface ScheduleRow {
  id: number;
  contact_id: number;
  email_type: string;
  scheduled_send_date: string;
  status: string;
  skip_reason: string | null;
  event: string;
}

/** Reads every `email_schedules` row, ordered by contact, kind and date. */
export function readSchedules(orgPath: string): ScheduleRow[] {
  const db = new DatabaseSync(orgPath, { readOnly: true });
  try {
    return db.prepare(
      `SELECT id, contact_id, email_type, scheduled_send_date, status, skip_reason,
              printf('%04d-%02d-%02d', event_year, event_month, event_day) AS event
       FROM email_schedules ORDER BY contact_id, email_type, scheduled_send_date`,
    ).all() as unknown as ScheduleRow[];
  } finally {
    db.close();
  }
}

/** Returns a hash of the file's bytes, to prove that a failed run changed nothing. */
export async function fileDigest(path: string): Promise<string> {
  const bytes = await Deno.readFile(path);
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
